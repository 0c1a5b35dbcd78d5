package render

/*
#include <stdlib.h>
#include "save.h"
#include "gtk.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"unsafe"
)

// SaveFileAs shows the shell's save dialog with name suggested and returns the path the
// user chose, or "" when they cancelled. Tests answer it with AnswerFiles, as the file
// chooser.
func (w *Window) SaveFileAs(ctx context.Context, title, name string) (string, error) {
	d := &dialogWait{kind: kindFiles, files: make(chan []string, 1)}
	h := cgo.NewHandle(d)
	err := w.onUI(func() {
		t, n := C.CString(title), C.CString(name)
		defer C.free(unsafe.Pointer(t))
		defer C.free(unsafe.Pointer(n))
		d.dialog = C.sf_save_open(w.wv.Window(), t, n, C.uintptr_t(h))
		openDialog(d)
	})
	if err != nil {
		h.Delete()
		return "", err
	}
	var files []string
	select {
	case files = <-d.files:
	case <-ctx.Done():
		w.onUI(func() { C.sf_files_answer(d.dialog, nil) })
		<-d.files
		return "", ctx.Err()
	}
	if len(files) == 0 {
		return "", nil
	}
	return files[0], nil
}
