package render

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// benchIndex binds onTap on the bench page's template.
type benchIndex struct{}

func (benchIndex) PageHandlers(route string) (map[string]bool, bool) {
	return map[string]bool{"onTap": true}, route == "pages/b/b"
}
func (benchIndex) ComponentHandlers(string) (map[string]bool, bool) { return nil, false }
func (benchIndex) Uses(string, string) bool                         { return false }

// benchTap is a tap as the render runtime posts it.
const benchTap = `{"v":1,"kind":"event","payload":{"target":"page","handler":"onTap","event":{"type":"tap","timeStamp":1234.5,"detail":{"x":10,"y":4},"target":{"id":"add","dataset":{"k":1}},"currentTarget":{"id":"add","dataset":{"k":1}},"mark":{}}}}`

func benchGate(tb testing.TB) *bridge.Gate {
	tb.Helper()
	audit, err := bridge.OpenAuditLog(bridge.AuditConfig{Path: filepath.Join(tb.TempDir(), "audit.jsonl"), MaxSizeMB: 64, MaxBackups: 1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { audit.Close() })
	g := bridge.NewGate(bridge.GateConfig{App: "bench", Window: "w1", Index: benchIndex{}, Audit: audit,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	g.SetStack(bridge.Stack{Pages: []bridge.PageRef{{ID: "p1", Route: "pages/b/b"}}})
	return g
}

// BenchmarkWebViewEventRoundTrip is page → host → page on the host's own path: the
// page posts a tap; the UI thread only enqueues it; a goroutine takes it through the
// gate (strict decode, validation, handler check, sender stamp; audit log open) and
// answers with a push, which the page answers with the next tap. One op is one cycle.
// The page is the echo page: what it gets is the tap, which it posts straight back.
func BenchmarkWebViewEventRoundTrip(b *testing.B) {
	needWindow(b)
	drain()
	g := benchGate(b)
	var tap bridge.Envelope
	if err := json.Unmarshal([]byte(benchTap), &tap); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := testWin.Send(tap); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		var raw string
		select {
		case raw = <-received:
		case <-time.After(20 * time.Second):
			b.Fatal("the page stopped answering")
		}
		env, err := g.FromPage([]byte(raw))
		if err != nil {
			b.Fatal(err)
		}
		if env.Sender == nil || env.Sender.Page != "p1" {
			b.Fatalf("not stamped: %+v", env.Sender)
		}
		if i < b.N-1 {
			if err := testWin.Send(tap); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// onUIMessage, when set, sees the test window's posts first, on the UI thread; true:
// it took the message.
var onUIMessage atomic.Pointer[func(raw string) bool]

// BenchmarkWebViewEventRoundTripInline is the same cycle answered on the UI thread, as
// webview_go answers a bound call: the gate's checks and the push run in the handler,
// with no hand-over to a goroutine and back. It is the like-for-like comparison with
// BenchmarkWebViewRawBind; BenchmarkWebViewEventRoundTrip adds the two thread hand-overs
// the host makes.
func BenchmarkWebViewEventRoundTripInline(b *testing.B) {
	needWindow(b)
	drain()
	g := benchGate(b)
	var tap bridge.Envelope
	if err := json.Unmarshal([]byte(benchTap), &tap); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	left := b.N
	f := func(raw string) bool {
		env, err := g.FromPage([]byte(raw))
		if err == nil && (env.Sender == nil || env.Sender.Page != "p1") {
			err = errors.New("not stamped")
		}
		if left--; err != nil || left == 0 {
			done <- err
			return true
		}
		if err := testWin.Send(tap); err != nil {
			done <- err
		}
		return true
	}
	onUIMessage.Store(&f)
	defer onUIMessage.Store(nil)
	b.ResetTimer()
	if err := testWin.Send(tap); err != nil {
		b.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			b.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		b.Fatal("the page stopped answering")
	}
}
