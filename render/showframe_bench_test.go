package render

import (
	"testing"
	"time"
)

// frameScript answers "frame" at the page's next animation frame.
const frameScript = `window.__sf_recv = function (text) { JSON.parse(text).forEach(function (env) {
  if ((Array.isArray(env) ? env[1] : env.payload).text === 'frame') requestAnimationFrame(function () { window.__sf_post('frame'); });
}); };
document.addEventListener('DOMContentLoaded', function () { window.__sf_post('hello'); });`

// BenchmarkShowToFirstFrame: the pre-warmed window (hidden, its page loaded) taken and
// shown, to its page's first animation frame (show-frame-ms, the op); and, for
// comparison, a frame of a window shown a while before (later-frame-ms). Each op waits
// about a second for the next spare: run it with -benchtime 8x. The next spare is made
// between launches, never while one is measured (in the shell, RefillDelay keeps it
// out of a launch).
func BenchmarkShowToFirstFrame(b *testing.B) {
	needWindow(b)
	defer func(d, r time.Duration) { PrewarmDelay, RefillDelay = d, r }(PrewarmDelay, RefillDelay)
	PrewarmDelay, RefillDelay = 0, time.Hour
	opts := WindowOptions{Width: 414, Height: 736, HTML: echoHTML, Script: frameScript}
	defer Prewarm(opts, 0)
	var later time.Duration
	for b.Loop() {
		b.StopTimer()
		Prewarm(opts, 1)
		waitPoolReady(b)
		time.Sleep(500 * time.Millisecond) // pacing: the spare's web process settles
		got := make(chan string, 8)
		o := opts
		o.OnMessage = func(raw string) { got <- raw }
		b.StartTimer()
		w, err := OpenWindow(o)
		if err != nil {
			b.Fatal(err)
		}
		expectMessage(b, got, "hello") // said while pooled
		if err := w.Send(mustEnvelope(b, "frame")); err != nil {
			b.Fatal(err)
		}
		expectMessage(b, got, "frame")
		b.StopTimer()
		time.Sleep(300 * time.Millisecond)
		start := time.Now()
		if err := w.Send(mustEnvelope(b, "frame")); err != nil {
			b.Fatal(err)
		}
		expectMessage(b, got, "frame")
		later += time.Since(start)
		w.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "show-frame-ms")
	b.ReportMetric(float64(later.Microseconds())/1000/float64(b.N), "later-frame-ms")
}
