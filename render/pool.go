package render

/*
#include "gtk.h"
*/
import "C"

import (
	"runtime/cgo"
	"strconv"
	"sync"
	"time"
)

// The pre-warmed window: a pool of one. Most of a launch from the launcher is WebKit
// starting a web process for the new view and loading the document and the render
// runtime into it (docs/performance.md, "Launch, cache and memory"). With the pool on,
// the shell keeps one window made ahead, hidden, whose document and runtime are loaded
// and whose page has said ready; OpenWindow hands it out for the next window of the
// same document and makes another in the background.
//
// A pooled window is app-neutral: it is made with nothing of any app (the same
// document and runtime every app window gets, no title, no image source, no handlers),
// has received no message, and is handed out once. A window is never returned to the
// pool: a closed app's window is destroyed as before, so nothing an app left in a page
// (DOM, timers, WebKit caches of that view) reaches another app. Each window keeps its
// own view, user content manager and web process, as a window made on demand has.

// RefillDelay is how long after handing out its window the pool waits before making
// the next one: making a window blocks the UI thread while WebKit starts its process,
// so it waits for the launched app's first frames.
var RefillDelay = 1500 * time.Millisecond

// PrewarmDelay is how long after Prewarm the first window is made (the launcher paints
// first).
var PrewarmDelay = 500 * time.Millisecond

// poolState is the pool; its fields are read and written on the UI thread only, but for
// on and opts, which Prewarm sets from any goroutine under mu.
type poolState struct {
	mu      sync.Mutex
	on      bool
	opts    WindowOptions // HTML, Script, Debug, Width, Height of the windows it makes
	spare   *Window
	relay   *relay
	pending bool        // a fill is scheduled
	timer   *time.Timer // the scheduled fill
	once    bool        // PrewarmOnce: the pool turns off when its window is taken
}

var pool poolState

// Prewarm turns the pool on (n = 1) or off (n = 0): with it on, the next OpenWindow
// whose HTML, Script and Debug are o's gets a window made ahead. Call it while the UI
// loop runs, from any goroutine; the first window is made at once, in the loop.
func Prewarm(o WindowOptions, n int) {
	pool.mu.Lock()
	cancelFillLocked()
	pool.on, pool.once = n > 0, false
	pool.opts = poolOptions(o)
	pool.mu.Unlock()
	if n > 0 {
		scheduleFill(PrewarmDelay)
	} else {
		Do(dropSpare)
	}
}

// PrewarmOnce makes one window for o at once, in the loop, and hands it to the next
// OpenWindow of the same document; no other is made after it. `shell run` starts the
// app's web process and loads its page this way while it checks the app and starts its
// logic, and shows the window only once that succeeded (host.RunStarting).
func PrewarmOnce(o WindowOptions) {
	pool.mu.Lock()
	cancelFillLocked() // a refill far off must not hold back this one
	pool.on, pool.once = true, true
	pool.opts = poolOptions(o)
	pool.mu.Unlock()
	scheduleFill(0)
}

// poolOptions is what of o the pool's windows are made with: nothing of any app.
func poolOptions(o WindowOptions) WindowOptions {
	return WindowOptions{HTML: o.HTML, Script: o.Script, Debug: o.Debug, Width: o.Width, Height: o.Height, Warm: o.Warm, OnWarm: o.OnWarm}
}

// sameDocument reports whether a window for o may be one made with the pool's options p.
func sameDocument(o, p WindowOptions) bool {
	return o.HTML == p.HTML && o.Script == p.Script && o.Debug == p.Debug
}

// PoolReady reports whether a pre-warmed window is waiting (tests, benchmarks).
func PoolReady() bool {
	ready := make(chan bool, 1)
	Do(func() { ready <- pool.spare != nil && pool.relay.heard() })
	select {
	case r := <-ready:
		return r
	case <-time.After(10 * time.Second):
		return false
	}
}

func scheduleFill(after time.Duration) {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if pool.pending || !pool.on {
		return
	}
	pool.pending = true
	pool.timer = time.AfterFunc(after, func() { Do(fill) })
}

// cancelFillLocked drops a scheduled fill; pool.mu is held.
func cancelFillLocked() {
	if pool.timer != nil && pool.timer.Stop() {
		pool.pending = false
	}
}

// fill makes the spare window (UI thread).
func fill() {
	pool.mu.Lock()
	pool.pending = false
	on, o := pool.on, pool.opts
	pool.mu.Unlock()
	if !on || pool.spare != nil {
		return
	}
	r := &relay{}
	o.OnMessage = r.post
	warm := o.Warm
	o.Warm = ""
	w, err := NewWindow(o)
	if err != nil {
		return // no display: OpenWindow makes windows as before
	}
	if warm != "" {
		// Once the page has booted (its first message), while no app has it; then the
		// page says WarmedMarker, which only the relay hears.
		r.first = func() { w.wv.Eval(warm + "\nwindow.__sf_post(" + strconv.Quote(WarmedMarker) + ");") }
		r.onWarm = o.OnWarm
	}
	C.sf_watch_unmap(w.wv.Window())
	C.sf_window_hide(w.wv.Window())
	// Laid out at its size while hidden: its page's first render uses the viewport (and
	// rpx) the app will have, not WebKit's default, which a resize at show time would
	// make the runtime render again.
	C.sf_window_allocate(w.wv.Window(), C.int(o.Width), C.int(o.Height))
	w.inLoop = true
	w.markRunning()
	pool.spare, pool.relay = w, r
}

// dropSpare destroys the spare window (UI thread).
func dropSpare() {
	if pool.spare != nil {
		pool.spare.Dispose()
		pool.spare, pool.relay = nil, nil
	}
}

// takeSpare hands out the spare window for o, adopted, or nil (UI thread).
func takeSpare(o WindowOptions) *Window {
	pool.mu.Lock()
	on, p := pool.on, pool.opts
	pool.mu.Unlock()
	w, r := pool.spare, pool.relay
	if !on || w == nil || !sameDocument(o, p) {
		return nil
	}
	pool.spare, pool.relay = nil, nil
	pool.mu.Lock()
	once := pool.once
	if once {
		pool.on, pool.once = false, false
	}
	pool.mu.Unlock()
	if !once {
		scheduleFill(RefillDelay)
	}
	w.mu.Lock()
	closed, gone := w.closed, w.gone
	w.onGone = o.OnPageGone
	w.mu.Unlock()
	if closed {
		return nil
	}
	if gone { // its web process ended while it waited: a blank page is no use
		w.Dispose()
		return nil
	}
	w.pooled = true
	w.wv.SetTitle(o.Title)
	w.wv.SetSize(o.Width, o.Height, 0)
	if o.Width != p.Width || o.Height != p.Height {
		C.sf_window_allocate(w.wv.Window(), C.int(o.Width), C.int(o.Height))
	}
	w.attachImages(o.Images)
	if o.OnClose != nil {
		w.onClose = cgo.NewHandle(o.OnClose)
		C.sf_on_close(w.wv.Window(), C.uintptr_t(w.onClose))
	}
	w.watchIconifyOnceShown(o.OnIconify)
	C.sf_window_present(w.wv.Window())
	r.attach(o.OnMessage) // the page's ready, held until now, reaches its app
	return w
}

// WarmedMarker is what a pooled window's page says once its Warm script has run.
const WarmedMarker = "sf-pool-warmed"

// Pooled reports whether the window came from the pool.
func (w *Window) Pooled() bool { return w.pooled }

// relay holds what a pooled window's page posts until an app takes the window.
type relay struct {
	first   func() // runs on the page's first message while the window waits in the pool
	onWarm  func() // hears the warm-up done (WindowOptions.OnWarm)
	mu      sync.Mutex
	to      func(string)
	held    []string
	posted  bool
	dropped int // messages of a warmed page's wait, dropped (tests)
}

func (r *relay) post(raw string) {
	r.mu.Lock()
	if raw == WarmedMarker && r.first != nil {
		// The warm-up is done: a page's marker, never an app's message.
		onWarm := r.onWarm
		if r.to != nil {
			onWarm = nil // taken meanwhile
		}
		r.mu.Unlock()
		if onWarm != nil {
			onWarm()
		}
		return
	}
	to := r.to
	if to == nil {
		switch {
		case !r.posted && r.first != nil:
			defer r.first() // after the lock; still on the UI thread
		case r.first != nil:
			// After the warm-up: nothing the stub page left may reach an app.
			r.dropped++
			r.mu.Unlock()
			return
		}
		r.posted = true
		if len(r.held) < 16 { // the page says ready once; anything more is not expected
			r.held = append(r.held, raw)
		}
	}
	r.mu.Unlock()
	if to != nil {
		to(raw)
	}
}

func (r *relay) heard() bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.posted
}

// attach sends what was held to f, then everything after (UI thread, so nothing the
// page posts overtakes the held messages).
func (r *relay) attach(f func(string)) {
	if f == nil {
		f = func(string) {}
	}
	r.mu.Lock()
	held := r.held
	r.held = nil
	r.to = f
	r.mu.Unlock()
	for _, raw := range held {
		f(raw)
	}
}
