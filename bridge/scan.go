package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// shapeKind is the JSON type a position in a page message must have.
type shapeKind uint8

const (
	shapeObject shapeKind = iota // fixed set of fields
	shapeArray                   // elements of elem
	shapeString
	shapeNumber
	shapeUint // non-negative integer ≤ 2^53
	shapeBool
	shapeMap  // free keys, values of elem; null allowed
	shapeFree // any JSON value; field paths stop here
)

// shape is the expected structure of a part of a page message. The scanner walks the
// token stream against it, so every refusal names the exact field path before any
// value is unmarshalled.
type shape struct {
	kind     shapeKind
	fields   map[string]*shape
	elem     *shape
	maxItems int  // arrays and maps; 0: unbounded (the message size still bounds it)
	maxBytes int  // free values: raw size bound
	object   bool // free values: must be an object (or null)
}

var (
	sString = &shape{kind: shapeString}
	sNumber = &shape{kind: shapeNumber}
	sUint   = &shape{kind: shapeUint}
	sBool   = &shape{kind: shapeBool}
)

// Bounds on the free-form parts of page messages.
const (
	maxDatasetBytes = 16 << 10
	maxDetailBytes  = 64 << 10
	maxPropsBytes   = 64 << 10
	maxResultBytes  = 200 << 10
	maxReports      = 1000 // attached, detached or props entries per ready
	maxEventsPerTag = 64
)

func freeObject(maxBytes int) *shape {
	return &shape{kind: shapeFree, object: true, maxBytes: maxBytes}
}

var eventTargetShape = &shape{kind: shapeObject, fields: map[string]*shape{
	"id":      sString,
	"dataset": freeObject(maxDatasetBytes),
}}

// touchListShape is a touch event's touches or changedTouches.
var touchListShape = &shape{kind: shapeArray, maxItems: 10, elem: &shape{kind: shapeObject, fields: map[string]*shape{
	"identifier": sNumber, "pageX": sNumber, "pageY": sNumber, "clientX": sNumber, "clientY": sNumber,
	"x": sNumber, "y": sNumber,
}}}

// pagePayloadShape is the union of the payload fields of every kind a page may send.
// The union has no conflicting field, so field paths are exact; fields that belong to
// another kind are refused afterwards by the kind's strict decode.
var pagePayloadShape = &shape{kind: shapeObject, fields: map[string]*shape{
	// ready
	"seq": sUint,
	"attached": {kind: shapeArray, maxItems: maxReports, elem: &shape{kind: shapeObject, fields: map[string]*shape{
		"id":      sString,
		"page":    sString,
		"owner":   sString,
		"is":      sString,
		"props":   freeObject(maxPropsBytes),
		"events":  {kind: shapeMap, elem: sString, maxItems: maxEventsPerTag},
		"nodeId":  sString,
		"dataset": freeObject(maxDatasetBytes),
		"parent":  sString,
		"class":   sString,
	}}},
	"detached": {kind: shapeArray, maxItems: maxReports, elem: sString},
	"moved":    {kind: shapeArray, maxItems: maxReports, elem: sString},
	"props": {kind: shapeArray, maxItems: maxReports, elem: &shape{kind: shapeObject, fields: map[string]*shape{
		"id":    sString,
		"props": freeObject(maxPropsBytes),
	}}},
	// event
	"target":  sString,
	"handler": sString,
	"event": {kind: shapeObject, fields: map[string]*shape{
		"type":          sString,
		"timeStamp":     sNumber,
		"detail":        {kind: shapeFree, maxBytes: maxDetailBytes},
		"target":        eventTargetShape,
		"currentTarget": eventTargetShape,
		"mark":          freeObject(maxDatasetBytes),

		"touches": touchListShape, "changedTouches": touchListShape,
	}},
	// model ("target" as in event)
	"key":   sString,
	"value": {kind: shapeFree, maxBytes: maxDetailBytes},
	// probeResult
	"id":     sUint,
	"ok":     sBool,
	"result": {kind: shapeFree, maxBytes: maxResultBytes},
	"error":  sString,
	// canvasData ("id", "ok", "error" as in probeResult)
	"data": {kind: shapeString},
	"more": sBool,
}}

var pageEnvelopeShape = &shape{kind: shapeObject, fields: map[string]*shape{
	"v":       sUint,
	"kind":    sString,
	"payload": pagePayloadShape,
}}

// scanner checks a raw page message token by token: nesting depth, duplicate keys,
// unknown fields, JSON types, finite numbers, lone surrogate escapes and trailing data.
type scanner struct {
	raw      []byte
	dec      *json.Decoder
	maxDepth int
	path     []string // field path of the current position; not extended inside free values
	prevOff  int64    // input offset before the last token
}

func scanPage(raw []byte, maxDepth int) error {
	return scanShape(raw, maxDepth, pageEnvelopeShape)
}

// scanShape checks raw against one envelope shape.
func scanShape(raw []byte, maxDepth int, envelope *shape) error {
	s := &scanner{raw: raw, dec: json.NewDecoder(bytes.NewReader(raw)), maxDepth: maxDepth}
	s.dec.UseNumber()
	s.path = make([]string, 0, 8)
	if err := s.value(envelope, 0, false); err != nil {
		return err
	}
	if _, err := s.dec.Token(); err != io.EOF {
		return &DecodeError{Reason: "trailing data after the JSON value"}
	}
	return nil
}

func (s *scanner) fail(format string, args ...any) error {
	return &DecodeError{Field: formatPath(s.path), Reason: fmt.Sprintf(format, args...)}
}

func (s *scanner) token() (json.Token, error) {
	s.prevOff = s.dec.InputOffset()
	tok, err := s.dec.Token()
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, s.fail("unexpected end of JSON")
		}
		return nil, s.fail("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if str, ok := tok.(string); ok && strings.ContainsRune(str, utf8.RuneError) {
		// Raw bytes are valid UTF-8 already, so U+FFFD came from the text itself or
		// from an escape; the decoder silently replaces lone surrogates, so look.
		if err := checkSurrogates(s.raw[s.prevOff:s.dec.InputOffset()]); err != nil {
			return nil, s.fail("%v", err)
		}
	}
	return tok, nil
}

// value consumes one JSON value. free is true inside a free-form value, where the
// path no longer grows and only generic checks apply.
func (s *scanner) value(sh *shape, depth int, free bool) error {
	start := s.dec.InputOffset()
	tok, err := s.token()
	if err != nil {
		return err
	}
	if !free && sh.kind == shapeFree {
		if sh.object {
			if d, ok := tok.(json.Delim); tok != nil && (!ok || d != '{') {
				return s.fail("must be an object")
			}
		}
		if err := s.rest(tok, nil, depth, true); err != nil {
			return err
		}
		for start < int64(len(s.raw)) && strings.IndexByte(" \t\r\n:,", s.raw[start]) >= 0 {
			start++ // the delimiters before the value are not part of it
		}
		if n := s.dec.InputOffset() - start; sh.maxBytes > 0 && n > int64(sh.maxBytes) {
			return s.fail("%d bytes is more than %d", n, sh.maxBytes)
		}
		return nil
	}
	if free {
		return s.rest(tok, nil, depth, true)
	}
	if err := checkType(tok, sh); err != nil {
		return s.fail("%v", err)
	}
	return s.rest(tok, sh, depth, false)
}

// rest finishes the value that starts with tok: containers recurse, numbers are checked.
func (s *scanner) rest(tok json.Token, sh *shape, depth int, free bool) error {
	switch t := tok.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil || math.IsInf(f, 0) {
			return s.fail("number %.40s is out of range", string(t))
		}
		if !free && sh.kind == shapeUint && (f < 0 || f != math.Trunc(f) || f > 1<<53) {
			return s.fail("must be a non-negative integer, not %.40s", string(t))
		}
		return nil
	case json.Delim:
		if depth+1 > s.maxDepth {
			return s.fail("nesting deeper than %d", s.maxDepth)
		}
		if t == '{' {
			return s.object(sh, depth+1, free)
		}
		return s.array(sh, depth+1, free)
	}
	return nil
}

func (s *scanner) object(sh *shape, depth int, free bool) error {
	var seen keySet
	for n := 0; ; n++ {
		tok, err := s.token()
		if err != nil {
			return err
		}
		if tok == json.Delim('}') {
			return nil
		}
		key := tok.(string) // the decoder guarantees object keys are strings
		if !seen.add(key) {
			return s.fail("duplicate key %q", truncate(key, 64))
		}
		var child *shape
		childFree := free
		if !free {
			switch sh.kind {
			case shapeObject:
				child = sh.fields[key]
				if child == nil {
					if key == "sender" && sh == pageEnvelopeShape {
						return &DecodeError{Field: "sender", Reason: "content may not name its sender"}
					}
					return s.fail("unknown field %q", truncate(key, 64))
				}
			case shapeMap:
				if sh.maxItems > 0 && n >= sh.maxItems {
					return s.fail("more than %d entries", sh.maxItems)
				}
				child = sh.elem
			}
			s.path = append(s.path, key)
		}
		err = s.value(child, depth, childFree)
		if err != nil {
			return err
		}
		if !free {
			s.path = s.path[:len(s.path)-1]
		}
	}
}

func (s *scanner) array(sh *shape, depth int, free bool) error {
	for i := 0; s.dec.More(); i++ {
		if free {
			if err := s.value(nil, depth, true); err != nil {
				return err
			}
			continue
		}
		if sh.maxItems > 0 && i >= sh.maxItems {
			return s.fail("more than %d items", sh.maxItems)
		}
		s.path = append(s.path, "["+strconv.Itoa(i)+"]")
		if err := s.value(sh.elem, depth, false); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
	}
	if _, err := s.token(); err != nil { // the closing ']'
		return err
	}
	return nil
}

// keySet finds duplicate keys: a slice while objects are small (most are), a map after.
type keySet struct {
	few  [16]string
	n    int
	many map[string]struct{}
}

// add reports false if key was already added.
func (k *keySet) add(key string) bool {
	if k.many != nil {
		if _, dup := k.many[key]; dup {
			return false
		}
		k.many[key] = struct{}{}
		return true
	}
	for _, s := range k.few[:k.n] {
		if s == key {
			return false
		}
	}
	if k.n < len(k.few) {
		k.few[k.n] = key
		k.n++
		return true
	}
	k.many = make(map[string]struct{}, 32)
	for _, s := range k.few {
		k.many[s] = struct{}{}
	}
	k.many[key] = struct{}{}
	return true
}

// checkType reports whether tok can start a value of sh's type.
func checkType(tok json.Token, sh *shape) error {
	var got string
	switch t := tok.(type) {
	case nil:
		if sh.kind == shapeMap {
			return nil
		}
		got = "null"
	case bool:
		if sh.kind == shapeBool {
			return nil
		}
		got = "a boolean"
	case json.Number:
		if sh.kind == shapeNumber || sh.kind == shapeUint {
			return nil
		}
		got = "a number"
	case string:
		if sh.kind == shapeString {
			return nil
		}
		got = "a string"
	case json.Delim:
		if t == '{' && (sh.kind == shapeObject || sh.kind == shapeMap) || t == '[' && sh.kind == shapeArray {
			return nil
		}
		got = "an object"
		if t == '[' {
			got = "an array"
		}
	}
	want := map[shapeKind]string{
		shapeObject: "an object", shapeMap: "an object", shapeArray: "an array", shapeString: "a string",
		shapeNumber: "a number", shapeUint: "a non-negative integer", shapeBool: "a boolean",
	}[sh.kind]
	return fmt.Errorf("must be %s, not %s", want, got)
}

// checkSurrogates finds a \uD800–\uDFFF escape that is not half of a proper pair in the
// raw text of one JSON string token (with the delimiters before it).
func checkSurrogates(seg []byte) error {
	for i := 0; i < len(seg); i++ {
		if seg[i] != '\\' || i+1 >= len(seg) {
			continue
		}
		if seg[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		r, ok := hex4(seg, i+2)
		if !ok {
			return errors.New("malformed \\u escape")
		}
		switch {
		case r >= 0xD800 && r < 0xDC00:
			lo, ok := uint16(0), false
			if i+7 < len(seg) && seg[i+6] == '\\' && seg[i+7] == 'u' {
				lo, ok = hex4(seg, i+8)
			}
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return fmt.Errorf("lone surrogate escape \\u%04x", r)
			}
			i += 11
		case r >= 0xDC00 && r <= 0xDFFF:
			return fmt.Errorf("lone surrogate escape \\u%04x", r)
		default:
			i += 5
		}
	}
	return nil
}

func hex4(b []byte, at int) (uint16, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[at:at+4]), 16, 16)
	return uint16(v), err == nil
}

func formatPath(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
