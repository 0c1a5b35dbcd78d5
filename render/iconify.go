package render

/*
#include <stdint.h>
void sf_on_iconify(void *window, uintptr_t handle);
void sf_on_iconify_once_shown(void *window, uintptr_t handle);
void sf_iconify_event(void *window, int iconified);
*/
import "C"

import "runtime/cgo"

// watchIconify hands the window's minimise and restore to f (WindowOptions.OnIconify).
func (w *Window) watchIconify(f func(iconified bool)) {
	if f == nil {
		return
	}
	w.onIconify = cgo.NewHandle(f)
	C.sf_on_iconify(w.wv.Window(), C.uintptr_t(w.onIconify))
}

// watchIconifyOnceShown is watchIconify for a window made hidden (the pool's), from the
// moment it is really shown again (iconify.c).
func (w *Window) watchIconifyOnceShown(f func(iconified bool)) {
	if f == nil {
		return
	}
	w.onIconify = cgo.NewHandle(f)
	C.sf_on_iconify_once_shown(w.wv.Window(), C.uintptr_t(w.onIconify))
}

//export sfIconified
func sfIconified(handle C.uintptr_t, iconified C.int) {
	if f, ok := cgo.Handle(handle).Value().(func(bool)); ok && f != nil {
		f(iconified != 0)
	}
}

// SimulateIconify delivers the event a window manager sends when it minimises (or
// restores) the window, for tests on a bare X server.
func (w *Window) SimulateIconify(iconified bool) error {
	v := C.int(0)
	if iconified {
		v = 1
	}
	return w.onUI(func() { C.sf_iconify_event(w.wv.Window(), v) })
}
