package render

/*
#cgo pkg-config: gtk+-3.0 webkit2gtk-4.0
#include <stdlib.h>
#include "gtk.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/cgo"
	"unsafe"

	"github.com/sandframe/sandframe/internal/procenv"
)

// startSnapshot asks WebKit for a PNG of the visible page; done receives the outcome
// when WebKit has rendered it (later, on the UI thread). Call on the UI thread.
func startSnapshot(win unsafe.Pointer, path string, done chan<- error) {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	h := cgo.NewHandle(done)
	if C.sf_snapshot_start(win, p, C.uintptr_t(h)) != 0 {
		h.Delete()
		done <- errors.New("render: screenshot: the window holds no web view")
	}
}

//export sfSnapshotDone
func sfSnapshotDone(handle C.uintptr_t, msg *C.char) {
	h := cgo.Handle(handle)
	done := h.Value().(chan<- error)
	h.Delete()
	if msg != nil {
		done <- fmt.Errorf("render: screenshot: %s", C.GoString(msg))
		return
	}
	done <- nil
}

func geometry(win unsafe.Pointer) (x, y, w, h int) {
	var cx, cy, cw, ch C.int
	C.sf_geometry(win, &cx, &cy, &cw, &ch)
	return int(cx), int(cy), int(cw), int(ch)
}

// displayOK reports whether GTK could open the display. Call on the UI thread.
// When no view will composite, GDK opens it without GL (GDK_GL=disable): its GLX probe
// loads the driver (Mesa and LLVM without a GPU) into the shell for nothing, about
// 100 ms of every start; and WebKit is told at once (WEBKIT_DISABLE_COMPOSITING_MODE,
// what each view's policy says): otherwise it loads its EGL driver (about 150 ms) as it
// makes its web context, before it starts the first web process, instead of while that
// process starts (docs/performance.md, "A cold start"). A value the user set is kept;
// the desktop's programs the shell starts do not get them (procenv.Outside). Only before
// the display opens: GTK has read them by then, and changing the environment while
// GTK's and WebKit's threads may read it is not safe.
func displayOK() bool {
	gl := compositing()
	if !displayOpened && !gl {
		procenv.SetDefault("GDK_GL", "disable")
		procenv.SetDefault("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
	}
	ok := C.sf_display_ok() != 0
	if ok && !displayOpened {
		displayOpened, displayGL = true, gl
	}
	return ok
}

// displayOpened and displayGL record how GTK opened the display (UI thread): GDK's GL
// is decided then, once for the process.
var displayOpened, displayGL bool

// gdkGL reports whether GDK can make a GL context for the window: what a GTK widget
// drawing with GL would get.
func (w *Window) gdkGL() (bool, error) {
	var r C.int
	err := w.onUI(func() { r = C.sf_gdk_gl(w.wv.Window()) })
	if err == nil && r < 0 {
		err = errors.New("render: the window has no GDK window")
	}
	return r == 1, err
}

func allowClose(win unsafe.Pointer) { C.sf_allow_close(win) }
