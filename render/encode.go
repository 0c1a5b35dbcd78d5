package render

import (
	"encoding/json"
	"fmt"
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
	b = append(b, `,"kind":"`...)
	if !plainName(string(env.Kind)) {
		return nil, fmt.Errorf("kind %q is not a plain name", env.Kind)
	}
	b = append(b, env.Kind...)
	b = append(b, `","payload":`...)
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
	b = append(b, '"')
	b = appendJSStringBody(b, s, '"')
	return append(b, '"')
}

// appendJSStringBody appends s escaped as the inside of a JavaScript string literal
// quoted with quote (' or "): appendJSString without the quotes. Escaping is per byte
// sequence, so the bodies of two texts, appended one after the other, are the body of
// the two texts joined: a batch is escaped piece by piece as its envelopes arrive.
func appendJSStringBody(b []byte, s []byte, quote byte) []byte {
	const hex = "0123456789abcdef"
	plain := &plainInSingle
	if quote == '"' {
		plain = &plainInDouble
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case quote, '\\':
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
	return append(b, s[start:]...)
}

// A push is one Eval of one call, window.__sf_recv('[env,env,…]'): one string literal
// holding one JSON array of every envelope queued since the last push, in order, so
// the page runs one JSON.parse per push, not one per message (docs/protocol.md,
// "Batches"). As a JavaScript object literal, a "__proto__" key in mini-app data would
// be syntax, not data: it stays a string for the page to parse. The literal is
// single-quoted: JSON is full of double quotes and rarely holds a single one, so most
// of an envelope is copied as it is.
const (
	batchQuote = '\''
	batchOpen  = `window.__sf_recv('[`
	batchClose = `]');`
)

// appendToBatch adds one envelope, already escaped (appendJSStringBody), to the open
// batch b (empty: none yet).
func appendToBatch(b, escaped []byte) []byte {
	if len(b) == 0 {
		b = append(b, batchOpen...)
	} else {
		b = append(b, ',')
	}
	return append(b, escaped...)
}

// closeBatch ends the batch's script.
func closeBatch(b []byte) []byte { return append(b, batchClose...) }

// plainInSingle and plainInDouble tell the bytes that stand for themselves in a string
// literal quoted with ' and with ": printable ASCII but the quote and the backslash.
var plainInSingle, plainInDouble = plainBytes('\''), plainBytes('"')

func plainBytes(quote byte) (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != int(quote) && c != '\\'
	}
	return t
}

// plainName reports whether kind can be written in JSON as it is: a message kind is
// a short ASCII name.
func plainName(kind string) bool {
	if kind == "" {
		return false
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
