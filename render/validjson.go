package render

// validJSON reports whether b is exactly one JSON value with nothing but white space
// around it: json.Valid's answer (FuzzValidJSON holds the two together), in one pass
// with no state machine, as Send checks every envelope's payload on the push path.
// Nesting deeper than maxValidDepth is left to json.Valid.
func validJSON(b []byte) bool {
	v := jsonCheck{b: b}
	i, ok := v.value(v.ws(0), 0)
	if v.deep {
		return jsonValid(b)
	}
	return ok && v.ws(i) == len(b)
}

const maxValidDepth = 512

type jsonCheck struct {
	b    []byte
	deep bool // nesting went past maxValidDepth: not decided here
}

func (v *jsonCheck) ws(i int) int {
	for i < len(v.b) {
		switch v.b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value checks the value starting at i and returns the index after it.
func (v *jsonCheck) value(i, depth int) (int, bool) {
	if i >= len(v.b) {
		return i, false
	}
	switch c := v.b[i]; {
	case c == '"':
		return v.str(i)
	case c == '{':
		return v.object(i, depth+1)
	case c == '[':
		return v.array(i, depth+1)
	case c == '-' || '0' <= c && c <= '9':
		return v.number(i)
	case c == 't':
		return v.word(i, "true")
	case c == 'f':
		return v.word(i, "false")
	case c == 'n':
		return v.word(i, "null")
	}
	return i, false
}

func (v *jsonCheck) word(i int, w string) (int, bool) {
	if len(v.b)-i < len(w) || string(v.b[i:i+len(w)]) != w {
		return i, false
	}
	return i + len(w), true
}

func (v *jsonCheck) object(i, depth int) (int, bool) {
	if depth > maxValidDepth {
		v.deep = true
		return i, false
	}
	i = v.ws(i + 1)
	if i < len(v.b) && v.b[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(v.b) || v.b[i] != '"' {
			return i, false
		}
		var ok bool
		if i, ok = v.str(i); !ok {
			return i, false
		}
		i = v.ws(i)
		if i >= len(v.b) || v.b[i] != ':' {
			return i, false
		}
		if i, ok = v.value(v.ws(i+1), depth); !ok {
			return i, false
		}
		var more bool
		if i, more, ok = v.next(i, '}'); !more {
			return i, ok
		}
	}
}

func (v *jsonCheck) array(i, depth int) (int, bool) {
	if depth > maxValidDepth {
		v.deep = true
		return i, false
	}
	i = v.ws(i + 1)
	if i < len(v.b) && v.b[i] == ']' {
		return i + 1, true
	}
	for {
		var ok bool
		if i, ok = v.value(i, depth); !ok {
			return i, false
		}
		var more bool
		if i, more, ok = v.next(i, ']'); !more {
			return i, ok
		}
	}
}

// next reads what follows a member or element: a comma (more follows, at the returned
// index), the closing byte (the value ends after it), or anything else (invalid).
func (v *jsonCheck) next(i int, closing byte) (at int, more, ok bool) {
	i = v.ws(i)
	switch {
	case i >= len(v.b):
		return i, false, false
	case v.b[i] == ',':
		return v.ws(i + 1), true, true
	case v.b[i] == closing:
		return i + 1, false, true
	}
	return i, false, false
}

// str checks the string starting at the quote at i. Like json.Valid, it takes any
// bytes above 0x1f (invalid UTF-8 included: the escaping after it replaces them).
func (v *jsonCheck) str(i int) (int, bool) {
	b := v.b
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return i, false
		case c == '\\':
			i++
			if i >= len(b) {
				return i, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(b)-i < 5 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return i, false
				}
				i += 4
			default:
				return i, false
			}
		}
	}
	return i, false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func (v *jsonCheck) number(i int) (int, bool) {
	b := v.b
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return i, false
		}
		for i++; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return i, false
		}
		for i++; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	}
	return i, true
}
