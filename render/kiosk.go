package render

/*
#include <stdlib.h>
#include "gtk.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"unsafe"
)

// Kiosk makes the window cover the screen with no decorations and no way out from the
// keyboard (Alt+F4, Ctrl+W, Ctrl+Q, Escape, F11 do nothing) except the operator's chord,
// Ctrl+Alt+Shift+Q, which calls onChord on the UI thread (it must not block). Call on the
// UI thread before Run.
func (w *Window) Kiosk(onChord func()) {
	h := cgo.NewHandle(onChord) // lives as long as the window
	C.sf_kiosk(w.wv.Window(), C.uintptr_t(h))
}

//export sfKioskChord
func sfKioskChord(handle C.uintptr_t) {
	if f, ok := cgo.Handle(handle).Value().(func()); ok && f != nil {
		f()
	}
}

// AskPIN asks the operator for a PIN in the shell's own dialog; "" and false when they
// cancelled.
func (w *Window) AskPIN(ctx context.Context, title, heading string) (string, bool, error) {
	d := &dialogWait{kind: kindPIN, pin: make(chan *string, 1)}
	h := cgo.NewHandle(d)
	err := w.onUI(func() {
		t, hd := C.CString(title), C.CString(heading)
		defer C.free(unsafe.Pointer(t))
		defer C.free(unsafe.Pointer(hd))
		d.dialog = C.sf_pin_open(w.wv.Window(), t, hd, C.uintptr_t(h))
		openDialog(d)
	})
	if err != nil {
		h.Delete()
		return "", false, err
	}
	select {
	case p := <-d.pin:
		if p == nil {
			return "", false, nil
		}
		return *p, true, nil
	case <-ctx.Done():
		w.onUI(func() { C.sf_pin_answer(d.dialog, nil) })
		<-d.pin
		return "", false, ctx.Err()
	}
}

//export sfPinDone
func sfPinDone(handle C.uintptr_t, pin *C.char) {
	d := closeDialog(handle)
	if pin == nil {
		d.pin <- nil
		return
	}
	s := C.GoString(pin)
	d.pin <- &s
}

// AnswerPIN types pin into the oldest open PIN dialog and presses OK (tests).
func (w *Window) AnswerPIN(pin string) error {
	d, err := oldest(kindPIN)
	if err != nil {
		return err
	}
	return w.onUI(func() {
		p := C.CString(pin)
		defer C.free(unsafe.Pointer(p))
		C.sf_pin_answer(d.dialog, p)
	})
}
