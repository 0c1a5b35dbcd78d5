package wxml

import (
	"html"
	"strings"
)

// value compiles s.text[a:b], an attribute value or text, into a Value: static pieces
// have their entities decoded; {{ }} pieces are parsed as expressions in place, so
// their errors point into the file.
func value(s *source, a, b int) Value {
	var parts []Part
	prev := a
	for i := a; ; {
		j := strings.Index(s.text[i:b], "{{")
		if j < 0 {
			break
		}
		j += i
		end := mustacheEnd(s.text, j+2, b)
		if end < 0 {
			s.fail(j, "unclosed {{: missing }}")
		}
		if j > prev {
			parts = appendStr(parts, decodeEntities(s.text[prev:j]))
		}
		if strings.TrimSpace(s.text[j+2:end]) == "" {
			// WeChat's compiler accepts an empty mustache and renders nothing for it.
			if s.warnf != nil {
				s.warnf(j, "empty {{}} renders as nothing")
			}
			parts = appendStr(parts, "")
		} else {
			parts = append(parts, Part{X: parseExprRange(s, j+2, end)})
		}
		i, prev = end+2, end+2
	}
	if prev < b {
		parts = appendStr(parts, decodeEntities(s.text[prev:b]))
	}
	switch {
	case len(parts) == 0:
		return Value{}
	case len(parts) == 1 && parts[0].X == nil:
		return Value{Str: parts[0].Str}
	case len(parts) == 1:
		return Value{X: parts[0].X}
	}
	return Value{Cat: parts}
}

// appendStr adds static text to parts, joined to static text before it (an empty
// {{}} leaves two static pieces side by side).
func appendStr(parts []Part, str string) []Part {
	if n := len(parts); n > 0 && parts[n-1].X == nil {
		parts[n-1].Str += str
		return parts
	}
	return append(parts, Part{Str: str})
}

// attrValue compiles an attribute's value; a boolean attribute without one is true.
func attrValue(s *source, a rawAttr) Value {
	if !a.hasValue {
		return Value{Flag: true}
	}
	return value(s, a.vstart, a.vend)
}

func decodeEntities(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return html.UnescapeString(s)
}
