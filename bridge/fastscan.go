package bridge

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// fastScan is the page message scanner's fast path: one pass over the bytes, no
// tokens, no allocations for a typical message. It proves exactly what scanShape
// proves (nesting depth, duplicate keys, unknown fields, JSON types, finite numbers,
// non-negative integers, sizes of free values, item counts, trailing data) and, on the
// way, notes where the envelope's v, kind and payload values are and which payload
// fields were present. Anything it is not sure of — a refusal, or a \u escape (which
// can hide a lone surrogate or disguise a duplicate key) — makes it give up: the
// token scanner then runs and says precisely what is wrong (or accepts after all).
type fastScan struct {
	raw      []byte
	i        int
	maxDepth int

	v, kind, payload [2]int // byte ranges of the envelope's values
	// fields are the byte ranges of the payload's top-level keys (no escapes), in
	// order; a payload of more than len(fields) keys gives up (no kind has that many).
	fields  [12][2]int
	nfields int
}

// errFast is fastScan's "not sure": the token scanner takes over.
type errFast struct{}

func (errFast) Error() string { return "fast scan gave up" }

var giveUp error = errFast{}

func newFastScan(raw []byte, maxDepth int) fastScan {
	return fastScan{raw: raw, maxDepth: maxDepth, v: [2]int{-1, -1}, kind: [2]int{-1, -1}, payload: [2]int{-1, -1}}
}

// run scans the whole message against the page envelope shape.
func (f *fastScan) run() bool {
	if f.value(pageEnvelopeShape, 0, false, 0) != nil {
		return false
	}
	f.ws()
	return f.i == len(f.raw)
}

func (f *fastScan) ws() {
	for f.i < len(f.raw) {
		switch f.raw[f.i] {
		case ' ', '\t', '\r', '\n':
			f.i++
		default:
			return
		}
	}
}

// role says which envelope value is being scanned, to note its range.
const (
	roleNone = iota
	roleV
	roleKind
	rolePayload
	rolePayloadField
)

func (f *fastScan) value(sh *shape, depth int, free bool, role int) error {
	f.ws()
	if f.i >= len(f.raw) {
		return giveUp
	}
	start := f.i
	c := f.raw[f.i]
	if !free && sh.kind == shapeFree {
		if sh.object && c != '{' && c != 'n' {
			return giveUp
		}
		if err := f.any(depth); err != nil {
			return err
		}
		if sh.maxBytes > 0 && f.i-start > sh.maxBytes {
			return giveUp
		}
		return nil
	}
	if free {
		return f.any(depth)
	}
	var err error
	switch {
	case c == '{':
		if sh.kind != shapeObject && sh.kind != shapeMap {
			return giveUp
		}
		if depth+1 > f.maxDepth {
			return giveUp
		}
		err = f.object(sh, depth+1, role == rolePayload)
	case c == '[':
		if sh.kind != shapeArray || depth+1 > f.maxDepth {
			return giveUp
		}
		err = f.array(sh, depth+1)
	case c == '"':
		if sh.kind != shapeString {
			return giveUp
		}
		_, err = f.str()
	case c == '-' || c >= '0' && c <= '9':
		if sh.kind != shapeNumber && sh.kind != shapeUint {
			return giveUp
		}
		err = f.number(sh.kind == shapeUint)
	case c == 't' || c == 'f':
		if sh.kind != shapeBool {
			return giveUp
		}
		err = f.literal()
	case c == 'n':
		if sh.kind != shapeMap {
			return giveUp
		}
		err = f.literal()
	default:
		return giveUp
	}
	if err != nil {
		return err
	}
	switch role {
	case roleV:
		f.v = [2]int{start, f.i}
	case roleKind:
		f.kind = [2]int{start, f.i}
	case rolePayload:
		f.payload = [2]int{start, f.i}
	}
	return nil
}

// any consumes one free value: only the generic checks apply.
func (f *fastScan) any(depth int) error {
	f.ws()
	if f.i >= len(f.raw) {
		return giveUp
	}
	switch c := f.raw[f.i]; {
	case c == '{':
		if depth+1 > f.maxDepth {
			return giveUp
		}
		return f.object(nil, depth+1, false)
	case c == '[':
		if depth+1 > f.maxDepth {
			return giveUp
		}
		return f.freeArray(depth + 1)
	case c == '"':
		_, err := f.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		return f.number(false)
	default:
		return f.literal()
	}
}

// object consumes an object; sh nil: a free one. record: note the keys (the payload).
func (f *fastScan) object(sh *shape, depth int, record bool) error {
	f.i++ // '{'
	var seen fastKeys
	f.ws()
	if f.i < len(f.raw) && f.raw[f.i] == '}' {
		f.i++
		return nil
	}
	for n := 0; ; n++ {
		f.ws()
		if f.i >= len(f.raw) || f.raw[f.i] != '"' {
			return giveUp
		}
		keyAt := f.i + 1
		key, err := f.str()
		if err != nil {
			return err
		}
		if bytes.IndexByte(key, '\\') >= 0 || !seen.add(key) {
			return giveUp // an escaped key may equal another once unescaped
		}
		f.ws()
		if f.i >= len(f.raw) || f.raw[f.i] != ':' {
			return giveUp
		}
		f.i++
		if sh == nil {
			if err := f.any(depth); err != nil {
				return err
			}
		} else {
			var child *shape
			role := roleNone
			switch sh.kind {
			case shapeObject:
				child = sh.fields[string(key)]
				if child == nil {
					return giveUp
				}
				if sh == pageEnvelopeShape {
					switch string(key) {
					case "v":
						role = roleV
					case "kind":
						role = roleKind
					case "payload":
						role = rolePayload
					}
				}
			case shapeMap:
				if sh.maxItems > 0 && n >= sh.maxItems {
					return giveUp
				}
				child = sh.elem
			}
			if record {
				if f.nfields == len(f.fields) {
					return giveUp
				}
				f.fields[f.nfields] = [2]int{keyAt, keyAt + len(key)}
				f.nfields++
			}
			if err := f.value(child, depth, false, role); err != nil {
				return err
			}
		}
		f.ws()
		if f.i >= len(f.raw) {
			return giveUp
		}
		switch f.raw[f.i] {
		case ',':
			f.i++
		case '}':
			f.i++
			return nil
		default:
			return giveUp
		}
	}
}

func (f *fastScan) array(sh *shape, depth int) error {
	return f.elements(sh.maxItems, func() error { return f.value(sh.elem, depth, false, roleNone) })
}

func (f *fastScan) freeArray(depth int) error {
	return f.elements(0, func() error { return f.any(depth) })
}

// elements scans an array's items with item, at most max of them (0: no bound).
func (f *fastScan) elements(max int, item func() error) error {
	f.i++ // '['
	f.ws()
	if f.i < len(f.raw) && f.raw[f.i] == ']' {
		f.i++
		return nil
	}
	for n := 0; ; n++ {
		if max > 0 && n >= max {
			return giveUp
		}
		if err := item(); err != nil {
			return err
		}
		f.ws()
		if f.i >= len(f.raw) {
			return giveUp
		}
		switch f.raw[f.i] {
		case ',':
			f.i++
		case ']':
			f.i++
			return nil
		default:
			return giveUp
		}
	}
}

// str consumes a string and returns its raw contents. A \u escape gives up (a lone
// surrogate, or a key that is a duplicate only once unescaped); so does a control
// character or a malformed escape. The input is valid UTF-8 already.
func (f *fastScan) str() ([]byte, error) {
	f.i++ // '"'
	start := f.i
	for f.i < len(f.raw) {
		c := f.raw[f.i]
		switch {
		case c == '"':
			s := f.raw[start:f.i]
			f.i++
			return s, nil
		case c == '\\':
			if f.i+1 >= len(f.raw) {
				return nil, giveUp
			}
			switch f.raw[f.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				f.i += 2
			default:
				return nil, giveUp
			}
		case c < 0x20:
			return nil, giveUp
		default:
			f.i++
		}
	}
	return nil, giveUp
}

// number consumes a JSON number, which must be finite (and, for uint, a non-negative
// integer ≤ 2^53).
func (f *fastScan) number(uint bool) error {
	start := f.i
	b := f.raw
	i := f.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return giveUp
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return giveUp
	}
	simple := true
	if i < len(b) && b[i] == '.' {
		simple = false
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return giveUp
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		simple = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return giveUp
		}
	}
	f.i = i
	text := b[start:i]
	if simple && len(text) <= 15 {
		// At most 15 digits: finite, and exact as a float.
		if uint && text[0] == '-' {
			return giveUp
		}
		return nil
	}
	v, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(v, 0) {
		return giveUp
	}
	if uint && (v < 0 || v != math.Trunc(v) || v > 1<<53) {
		return giveUp
	}
	return nil
}

func (f *fastScan) literal() error {
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(f.raw[f.i:], []byte(lit)) {
			f.i += len(lit)
			return nil
		}
	}
	return giveUp
}

// fastKeys finds duplicate raw keys (no escapes reach it).
type fastKeys struct {
	few  [16][]byte
	n    int
	many map[string]struct{}
}

func (k *fastKeys) add(key []byte) bool {
	if k.many != nil {
		if _, dup := k.many[string(key)]; dup {
			return false
		}
		k.many[string(key)] = struct{}{}
		return true
	}
	for _, s := range k.few[:k.n] {
		if bytes.Equal(s, key) {
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
		k.many[string(s)] = struct{}{}
	}
	k.many[string(key)] = struct{}{}
	return true
}

// kindFields are the payload fields each page kind has (its struct's JSON names).
var kindFields = map[Kind]map[string]bool{
	KindReady: jsonFields(Ready{}), KindEvent: jsonFields(Event{}), KindModel: jsonFields(Model{}),
	KindProbeResult: jsonFields(ProbeResult{}), KindQueryResult: jsonFields(QueryResult{}),
	KindCanvasData: jsonFields(CanvasData{}),
}

func jsonFields(v any) map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(v)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// decodeFast is decodePage's one pass for the usual message: the fast scan, then one
// json.Unmarshal of the payload into its typed struct. ok false: the message is not
// the usual kind of message (or is refused); decodePage's full path decides. The
// envelope's Payload is a slice of raw.
func decodeFast(raw []byte, maxDepth int) (env Envelope, payload any, ok bool) {
	f := newFastScan(raw, maxDepth)
	if !f.run() || f.v[0] < 0 || f.kind[0] < 0 || f.payload[0] < 0 {
		return Envelope{}, nil, false
	}
	if v := raw[f.v[0]:f.v[1]]; len(v) != 1 || int(v[0]-'0') != Version {
		return Envelope{}, nil, false
	}
	kind, ok := pageKindNamed(raw[f.kind[0]+1 : f.kind[1]-1]) // an escape names no kind
	if !ok {
		return Envelope{}, nil, false
	}
	allowed := kindFields[kind]
	for _, r := range f.fields[:f.nfields] {
		if !allowed[string(raw[r[0]:r[1]])] {
			return Envelope{}, nil, false // a field of another kind: the full path names it
		}
	}
	body := raw[f.payload[0]:f.payload[1]]
	if kind == KindEvent {
		if e, ok := decodeEventFast(body); ok {
			return Envelope{V: Version, Kind: kind, Payload: body}, e, true
		}
	}
	payload = newPagePayload(kind)
	if json.Unmarshal(body, payload) != nil {
		return Envelope{}, nil, false
	}
	return Envelope{V: Version, Kind: kind, Payload: body}, payload, true
}

// pageKindNamed is the page kind whose name is b, without allocating its string.
func pageKindNamed(b []byte) (Kind, bool) {
	switch string(b) {
	case string(KindEvent):
		return KindEvent, true
	case string(KindReady):
		return KindReady, true
	case string(KindModel):
		return KindModel, true
	case string(KindProbeResult):
		return KindProbeResult, true
	case string(KindQueryResult):
		return KindQueryResult, true
	case string(KindCanvasData):
		return KindCanvasData, true
	}
	return "", false
}
