package bridge

import (
	"encoding/json"
	"strconv"
	"strings"
)

// decodeEventFast decodes an event payload the fast scan has already proved (shape,
// types, bounds, no duplicate keys) without encoding/json. Free values (detail,
// dataset, mark, touches) and the whole DOM event are kept as the raw bytes; the
// strings (target, handler, type, the two element ids) are copied out of the payload
// into one allocation, or are a constant when they are a known name. ok false: a
// string holds an escape, or anything else unusual; json.Unmarshal takes over.
func decodeEventFast(b []byte) (*Event, bool) {
	c := fastScan{raw: b, maxDepth: 1 << 30}
	e := new(Event)
	var s eventSpans
	ok := c.members(func(key []byte) bool {
		switch string(key) {
		case "target":
			return c.span(&s[spanTarget])
		case "handler":
			return c.span(&s[spanHandler])
		case "event":
			start := c.i
			if !c.domEvent(&e.Event, &s) {
				return false
			}
			e.raw = b[start:c.i]
			return true
		}
		return false
	})
	if !ok || c.i != len(b) {
		return nil, false
	}
	s.strings(b, [spanCount]*string{&e.Target, &e.Handler, &e.Event.Type, &e.Event.Target.ID, &e.Event.CurrentTarget.ID})
	return e, true
}

// The strings of an event, by where they are in the payload until they are copied.
const (
	spanTarget = iota
	spanHandler
	spanType
	spanTargetID
	spanCurrentTargetID
	spanCount
)

// span is a string's contents (no escapes) in the payload; the zero span is "".
type span struct{ at, end int }

type eventSpans [spanCount]span

// strings sets each *dst to its span's text: a known name is its constant, the rest
// share one copy of their bytes (the current target's id is usually the target's).
func (s *eventSpans) strings(b []byte, dst [spanCount]*string) {
	var known [spanCount]bool
	n := 0
	for i, sp := range s {
		if v, ok := knownNames[string(b[sp.at:sp.end])]; ok {
			*dst[i], known[i] = v, true
			continue
		}
		n += sp.end - sp.at
	}
	if n == 0 {
		return
	}
	var sb strings.Builder
	sb.Grow(n)
	var at [spanCount]int
	for i, sp := range s {
		if known[i] {
			continue
		}
		if i == spanCurrentTargetID && !known[spanTargetID] && string(b[sp.at:sp.end]) == string(b[s[spanTargetID].at:s[spanTargetID].end]) {
			at[i] = -1 // the target's id again
			continue
		}
		at[i] = sb.Len()
		sb.Write(b[sp.at:sp.end])
	}
	all := sb.String()
	for i, sp := range s {
		switch {
		case known[i]:
		case at[i] < 0:
			*dst[i] = *dst[spanTargetID]
		default:
			*dst[i] = all[at[i] : at[i]+sp.end-sp.at]
		}
	}
}

// knownNames are strings an event usually holds, kept as constants: its target
// ("page", "host"), its type and the host actions.
var knownNames = func() map[string]string {
	m := map[string]string{"": "", "page": "page", "host": "host"}
	for _, set := range []map[string]bool{knownEventTypes, hostHandlers} {
		for k := range set {
			m[k] = k
		}
	}
	for typ, handler := range pageEventTypes {
		m[typ], m[handler] = typ, handler
	}
	return m
}()

func (c *fastScan) domEvent(d *DOMEvent, s *eventSpans) bool {
	return c.members(func(key []byte) bool {
		switch string(key) {
		case "type":
			return c.span(&s[spanType])
		case "timeStamp":
			start := c.i
			if c.number(false) != nil {
				return false
			}
			v, err := strconv.ParseFloat(string(c.raw[start:c.i]), 64)
			d.TimeStamp = v
			return err == nil
		case "detail":
			return c.rawValue(&d.Detail)
		case "target":
			return c.eventTarget(&d.Target, &s[spanTargetID])
		case "currentTarget":
			return c.eventTarget(&d.CurrentTarget, &s[spanCurrentTargetID])
		case "mark":
			return c.rawValue(&d.Mark)
		case "touches":
			return c.rawValue(&d.Touches)
		case "changedTouches":
			return c.rawValue(&d.ChangedTouches)
		}
		return false
	})
}

func (c *fastScan) eventTarget(t *EventTarget, id *span) bool {
	return c.members(func(key []byte) bool {
		switch string(key) {
		case "id":
			return c.span(id)
		case "dataset":
			return c.rawValue(&t.Dataset)
		}
		return false
	})
}

// members walks an object's members, calling member with the cursor on each value.
// Keys are raw bytes (no escapes): a key is compared, never kept.
func (c *fastScan) members(member func(key []byte) bool) bool {
	c.ws()
	if c.i >= len(c.raw) || c.raw[c.i] != '{' {
		return false
	}
	c.i++
	c.ws()
	if c.i < len(c.raw) && c.raw[c.i] == '}' {
		c.i++
		return true
	}
	for {
		c.ws()
		var key span
		if !c.span(&key) {
			return false
		}
		c.ws()
		if c.i >= len(c.raw) || c.raw[c.i] != ':' {
			return false
		}
		c.i++
		c.ws()
		if !member(c.raw[key.at:key.end]) {
			return false
		}
		c.ws()
		if c.i >= len(c.raw) {
			return false
		}
		switch c.raw[c.i] {
		case ',':
			c.i++
		case '}':
			c.i++
			return true
		default:
			return false
		}
	}
}

// span notes where a string with no escapes is.
func (c *fastScan) span(dst *span) bool {
	if c.i >= len(c.raw) || c.raw[c.i] != '"' {
		return false
	}
	start := c.i + 1
	for j := start; j < len(c.raw); j++ {
		switch c.raw[j] {
		case '"':
			*dst = span{start, j}
			c.i = j + 1
			return true
		case '\\':
			return false
		}
	}
	return false
}

// rawValue keeps one value's bytes, as json.RawMessage does.
func (c *fastScan) rawValue(dst *json.RawMessage) bool {
	start := c.i
	if c.any(0) != nil {
		return false
	}
	*dst = json.RawMessage(c.raw[start:c.i])
	return true
}

// payloadJSON is the event's payload as JSON, written around the DOM event's raw bytes
// (the gate resolved Target, so the page's own payload bytes will not do). ok false
// when the page's bytes are not at hand, or Target or Handler would need an escape
// (never, once validated): json.Marshal then writes it.
func (e *Event) payloadJSON() (json.RawMessage, bool) {
	if e.raw == nil || !plainJSONText(e.Target) || !plainJSONText(e.Handler) {
		return nil, false
	}
	b := make([]byte, 0, len(`{"target":"","handler":"","event":}`)+len(e.Target)+len(e.Handler)+len(e.raw))
	b = append(b, `{"target":"`...)
	b = append(b, e.Target...)
	b = append(b, `","handler":"`...)
	b = append(b, e.Handler...)
	b = append(b, `","event":`...)
	b = append(b, e.raw...)
	return append(b, '}'), true
}

// plainJSONText: s is printable ASCII that a JSON string holds without an escape.
func plainJSONText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// payloadJSON is the model's payload as JSON with its resolved target, written around
// the page's own bytes of Value (a free value the scan proved). ok false when Target
// or Key would need an escape (never, once validated) or Value is missing.
func (m *Model) payloadJSON() (json.RawMessage, bool) {
	if len(m.Value) == 0 || !plainJSONText(m.Target) || !plainJSONText(m.Key) {
		return nil, false
	}
	b := make([]byte, 0, len(`{"target":"","key":"","value":}`)+len(m.Target)+len(m.Key)+len(m.Value))
	b = append(b, `{"target":"`...)
	b = append(b, m.Target...)
	b = append(b, `","key":"`...)
	b = append(b, m.Key...)
	b = append(b, `","value":`...)
	b = append(b, m.Value...)
	return append(b, '}'), true
}
