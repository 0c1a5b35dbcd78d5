package e2e

import (
	"testing"
	"time"
)

// TestFirstPaintIsRecorded: the page records its first paint (the animation frame
// after the first render that showed a page) and automation reads it back, in order
// and on the test's clock (docs/performance.md).
func TestFirstPaintIsRecorded(t *testing.T) {
	start := time.Now()
	r := launch(t, "examples/todo")
	ctx := ctxT(t)
	p := firstPaint(t, ctx, r.client, r.stderr)
	end := time.Now()
	if !(p.Loaded <= p.Rendered && p.Rendered <= p.Painted) {
		t.Fatalf("out of order: %+v", p)
	}
	if p.Painted < ms(start) || p.Painted > ms(end) {
		t.Fatalf("painted at %.0f, outside the launch (%.0f … %.0f)", p.Painted, ms(start), ms(end))
	}
	els, err := r.client.Query(ctx, "#new-todo")
	if err != nil || len(els) != 1 {
		t.Fatalf("the painted page has no #new-todo: %v %v", els, err)
	}
}
