package render

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/sandframe/sandframe/bridge"
)

// What Window.Send needs besides the window: the check that keeps one bad envelope
// out of a batch, and reused buffers, so that a busy push path allocates nothing per
// message.

// maxKeptBatch bounds the buffers kept for reuse: a rare huge push (an init with its
// images) is not held for the window's life.
const maxKeptBatch = 256 << 10

type sendScratch struct {
	raw []byte // the envelope's JSON
	esc []byte // the same, escaped for the string literal
}

var scratchPool = sync.Pool{New: func() any { return new(sendScratch) }}

func (sc *sendScratch) put() {
	if cap(sc.raw) > maxKeptBatch || cap(sc.esc) > maxKeptBatch {
		return
	}
	scratchPool.Put(sc)
}

// checkEnvelope refuses what could break the JSON array the envelope travels in:
// a kind that is not a plain name, or a payload that is not exactly one JSON value.
// Logic and host make payloads with encoding/json, so this only ever catches a bug or
// a payload that was never decoded.
func checkEnvelope(env bridge.Envelope) error {
	if env.Kind == "" {
		return fmt.Errorf("render: encode: envelope without a kind")
	}
	for i := 0; i < len(env.Kind); i++ {
		c := env.Kind[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return fmt.Errorf("render: encode: kind %q is not a plain name", env.Kind)
		}
	}
	if len(env.Payload) > 0 && !json.Valid(env.Payload) {
		return fmt.Errorf("render: encode %s: the payload is not valid JSON", env.Kind)
	}
	return nil
}
