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
	"strings"
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

// dialogKind tells the open dialogs apart for the test hooks.
type dialogKind int

const (
	kindPrompt dialogKind = iota
	kindFiles
	kindSettings
	kindPIN
)

// dialogWait is one open dialog and where its answer goes.
type dialogWait struct {
	kind   dialogKind
	dialog unsafe.Pointer
	answer chan int      // prompts: the button
	files  chan []string // file choosers: the paths, nil when cancelled
	toggle chan []bool   // settings: the switches, nil when cancelled
	pin    chan *string  // PIN: what was typed, nil when cancelled
}

var (
	dialogsMu sync.Mutex
	dialogs   []*dialogWait // open dialogs, oldest first
)

func openDialog(d *dialogWait) {
	dialogsMu.Lock()
	dialogs = append(dialogs, d)
	dialogsMu.Unlock()
}

func closeDialog(handle C.uintptr_t) *dialogWait {
	h := cgo.Handle(handle)
	d := h.Value().(*dialogWait)
	h.Delete()
	dialogsMu.Lock()
	for i, x := range dialogs {
		if x == d {
			dialogs = append(dialogs[:i], dialogs[i+1:]...)
			break
		}
	}
	dialogsMu.Unlock()
	return d
}

// oldest is the oldest open dialog of kind.
func oldest(kind dialogKind) (*dialogWait, error) {
	dialogsMu.Lock()
	defer dialogsMu.Unlock()
	for _, d := range dialogs {
		if d.kind == kind {
			return d, nil
		}
	}
	return nil, errors.New("render: no such dialog is open")
}

// Ask shows p and waits for an answer: the index of the button pressed, or -1 when the
// dialog was closed without one. ctx ending closes the dialog and answers -1.
func (w *Window) Ask(ctx context.Context, p Prompt) (int, error) {
	if len(p.Buttons) == 0 {
		return -1, errors.New("render: a prompt needs buttons")
	}
	d := &dialogWait{kind: kindPrompt, answer: make(chan int, 1)}
	h := cgo.NewHandle(d)
	err := w.onUI(func() {
		title, heading, body := C.CString(p.Title), C.CString(p.Heading), C.CString(p.Body)
		defer C.free(unsafe.Pointer(title))
		defer C.free(unsafe.Pointer(heading))
		defer C.free(unsafe.Pointer(body))
		buttons := C.malloc(C.size_t(len(p.Buttons)) * C.size_t(unsafe.Sizeof(uintptr(0))))
		defer C.free(buttons)
		list := unsafe.Slice((**C.char)(buttons), len(p.Buttons))
		for i, b := range p.Buttons {
			list[i] = C.CString(b)
			defer C.free(unsafe.Pointer(list[i]))
		}
		d.dialog = C.sf_prompt_open(w.wv.Window(), title, heading, body, (**C.char)(buttons), C.int(len(p.Buttons)), C.uintptr_t(h))
		openDialog(d)
	})
	if err != nil {
		h.Delete()
		return -1, err
	}
	select {
	case answer := <-d.answer:
		return answer, nil
	case <-ctx.Done():
		w.onUI(func() { C.sf_prompt_respond(d.dialog, -1) })
		<-d.answer
		return -1, ctx.Err()
	}
}

//export sfPromptDone
func sfPromptDone(handle C.uintptr_t, response C.int) {
	closeDialog(handle).answer <- int(response)
}

// PickFiles shows the shell's file chooser and returns the paths the user picked, or
// nil when they cancelled.
func (w *Window) PickFiles(ctx context.Context, title string, multiple bool) ([]string, error) {
	return w.PickFilesOf(ctx, title, multiple, "", nil)
}

// PickFilesOf is PickFiles showing only files that match patterns ("*.sfa"), under the
// filter's name.
func (w *Window) PickFilesOf(ctx context.Context, title string, multiple bool, filter string, patterns []string) ([]string, error) {
	d := &dialogWait{kind: kindFiles, files: make(chan []string, 1)}
	h := cgo.NewHandle(d)
	err := w.onUI(func() {
		t := C.CString(title)
		defer C.free(unsafe.Pointer(t))
		m := C.int(0)
		if multiple {
			m = 1
		}
		name := C.CString(filter)
		defer C.free(unsafe.Pointer(name))
		cp := make([]*C.char, len(patterns)+1)
		for i, p := range patterns {
			cp[i] = C.CString(p)
			defer C.free(unsafe.Pointer(cp[i]))
		}
		d.dialog = C.sf_files_open(w.wv.Window(), t, m, name, (**C.char)(unsafe.Pointer(&cp[0])), C.int(len(patterns)), C.uintptr_t(h))
		openDialog(d)
	})
	if err != nil {
		h.Delete()
		return nil, err
	}
	select {
	case files := <-d.files:
		return files, nil
	case <-ctx.Done():
		w.onUI(func() { C.sf_files_answer(d.dialog, nil) })
		<-d.files
		return nil, ctx.Err()
	}
}

//export sfFilesDone
func sfFilesDone(handle C.uintptr_t, files *C.char) {
	d := closeDialog(handle)
	if files == nil {
		d.files <- nil
		return
	}
	d.files <- strings.Split(C.GoString(files), "\n")
}

// AnswerPrompt presses button on the oldest open prompt, as a person's click would.
// Only tests and the test-hooks build use it.
func (w *Window) AnswerPrompt(button int) error {
	d, err := oldest(kindPrompt)
	if err != nil {
		return err
	}
	return w.onUI(func() { C.sf_prompt_respond(d.dialog, C.int(button)) })
}

// AnswerFiles picks path in the oldest open file chooser ("" cancels it). Only tests
// and the test-hooks build use it.
func (w *Window) AnswerFiles(path string) error {
	d, err := oldest(kindFiles)
	if err != nil {
		return err
	}
	return w.onUI(func() {
		if path == "" {
			C.sf_files_answer(d.dialog, nil)
			return
		}
		p := C.CString(path)
		defer C.free(unsafe.Pointer(p))
		C.sf_files_answer(d.dialog, p)
	})
}

// OpenDialogs counts the shell's dialogs waiting for an answer.
func OpenDialogs() int {
	dialogsMu.Lock()
	defer dialogsMu.Unlock()
	return len(dialogs)
}

// Settings is the shell's settings dialog for one app: a switch per item.
type Settings struct {
	Title, Heading, Body string
	Items                []SettingItem
}

// SettingItem is one switch.
type SettingItem struct {
	Label string
	On    bool
}

// Settings shows st and returns the switches as the user saved them, or nil when they
// cancelled.
func (w *Window) Settings(ctx context.Context, st Settings) ([]bool, error) {
	d := &dialogWait{kind: kindSettings, toggle: make(chan []bool, 1)}
	h := cgo.NewHandle(d)
	n := len(st.Items)
	err := w.onUI(func() {
		title, heading, body := C.CString(st.Title), C.CString(st.Heading), C.CString(st.Body)
		defer C.free(unsafe.Pointer(title))
		defer C.free(unsafe.Pointer(heading))
		defer C.free(unsafe.Pointer(body))
		labels := C.malloc(C.size_t(n+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
		defer C.free(labels)
		on := C.malloc(C.size_t(n+1) * C.size_t(unsafe.Sizeof(C.int(0))))
		defer C.free(on)
		ls := unsafe.Slice((**C.char)(labels), n+1)
		os := unsafe.Slice((*C.int)(on), n+1)
		for i, it := range st.Items {
			ls[i] = C.CString(it.Label)
			defer C.free(unsafe.Pointer(ls[i]))
			os[i] = 0
			if it.On {
				os[i] = 1
			}
		}
		d.dialog = C.sf_settings_open(w.wv.Window(), title, heading, body, (**C.char)(labels), (*C.int)(on), C.int(n), C.uintptr_t(h))
		openDialog(d)
	})
	if err != nil {
		h.Delete()
		return nil, err
	}
	select {
	case on := <-d.toggle:
		return on, nil
	case <-ctx.Done():
		w.onUI(func() { C.sf_settings_answer(d.dialog, nil, 0) })
		<-d.toggle
		return nil, ctx.Err()
	}
}

//export sfSettingsDone
func sfSettingsDone(handle C.uintptr_t, on *C.int, n C.int) {
	d := closeDialog(handle)
	if n < 0 {
		d.toggle <- nil
		return
	}
	out := make([]bool, int(n))
	if n > 0 {
		for i, v := range unsafe.Slice(on, int(n)) {
			out[i] = v != 0
		}
	}
	d.toggle <- out
}

// AnswerSettings saves the oldest open settings dialog with these switches (nil
// cancels it). Only tests and the test-hooks build use it.
func (w *Window) AnswerSettings(on []bool) error {
	d, err := oldest(kindSettings)
	if err != nil {
		return err
	}
	return w.onUI(func() {
		if on == nil {
			C.sf_settings_answer(d.dialog, nil, 0)
			return
		}
		c := C.malloc(C.size_t(len(on)+1) * C.size_t(unsafe.Sizeof(C.int(0))))
		defer C.free(c)
		cs := unsafe.Slice((*C.int)(c), len(on)+1)
		for i, v := range on {
			cs[i] = 0
			if v {
				cs[i] = 1
			}
		}
		C.sf_settings_answer(d.dialog, (*C.int)(c), C.int(len(on)))
	})
}

// Hide takes the window off the screen; it stays alive for the dialogs it owns.
func (w *Window) Hide() error {
	return w.onUI(func() { C.sf_window_hide(w.wv.Window()) })
}
