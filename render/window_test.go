package render

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// The window tests share one window driven from the main thread, as the shell does:
// TestMain runs the UI loop there and the tests on another goroutine.

func init() { runtime.LockOSThread() }

var (
	testWin  *Window
	received = make(chan string, 100000)
)

// echoPage answers every message with a post of the same envelope, the cheapest page
// there is: what the tests measure is the transport. A push is one JSON array of
// envelopes (encode.go), parsed once; an element ["kind", payload] is the short form of
// {v: 1, kind, payload}, read as the runtime reads it (transport.js, expandEnvelope).
// Messages with the text "quiet" are swallowed, so a batch benchmark measures the push
// and not the return path.
const echoScript = `window.__sf_recv = function (text) {
  var batch = JSON.parse(text);
  for (var i = 0; i < batch.length; i++) {
    var e = batch[i];
    var env = Array.isArray(e) && e.length === 2 && typeof e[0] === "string" ? { v: 1, kind: e[0], payload: e[1] } : e;
    if (env.payload.text !== "quiet") window.__sf_post(JSON.stringify(env));
  }
};
document.addEventListener('DOMContentLoaded', function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () { window.__sf_post('loaded'); }); });
});`

const echoHTML = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>html,body{margin:0;height:100%;background:#07c160}</style></head><body></body></html>`

func TestMain(m *testing.M) {
	if os.Getenv("DISPLAY") == "" {
		os.Exit(m.Run())
	}
	// Benchmarks compare accelerated compositing on and off (docs/performance.md);
	// TestAccelerationInAProcessWithGL runs TestAcceleration with it on.
	if m := os.Getenv("SANDFRAME_BENCH_ACCELERATION"); m != "" {
		if err := SetAcceleration(m); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	var err error
	testWin, err = NewWindow(WindowOptions{
		Title: "render test", Width: 320, Height: 240, HTML: echoHTML, Script: echoScript,
		OnMessage: func(raw string) {
			if f := onUIMessage.Load(); f != nil && (*f)(raw) {
				return
			}
			received <- raw
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	startRuntimeWindow()
	startRawWindow()
	code := make(chan int, 1)
	go func() {
		// Messages sent before the document has loaded would reach about:blank: wait
		// for the page to say it is there and painted.
		select {
		case <-received:
		case <-time.After(30 * time.Second):
			fmt.Fprintln(os.Stderr, "render test page never loaded")
			code <- 1
			testWin.Close()
			return
		}
		// The runtime window shares the UI loop that testWin.Run drives.
		rtWin.markRunning()
		code <- m.Run()
		testWin.Close()
	}()
	testWin.Run()
	os.Exit(<-code)
}

func needWindow(tb testing.TB) {
	tb.Helper()
	if testWin == nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("no DISPLAY on CI: run through scripts/test.sh (xvfb-run)")
		}
		tb.Skip("no DISPLAY: run under xvfb-run")
	}
}

func drain() {
	for {
		select {
		case <-received:
		default:
			return
		}
	}
}

func TestSendDeliversEveryMessageInOrder(t *testing.T) {
	needWindow(t)
	drain()
	const n = 2000
	var wg sync.WaitGroup
	// Two senders at once, as logic and host do.
	for s := 0; s < 2; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			for i := 0; i < n/2; i++ {
				env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "toast", "title": fmt.Sprintf("%d-%d", s, i)})
				if err := testWin.Send(env); err != nil {
					t.Error(err)
					return
				}
			}
		}(s)
	}
	wg.Wait()
	next := map[int]int{}
	deadline := time.After(20 * time.Second)
	for got := 0; got < n; got++ {
		select {
		case raw := <-received:
			var env struct {
				Payload struct {
					Title string `json:"title"`
				} `json:"payload"`
			}
			if err := json.Unmarshal([]byte(raw), &env); err != nil {
				t.Fatal(err)
			}
			var s, i int
			fmt.Sscanf(env.Payload.Title, "%d-%d", &s, &i)
			if i != next[s] {
				t.Fatalf("sender %d: got message %d, want %d (order lost)", s, i, next[s])
			}
			next[s]++
		case <-deadline:
			t.Fatalf("only %d of %d messages came back", got, n)
		}
	}
}

func TestUnicodeSurvivesTheTrip(t *testing.T) {
	needWindow(t)
	drain()
	text := "line\u2028sep\u2029 </script> \"quotes\" 𝄞 中文 \x01"
	env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": text})
	if err := testWin.Send(env); err != nil {
		t.Fatal(err)
	}
	select {
	case raw := <-received:
		var back struct {
			Payload struct {
				Text string `json:"text"`
			} `json:"payload"`
		}
		if err := json.Unmarshal([]byte(raw), &back); err != nil {
			t.Fatal(err)
		}
		if back.Payload.Text != text {
			t.Fatalf("text came back as %q", back.Payload.Text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer")
	}
}

func TestScreenshotAndGeometry(t *testing.T) {
	needWindow(t)
	path := filepath.Join(t.TempDir(), "shot.png")
	if err := testWin.Screenshot(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 320 || b.Dy() != 240 {
		t.Fatalf("screenshot is %dx%d, want 320x240", b.Dx(), b.Dy())
	}
	// The page's background is #07c160: the screenshot shows the page, not a blank.
	r, g, bl, _ := img.At(b.Dx()/2, b.Dy()/2).RGBA()
	if r>>8 > 0x20 || g>>8 < 0xa0 || bl>>8 < 0x40 || bl>>8 > 0x80 {
		t.Fatalf("centre pixel = #%02x%02x%02x, want the page's green", r>>8, g>>8, bl>>8)
	}
	_, _, w, h, err := testWin.Geometry()
	if err != nil || w != 320 || h != 240 {
		t.Fatalf("geometry = %dx%d, %v", w, h, err)
	}
}

// BenchmarkWebViewRoundTrip is one push from Go to the page answered by a bound call,
// the floor under every UI update.
func BenchmarkWebViewRoundTrip(b *testing.B) {
	needWindow(b)
	drain()
	env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "x"})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := testWin.Send(env); err != nil {
			b.Fatal(err)
		}
		<-received
	}
}

// BenchmarkWebViewBatch1000 is 1000 pushes queued at once (they go in one Eval),
// answered by one post at the end. evals/op: the Evals they took.
func BenchmarkWebViewBatch1000(b *testing.B) {
	needWindow(b)
	drain()
	quiet, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "quiet"})
	last, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "last"})
	p0, _ := pushCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 999; j++ {
			testWin.Send(quiet)
		}
		testWin.Send(last)
		<-received
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "msgs/s")
	p1, _ := pushCounts()
	b.ReportMetric(float64(p1-p0)/float64(b.N), "evals/op")
}
