package render

import (
	"fmt"
	"testing"
	"time"

	webview "github.com/webview/webview_go"
)

// The raw baseline: webview_go on its own, no Sandframe in between. The page awaits a
// bound Go function in a loop; Go answers each call at once. Our bridge figures are
// read as ratios to this one, measured in the same run on the same loop
// (scripts/bench.sh).

var (
	rawWV   webview.WebView
	rawDone = make(chan int, 16)
	rawUp   = make(chan struct{}, 1)
)

const rawHTML = `<!doctype html><html><head><meta charset="utf-8"></head><body>raw</body></html>`

// rawScript runs n awaited calls of the bound rawEcho, then reports through rawDone.
const rawScript = `window.rawLoop = async function (n) {
  var x = 0;
  for (var i = 0; i < n; i++) x = await window.rawEcho(i);
  window.rawDone(n);
};
document.addEventListener('DOMContentLoaded', function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () { window.rawUp(); }); });
});`

// startRawWindow opens the raw webview_go window; call it on the UI thread before the
// loop runs.
func startRawWindow() {
	rawWV = webview.New(false)
	// Compositing as our windows have it: the ratio compares the bridges alone.
	applyAcceleration(rawWV.Window())
	rawWV.SetTitle("raw webview_go")
	rawWV.SetSize(320, 240, webview.HintNone)
	_ = rawWV.Bind("rawEcho", func(i int) int { return i })
	_ = rawWV.Bind("rawDone", func(n int) { rawDone <- n })
	_ = rawWV.Bind("rawUp", func() {
		select {
		case rawUp <- struct{}{}:
		default:
		}
	})
	rawWV.Init(rawScript)
	rawWV.SetHtml(rawHTML)
}

// rawLoop runs n awaited Bind calls in the raw page and returns how long they took.
func rawLoop(tb testing.TB, n int) time.Duration {
	tb.Helper()
	start := time.Now()
	rawWV.Dispatch(func() { rawWV.Eval(fmt.Sprintf("window.rawLoop(%d)", n)) })
	select {
	case <-rawDone:
	case <-time.After(60 * time.Second):
		tb.Fatal("the raw page did not finish its loop")
	}
	return time.Since(start)
}

func waitRaw(tb testing.TB) {
	tb.Helper()
	needWindow(tb)
	select {
	case <-rawUp:
		rawUp <- struct{}{} // stays up for the next benchmark
	case <-time.After(30 * time.Second):
		tb.Fatal("the raw page never loaded")
	}
}

// BenchmarkWebViewRawBind is webview_go's own round trip: the page awaits a bound Go
// function, Go answers (the answer is a second Eval that resolves the page's promise).
// One op is one awaited call.
func BenchmarkWebViewRawBind(b *testing.B) {
	waitRaw(b)
	rawLoop(b, 20) // warm up
	b.ResetTimer()
	rawLoop(b, b.N)
}
