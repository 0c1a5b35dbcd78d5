package render

/*
#include "gtk.h"
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"time"
)

// Do runs f on the UI thread, from any goroutine, and returns at once. f runs only
// while the UI loop runs (Window.Run or RunLoop). Every hop to the UI thread goes
// through Do, never webview_go's Dispatch: that one keeps its callbacks in a shared
// index map and calls through the WebView object, and under load (the soak, 41 apps)
// it called a nil func on the UI thread (webview/webview_go#48) and the shell died.
func Do(f func()) {
	C.sf_dispatch(C.uintptr_t(cgo.NewHandle(f)))
}

//export sfDispatched
func sfDispatched(handle C.uintptr_t) {
	h := cgo.Handle(handle)
	f := h.Value().(func())
	h.Delete()
	f()
}

//export sfCloseRequested
func sfCloseRequested(handle C.uintptr_t) {
	if f, ok := cgo.Handle(handle).Value().(func()); ok && f != nil {
		f()
	}
}

// ErrNoLoop is returned by OpenWindow when the UI loop does not answer.
var ErrNoLoop = errors.New("render: the UI loop is not running")

// OpenWindow creates a window while the UI loop runs (several windows share one loop:
// the launcher and each mini-app). Call it from any goroutine but the UI thread. Close
// destroys such a window and leaves the loop running.
func OpenWindow(o WindowOptions) (*Window, error) {
	type made struct {
		w   *Window
		err error
	}
	done := make(chan made, 1)
	Do(func() {
		if w := takeSpare(o); w != nil { // pool.go
			done <- made{w, nil}
			return
		}
		w, err := NewWindow(o)
		if err == nil {
			w.inLoop = true
			w.markRunning()
		}
		done <- made{w, err}
	})
	select {
	case m := <-done:
		return m.w, m.err
	case <-time.After(30 * time.Second):
		return nil, ErrNoLoop
	}
}

// QuitLoop stops the UI loop: the Run that runs it returns. Call it on the UI thread.
func QuitLoop() { C.sf_main_quit() }

// Show brings a hidden window back, in front.
func (w *Window) Show() error {
	return w.onUI(func() { C.sf_window_present(w.wv.Window()) })
}

// Dispose destroys the window now. Call it on the UI thread (from Do, or after the loop
// ended); Close is the way from other goroutines.
func (w *Window) Dispose() {
	w.mu.Lock()
	if w.disposed {
		w.mu.Unlock()
		return
	}
	w.disposed, w.closed = true, true
	w.pending = nil
	w.mu.Unlock()
	allowClose(w.wv.Window())
	w.detachImages()
	w.post.detach()
	w.wv.Destroy()
	releaseFreedMemorySoon()
	if w.onIconify != 0 {
		w.onIconify.Delete()
		w.onIconify = 0
	}
	if w.onClose != 0 {
		w.onClose.Delete()
	}
	if w.goneHandle != 0 {
		w.goneHandle.Delete() // the view, and its signal, are destroyed above
		w.goneHandle = 0
	}
}

// closeButton sends the window what the window manager's close button sends.
func closeButton(w *Window) { C.sf_close_button(w.wv.Window()) }

// PressClose presses the window's close button, as a person would (a bare X server
// has no window manager to draw one). Only tests and the test-hooks build use it.
func (w *Window) PressClose() error { return w.onUI(func() { closeButton(w) }) }

// InitUI opens the display for a UI loop with no window of its own. Call it on the main
// OS thread, before other goroutines start: GTK reads the environment as it starts.
func InitUI() error {
	if !displayOK() {
		return ErrNoDisplay
	}
	return nil
}

// RunLoop runs the UI loop InitUI prepared until QuitLoop; windows come and go with
// OpenWindow. Call it on the main OS thread. Tests use it.
func RunLoop() { C.sf_main_run() }
