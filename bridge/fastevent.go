package bridge

import (
	"encoding/json"
	"strconv"
)

// decodeEventFast decodes an event payload the fast scan has already proved (shape,
// types, bounds) without encoding/json: strings without escapes are sliced, free
// values (detail, dataset, mark, touches) are kept as the raw bytes. ok false: a
// string holds an escape, or anything else unusual; json.Unmarshal takes over.
func decodeEventFast(b []byte) (*Event, bool) {
	c := &fastScan{raw: b, maxDepth: 1 << 30}
	e := new(Event)
	ok := c.members(func(key string) bool {
		switch key {
		case "target":
			return c.plainString(&e.Target)
		case "handler":
			return c.plainString(&e.Handler)
		case "event":
			return c.domEvent(&e.Event)
		}
		return false
	})
	return e, ok && c.i == len(b)
}

func (c *fastScan) domEvent(d *DOMEvent) bool {
	return c.members(func(key string) bool {
		switch key {
		case "type":
			return c.plainString(&d.Type)
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
			return c.eventTarget(&d.Target)
		case "currentTarget":
			return c.eventTarget(&d.CurrentTarget)
		case "mark":
			return c.rawMap(&d.Mark)
		case "touches":
			return c.rawValue(&d.Touches)
		case "changedTouches":
			return c.rawValue(&d.ChangedTouches)
		}
		return false
	})
}

func (c *fastScan) eventTarget(t *EventTarget) bool {
	return c.members(func(key string) bool {
		switch key {
		case "id":
			return c.plainString(&t.ID)
		case "dataset":
			return c.rawMap(&t.Dataset)
		}
		return false
	})
}

// members walks an object's members, calling member with the cursor on each value.
func (c *fastScan) members(member func(key string) bool) bool {
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
		var key string
		if !c.plainString(&key) {
			return false
		}
		c.ws()
		if c.i >= len(c.raw) || c.raw[c.i] != ':' {
			return false
		}
		c.i++
		c.ws()
		if !member(key) {
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

// plainString reads a string with no escapes.
func (c *fastScan) plainString(dst *string) bool {
	if c.i >= len(c.raw) || c.raw[c.i] != '"' {
		return false
	}
	start := c.i + 1
	for j := start; j < len(c.raw); j++ {
		switch c.raw[j] {
		case '"':
			*dst = string(c.raw[start:j])
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

// rawMap reads an object (or null) into a map of raw values.
func (c *fastScan) rawMap(dst *map[string]json.RawMessage) bool {
	if c.i < len(c.raw) && c.raw[c.i] == 'n' {
		if c.literal() != nil {
			return false
		}
		*dst = nil
		return true
	}
	m := map[string]json.RawMessage{}
	ok := c.members(func(key string) bool {
		var v json.RawMessage
		if !c.rawValue(&v) {
			return false
		}
		m[key] = v
		return true
	})
	*dst = m
	return ok
}
