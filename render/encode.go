package render

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/sandframe/sandframe/bridge"
)

// appendEnvelope appends env as one element of a push's JSON array: an envelope of
// this protocol version without a sender in the short form ["kind",payload] (the page
// reads it as {"v":1,"kind":"kind","payload":payload}: docs/protocol.md, "Batches"),
// any other in full, {"v":…,"kind":…,"payload":…,"sender":…}. Pushes are mostly small
// messages, and the envelope's wrapper was about half of one's bytes: the bytes of an
// Eval are what WebKit's IPC pays for (docs/performance.md). The payload goes as it
// is (logic and host made it with encoding/json; checkEnvelope proved it one value).
func appendEnvelope(b []byte, env bridge.Envelope) ([]byte, error) {
	if !plainName(string(env.Kind)) {
		return nil, fmt.Errorf("kind %q is not a plain name", env.Kind)
	}
	if env.V == bridge.Version && env.Sender == nil {
		b = append(b, `["`...)
		b = append(b, env.Kind...)
		b = append(b, `",`...)
		b = appendPayload(b, env.Payload)
		return append(b, ']'), nil
	}
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(env.V), 10)
	b = append(b, `,"kind":"`...)
	b = append(b, env.Kind...)
	b = append(b, `","payload":`...)
	b = appendPayload(b, env.Payload)
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

func appendPayload(b, payload []byte) []byte {
	if len(payload) == 0 {
		return append(b, "null"...)
	}
	return append(b, payload...)
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
// holding one JSON array of every envelope queued since the last push (each in the
// short form when it can be, appendEnvelope), in order, so
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

// Coalescing a burst. The first Send of a burst schedules the flush at once (a push
// alone must not wait), so the UI thread used to run it while the sender was still
// queueing, and a burst of 1000 went in 2–4 Evals. Each Eval has a fixed cost in WebKit
// (an IPC message there and a reply back, and above 4 KiB a shared-memory segment made
// for it: docs/performance.md), so flush holds back while envelopes are still arriving:
// it comes back at the UI loop's next turn (Do), and goes once no Send came for
// burstQuiet, after burstMax in any case, or once the batch is burstBytes long. One
// envelope waiting is a lone push, and goes at once, as before, unless the last push
// went less than burstQuiet ago: then it is part of a stream whose sender is slower
// than the UI thread (each envelope would otherwise go in an Eval of its own), and waits
// as a burst does.
const (
	burstQuiet = 20 * time.Microsecond
	burstMax   = time.Millisecond
	burstBytes = maxKeptBatch
)

// burst is flush's view of the sends. Send counts each envelope (under Window.mu);
// flush looks without the lock, so that holding back does not stall the sender on it,
// and its own fields are the UI thread's alone.
type burst struct {
	sends atomic.Uint64 // Sends so far
	size  atomic.Int64  // the open batch's length in bytes

	taken    uint64    // sends in the batches flush took
	seen     uint64    // sends at flush's last look
	start    time.Time // flush's first look at this batch; zero: none yet
	seenAt   time.Time // when flush saw sends change last
	pushedAt time.Time // when the last push's Eval returned

	deferrals, pushes atomic.Uint64 // times flush held back, and Evals (tests)
}

// sent counts one envelope queued; the open batch is now size bytes long.
func (b *burst) sent(size int) {
	b.sends.Add(1)
	b.size.Store(int64(size))
}

// take starts over for the next batch: flush took the open one (under Window.mu).
func (b *burst) take() {
	if n := b.sends.Load(); n != b.taken {
		b.taken = n
		b.pushes.Add(1)
	}
	b.size.Store(0)
	b.start = time.Time{}
}

// pushed notes the time the last push's Eval returned.
func (b *burst) pushed(now time.Time) { b.pushedAt = now }

// wait reports whether flush, at now, should hold back the open batch.
func (b *burst) wait(now time.Time) bool {
	sends := b.sends.Load()
	queued := sends - b.taken
	lone := queued == 1 && now.Sub(b.pushedAt) >= burstQuiet
	if queued == 0 || lone || b.size.Load() >= burstBytes {
		return false
	}
	switch {
	case b.start.IsZero():
		b.start, b.seen, b.seenAt = now, sends, now
	case now.Sub(b.start) >= burstMax:
		return false
	case sends != b.seen:
		b.seen, b.seenAt = sends, now
	case now.Sub(b.seenAt) >= burstQuiet:
		return false
	}
	b.deferrals.Add(1)
	return true
}
