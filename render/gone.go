package render

/*
#include "gone.h"
*/
import "C"

import "runtime/cgo"

// Why a window's web process ended under its live view (WindowOptions.OnPageGone).
const (
	PageCrashed   = "crashed"      // it crashed, or something outside killed it
	PageOverLimit = "memory-limit" // WebKit's own memory limit ended it
	PageEnded     = "ended"        // anything else WebKit reports
)

// watchWebProcess connects the view's web-process-terminated signal. The handle names
// the window; Dispose deletes it.
func (w *Window) watchWebProcess() {
	w.goneHandle = cgo.NewHandle(w)
	C.sf_on_web_process_gone(w.wv.Window(), C.uintptr_t(w.goneHandle))
}

//export sfWebProcessGone
func sfWebProcessGone(handle C.uintptr_t, reason C.int) {
	w, ok := cgo.Handle(handle).Value().(*Window)
	if !ok {
		return
	}
	why := PageEnded
	switch reason {
	case C.sf_reason_crashed():
		why = PageCrashed
	case C.sf_reason_memory():
		why = PageOverLimit
	}
	w.mu.Lock()
	w.gone = true
	f := w.onGone
	closed := w.closed
	w.mu.Unlock()
	if f != nil && !closed {
		f(why)
	}
}

// PageGone reports whether the window's web process ended under it (its page is blank).
func (w *Window) PageGone() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.gone
}
