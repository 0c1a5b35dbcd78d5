package render

/*
#include <stdlib.h>
#include "gtk.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Prompt is a question the shell asks the user in its own native dialog, over a
// mini-app's window: the mini-app's document cannot draw over it, hide it or press its
// buttons. All texts are shown as plain text.
type Prompt struct {
	Title   string   // the dialog window's title
	Heading string   // the question, in bold
	Body    string   // what it means, plain text with newlines
	Buttons []string // left to right; the first is the default (Enter, Escape → -1)
}

// promptWait is one open dialog.
type promptWait struct {
	dialog unsafe.Pointer
	done   chan int
}

var (
	promptsMu sync.Mutex
	prompts   []*promptWait // open dialogs, oldest first
)

// Ask shows p and waits for an answer: the index of the button pressed, or -1 when the
// dialog was closed without one. ctx ending closes the dialog and answers -1.
func (w *Window) Ask(ctx context.Context, p Prompt) (int, error) {
	if len(p.Buttons) == 0 {
		return -1, errors.New("render: a prompt needs buttons")
	}
	wait := &promptWait{done: make(chan int, 1)}
	h := cgo.NewHandle(wait)
	err := w.onUI(func() {
		cstr := func(s string) *C.char { return C.CString(s) }
		title, heading, body := cstr(p.Title), cstr(p.Heading), cstr(p.Body)
		defer C.free(unsafe.Pointer(title))
		defer C.free(unsafe.Pointer(heading))
		defer C.free(unsafe.Pointer(body))
		buttons := C.malloc(C.size_t(len(p.Buttons)) * C.size_t(unsafe.Sizeof(uintptr(0))))
		defer C.free(buttons)
		list := unsafe.Slice((**C.char)(buttons), len(p.Buttons))
		for i, b := range p.Buttons {
			list[i] = cstr(b)
			defer C.free(unsafe.Pointer(list[i]))
		}
		wait.dialog = C.sf_prompt_open(w.wv.Window(), title, heading, body, (**C.char)(buttons), C.int(len(p.Buttons)), C.uintptr_t(h))
		promptsMu.Lock()
		prompts = append(prompts, wait)
		promptsMu.Unlock()
	})
	if err != nil {
		h.Delete()
		return -1, err
	}
	select {
	case answer := <-wait.done:
		return answer, nil
	case <-ctx.Done():
		w.onUI(func() { C.sf_prompt_respond(wait.dialog, -1) })
		<-wait.done
		return -1, ctx.Err()
	}
}

//export sfPromptDone
func sfPromptDone(handle C.uintptr_t, response C.int) {
	h := cgo.Handle(handle)
	wait := h.Value().(*promptWait)
	h.Delete()
	promptsMu.Lock()
	for i, p := range prompts {
		if p == wait {
			prompts = append(prompts[:i], prompts[i+1:]...)
			break
		}
	}
	promptsMu.Unlock()
	wait.done <- int(response)
}

// AnswerPrompt presses button on the oldest open dialog, as a person's click would
// (gtk_dialog_response). Only the test-hooks build exposes it.
func (w *Window) AnswerPrompt(button int) error {
	promptsMu.Lock()
	if len(prompts) == 0 {
		promptsMu.Unlock()
		return errors.New("render: no prompt is open")
	}
	wait := prompts[0]
	promptsMu.Unlock()
	return w.onUI(func() { C.sf_prompt_respond(wait.dialog, C.int(button)) })
}

// OpenPrompts counts the dialogs waiting for an answer.
func OpenPrompts() int {
	promptsMu.Lock()
	defer promptsMu.Unlock()
	return len(prompts)
}
