package render

/*
#include <stdlib.h>
#include <glib.h>
#include "gtk.h"
*/
import "C"

import "unsafe"

// SetClipboard puts text on the desktop clipboard. Mini-apps reach it only through the
// clipboard:write capability.
func (w *Window) SetClipboard(text string) error {
	return w.onUI(func() {
		c := C.CString(text)
		defer C.free(unsafe.Pointer(c))
		C.sf_clipboard_set(c)
	})
}

// Clipboard reads the desktop clipboard's text ("" when it holds no text).
func (w *Window) Clipboard() (string, error) {
	var text string
	err := w.onUI(func() {
		c := C.sf_clipboard_get()
		if c != nil {
			text = C.GoString(c)
			C.g_free(C.gpointer(c))
		}
	})
	return text, err
}
