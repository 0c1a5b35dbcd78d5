// Package render owns what the user sees of a mini-app: the WebView window that runs
// Sandframe's render runtime (assets/), and the compilers (render/wxml, render/wxss) that
// turn a mini-app's templates and styles into what that runtime interprets.
package render

/*
#include "gtk.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime/cgo"
	"sync"
	"time"

	webview "github.com/webview/webview_go"

	"github.com/sandframe/sandframe/bridge"
)

// WindowOptions configure a mini-app window.
type WindowOptions struct {
	Title         string
	Width, Height int
	Debug         bool   // WebKit's inspector
	HTML          string // the document (assets.PageHTML)
	Script        string // the render runtime (assets.RuntimeScript), injected as a user script
	// OnMessage receives every message the page posts, as raw text. It runs on the UI
	// thread: it must only enqueue and return.
	OnMessage func(raw string)
	// OnClose, when set, is what the window's close button does instead of closing it
	// (a mini-app window hides; the launcher quits). It runs on the UI thread.
	OnClose func()
	// OnIconify, when set, hears the window minimised (true) or restored (false). It runs
	// on the UI thread.
	OnIconify func(iconified bool)
	// Images fetches the page's remote images (ImageScheme); nil: they are broken.
	Images ImageSource
	// OnPageGone, when set, hears that the page's web process ended under the window
	// (PageCrashed, PageOverLimit, PageEnded): the page is blank and answers nothing
	// more. It runs on the UI thread: it must only hand over and return.
	OnPageGone func(reason string)
	// Warm, for the pre-warmed pool's windows only (Prewarm), is a script the window
	// runs once its page has spoken and before any app takes it (host.WarmScript: the
	// render runtime run once over a stub page of the shell's own).
	Warm string
	// OnWarm hears, on the UI thread, that a pool window's Warm script has run (a
	// debug log; tests wait for it).
	OnWarm func()
}

// ErrClosed is returned by calls on a window that is gone.
var ErrClosed = errors.New("render: window closed")

// Window is one WebView window. NewWindow and Run must be called on the UI thread (the
// process's main OS thread); every other method may be called from any goroutine.
type Window struct {
	wv webview.WebView

	mu        sync.Mutex
	pending   []byte // the next push's script, open: envelopes waiting (encode.go, appendToBatch)
	reuse     []byte // the last push's buffer, kept for the next one
	scheduled bool   // a Dispatch that drains pending is on its way
	burst     burst  // tells flush a burst still arriving from a lone push (encode.go)
	running   bool   // Run has started: Dispatch works
	closed    bool
	inLoop    bool // opened by OpenWindow: Close destroys the window, not the loop
	disposed  bool
	onClose   cgo.Handle
	onIconify cgo.Handle
	webPID    int // the web process rendering the page (webprocess.go); 0: unknown
	post      *pagePost

	images     cgo.Handle // *windowImages, 0 without a source
	stopImages context.CancelFunc

	pooled bool // made ahead by the pre-warmed pool (pool.go)

	goneHandle cgo.Handle          // names the window to its web-process-terminated handler (gone.go)
	onGone     func(reason string) // WindowOptions.OnPageGone
	gone       bool                // the web process ended under the view
}

// ErrNoDisplay is returned when there is no display to open a window on.
var ErrNoDisplay = errors.New("render: cannot open a window: no display (set DISPLAY, or run under xvfb-run)")

// NewWindow creates the window and loads the document; nothing shows until Run.
func NewWindow(o WindowOptions) (*Window, error) {
	if !displayOK() {
		return nil, ErrNoDisplay
	}
	tuneWebContext() // webcontext.go
	before := webProcesses()
	w := &Window{wv: webview.New(o.Debug)}
	applyAcceleration(w.wv.Window()) // acceleration.go; before anything loads
	w.wv.SetTitle(o.Title)
	w.wv.SetSize(o.Width, o.Height, webview.HintNone)
	// The page posts through a script message handler, fire-and-forget (post.go); the
	// handler's only job is to hand the text over (DESIGN: it only enqueues). A
	// non-string post is dropped, as the binding it replaces refused one.
	onMessage := o.OnMessage
	var firstPost sync.Once
	post, err := attachPost(w.wv.Window(), func(raw string) {
		firstPost.Do(keepGoSignalStack) // JavaScriptCore has run in this process by now
		if onMessage != nil {
			onMessage(raw)
		}
	})
	if err != nil {
		w.wv.Destroy()
		return nil, err
	}
	w.post = post
	// Not webview_go's Init: it leaks each script it adds (userscript.go).
	for _, src := range []string{postShim, o.Script} { // the shim first: the runtime finds window.__sf_post defined
		if src == "" {
			continue
		}
		if err := addUserScript(w.wv.Window(), src); err != nil {
			post.detach()
			w.wv.Destroy()
			return nil, err
		}
	}
	w.attachImages(o.Images)
	w.wv.SetHtml(o.HTML)
	w.webPID = newWebProcess(before, webProcesses())
	if o.OnClose != nil {
		w.onClose = cgo.NewHandle(o.OnClose)
		C.sf_on_close(w.wv.Window(), C.uintptr_t(w.onClose))
	}
	w.watchIconify(o.OnIconify)
	w.onGone = o.OnPageGone
	w.watchWebProcess()
	keepGoSignalStack()
	return w, nil
}

// Run shows the window and runs the UI loop until the window is closed.
func (w *Window) Run() {
	if w.startRunning() {
		w.wv.Run()
	}
	w.Dispose()
}

// startRunning marks the loop running, unless the window was closed before it ran (a
// signal while the window was being made): then there is no loop for Close to stop,
// and Run must not start one.
func (w *Window) startRunning() bool {
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return false
	}
	w.markRunning()
	return true
}

// markRunning records that the UI loop runs, so Dispatch works, and flushes what
// waited for it.
func (w *Window) markRunning() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.running = true
	if len(w.pending) > 0 && !w.scheduled {
		w.scheduled = true
		Do(w.flush)
	}
}

// Send queues env for the page. Everything queued before the UI thread gets to it goes
// in one Eval as one JSON array of envelopes, which the page parses once: batching is
// what keeps a busy app's UI instant. Each envelope is checked here, on its own: one
// that is not valid JSON is refused with an error and never joins a batch, so it cannot
// spoil the envelopes sent with it.
func (w *Window) Send(env bridge.Envelope) error {
	if err := checkEnvelope(env); err != nil {
		return err
	}
	sc := scratchPool.Get().(*sendScratch)
	defer sc.put()
	raw, err := appendEnvelope(sc.raw[:0], env)
	if err != nil {
		return fmt.Errorf("render: encode %s: %w", env.Kind, err)
	}
	sc.raw = raw
	sc.esc = appendJSStringBody(sc.esc[:0], raw, batchQuote)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	if len(w.pending) == 0 && w.reuse != nil {
		w.pending, w.reuse = w.reuse[:0], nil
	}
	w.pending = appendToBatch(w.pending, sc.esc)
	w.burst.sent(len(w.pending))
	if w.running && !w.scheduled {
		w.scheduled = true
		Do(w.flush)
	}
	return nil
}

// flush runs on the UI thread: one Eval for everything queued. While a burst is still
// arriving it comes back at the loop's next turn instead, for at most burstMax, so that
// the burst goes in one Eval (each Eval has a fixed cost in WebKit); a lone push does
// not wait (burst.wait).
func (w *Window) flush() {
	if w.burst.wait(time.Now()) {
		Do(w.flush)
		return
	}
	w.mu.Lock()
	batch := w.pending
	w.pending = nil
	w.scheduled = false
	w.burst.take()
	closed := w.closed
	w.mu.Unlock()
	if closed || len(batch) == 0 {
		return
	}
	batch = closeBatch(batch)
	w.wv.Eval(string(batch))
	w.mu.Lock()
	w.burst.pushed(time.Now())
	if cap(batch) <= maxKeptBatch {
		w.reuse = batch[:0]
	}
	w.mu.Unlock()
}

// onUI runs f on the UI thread and waits for it.
func (w *Window) onUI(f func()) error {
	w.mu.Lock()
	if w.closed || !w.running {
		w.mu.Unlock()
		return ErrClosed
	}
	done := make(chan error, 1)
	Do(func() {
		// The window may have been destroyed between the Dispatch and now (Dispose
		// runs on this thread too): f must not touch a freed WebView.
		w.mu.Lock()
		gone := w.disposed
		w.mu.Unlock()
		if gone {
			done <- ErrClosed
			return
		}
		f()
		done <- nil
	})
	w.mu.Unlock()
	return <-done
}

// Eval runs script in the page. Only tests and the automation build use it: the shell
// never runs code of a mini-app in its page.
func (w *Window) Eval(script string) error {
	return w.onUI(func() { w.wv.Eval(script) })
}

// SetTitle changes the window's title.
func (w *Window) SetTitle(title string) error {
	return w.onUI(func() { w.wv.SetTitle(title) })
}

// Screenshot writes the window's current content to path as PNG.
func (w *Window) Screenshot(path string) error {
	done := make(chan error, 1)
	if err := w.onUI(func() { startSnapshot(w.wv.Window(), path, done) }); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return fmt.Errorf("render: screenshot %s: WebKit did not answer", path)
	}
}

// Geometry reports the window's position and size on screen.
func (w *Window) Geometry() (x, y, width, height int, err error) {
	if e := w.onUI(func() { x, y, width, height = geometry(w.wv.Window()) }); e != nil {
		return 0, 0, 0, 0, e
	}
	return x, y, width, height, nil
}

// Close closes the window: Run returns, or, for a window OpenWindow made, the window
// is destroyed and the loop goes on.
func (w *Window) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || !w.running {
		w.closed = true
		return
	}
	w.closed = true
	if w.inLoop {
		Do(w.Dispose)
		return
	}
	Do(w.wv.Terminate)
}
