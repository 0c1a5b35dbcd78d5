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

// checkEnvelope refuses a payload that could break the JSON array the envelope travels
// in: one that is not exactly one JSON value (appendEnvelope refuses a kind that is not
// a plain name). Logic and host make payloads with encoding/json, so this only ever
// catches a bug or a payload that was never decoded.
func checkEnvelope(env bridge.Envelope) error {
	if len(env.Payload) > 0 && !validJSON(env.Payload) {
		return fmt.Errorf("render: encode %s: the payload is not valid JSON", env.Kind)
	}
	return nil
}

// jsonValid is encoding/json's check, for what validJSON leaves to it.
func jsonValid(b []byte) bool { return json.Valid(b) }
