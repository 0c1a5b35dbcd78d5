package render

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/sandframe/sandframe/bridge"
)

// appendEnvelope appends env as JSON: the envelope by hand, its payload as it is
// (logic and host made it with encoding/json). An invalid payload cannot escape the
// string literal it travels in (appendJSString): the page's JSON.parse refuses it.
func appendEnvelope(b []byte, env bridge.Envelope) ([]byte, error) {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(env.V), 10)
	b = append(b, `,"kind":`...)
	b = strconv.AppendQuote(b, string(env.Kind))
	b = append(b, `,"payload":`...)
	if len(env.Payload) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, env.Payload...)
	}
	if env.Sender != nil {
		s, err := json.Marshal(env.Sender)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"sender":`...)
		b = append(b, s...)
	}
	return append(b, '}'), nil
}

// appendJSString appends s as a JavaScript string literal in double quotes: quotes,
// backslashes, control characters, U+2028/U+2029 and invalid UTF-8 are escaped, so the
// literal is one token whatever s holds.
func appendJSString(b []byte, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
