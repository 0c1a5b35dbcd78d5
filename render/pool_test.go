package render

import (
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// poolScript posts "hello" and the page's viewport as soon as the document is there (a
// hidden window may paint no frames), and echoes what it receives.
const poolScript = `window.__sf_recv = function (text) { JSON.parse(text).forEach(function (env) { window.__sf_post("echo " + (Array.isArray(env) ? env[1] : env.payload).text); }); };
document.addEventListener('DOMContentLoaded', function () { window.__sf_post('hello ' + innerWidth + 'x' + innerHeight); });`

// TestPrewarmedWindow: with the pool on, the next window of the same document comes
// made ahead, its page's first message (said before any app took it) reaches the
// taker, it works like any window, and the one after it is made on demand until the
// pool refills. A window of another document never comes from the pool.
func TestPrewarmedWindow(t *testing.T) {
	needWindow(t)
	defer func(d, r time.Duration) { PrewarmDelay, RefillDelay = d, r }(PrewarmDelay, RefillDelay)
	PrewarmDelay, RefillDelay = 0, time.Hour
	opts := WindowOptions{Width: 360, Height: 240, HTML: echoHTML, Script: poolScript}
	Prewarm(opts, 1)
	defer Prewarm(opts, 0)
	waitPoolReady(t)

	got := make(chan string, 8)
	o := opts
	o.Title = "from the pool"
	o.OnMessage = func(raw string) { got <- raw }
	w := openPooled(t, o)
	// Said while pooled, held for the app; the hidden window was laid out at its size,
	// so its page's viewport was the app's before it was shown (a first render at
	// WebKit's default size was done again at the first resize).
	expectMessage(t, got, "hello 360x240")
	env := mustEnvelope(t, "x")
	if err := w.Send(env); err != nil {
		t.Fatal(err)
	}
	expectMessage(t, got, "echo x")

	// Taken: the next window is made on demand (the refill waits RefillDelay).
	o2 := o
	o2.OnMessage = func(raw string) {}
	w2, err := OpenWindow(o2)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if w2.Pooled() {
		t.Fatal("a second window came from a pool of one that had not refilled")
	}
	// Another document is never served from the pool.
	if w3 := takeSpareForTest(WindowOptions{HTML: "<p>other</p>", Script: poolScript}); w3 != nil {
		t.Fatal("a window of another document came from the pool")
	}
}

// expectMessage wants want to be the next message the page posts.
func expectMessage(t testing.TB, got <-chan string, want string) {
	t.Helper()
	select {
	case raw := <-got:
		if raw != want {
			t.Fatalf("got %q, want %q", raw, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no %q", want)
	}
}

// openPooled opens a window for o and wants it to be the pool's; it closes with the test.
func openPooled(t *testing.T, o WindowOptions) *Window {
	t.Helper()
	w, err := OpenWindow(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	if !w.Pooled() {
		t.Fatal("the window was not the pre-warmed one")
	}
	return w
}

// waitPoolReady waits until the pool has its window and the window's page has spoken.
func waitPoolReady(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !PoolReady() {
		if time.Now().After(deadline) {
			t.Fatal("the pool never made its window")
		}
		time.Sleep(20 * time.Millisecond) // polling a state, bounded by the deadline
	}
}

func takeSpareForTest(o WindowOptions) *Window {
	ch := make(chan *Window, 1)
	Do(func() { ch <- takeSpare(o) })
	return <-ch
}

func mustEnvelope(t testing.TB, text string) bridge.Envelope {
	t.Helper()
	env, err := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": text})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestPrewarmOnce: the one window PrewarmOnce makes goes to the next OpenWindow of its
// document, and no other is made after it (shell run makes its app's window this way).
func TestPrewarmOnce(t *testing.T) {
	needWindow(t)
	defer func(r time.Duration) { RefillDelay = r }(RefillDelay)
	RefillDelay = 0
	opts := WindowOptions{Width: 360, Height: 240, HTML: echoHTML, Script: poolScript}
	PrewarmOnce(opts)
	defer Prewarm(opts, 0)
	waitPoolReady(t)
	o := opts
	o.OnMessage = func(string) {}
	openPooled(t, o)
	pool.mu.Lock()
	on, pending := pool.on, pool.pending
	pool.mu.Unlock()
	if on || pending {
		t.Fatalf("after its one window the pool is on=%v, refill pending=%v", on, pending)
	}
}

// warmPoolScript echoes what it receives with what the warm-up left in the page.
const warmPoolScript = `window.__sf_recv = function (text) { JSON.parse(text).forEach(function (env) { window.__sf_post("echo " + (Array.isArray(env) ? env[1] : env.payload).text + " " + (window.__warmed || "cold")); }); };
document.addEventListener('DOMContentLoaded', function () { window.__sf_post('hello'); });`

// TestPrewarmedWindowWarms: the pool's window runs its Warm script once its page has
// spoken, before an app takes it; what the page says after that, while it waits, never
// reaches the app (a stub page's leftovers are nobody's).
func TestPrewarmedWindowWarms(t *testing.T) {
	needWindow(t)
	defer func(d, r time.Duration) { PrewarmDelay, RefillDelay = d, r }(PrewarmDelay, RefillDelay)
	PrewarmDelay, RefillDelay = 0, time.Hour
	warmed := make(chan struct{}, 1)
	opts := WindowOptions{Width: 360, Height: 240, HTML: echoHTML, Script: warmPoolScript,
		Warm:   `window.__warmed = "warm"; window.__sf_post("from the stub");`,
		OnWarm: func() { warmed <- struct{}{} }}
	Prewarm(opts, 1)
	defer Prewarm(opts, 0)
	select {
	case <-warmed:
	case <-time.After(30 * time.Second):
		t.Fatal("the pool's window never said it was warm")
	}
	got := make(chan string, 8)
	o := opts
	o.OnMessage = func(raw string) { got <- raw }
	// The warm-up's own post came after the page's hello and before the marker: dropped.
	dropped := make(chan int, 1)
	Do(func() {
		pool.relay.mu.Lock()
		dropped <- pool.relay.dropped
		pool.relay.mu.Unlock()
	})
	if n := <-dropped; n != 1 {
		t.Fatalf("the relay dropped %d messages of the warm-up, want 1", n)
	}
	w := openPooled(t, o)
	if err := w.Send(mustEnvelope(t, "x")); err != nil {
		t.Fatal(err)
	}
	expectMessage(t, got, "hello")
	expectMessage(t, got, "echo x warm")
}
