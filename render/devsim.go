package render

/*
#include <stdlib.h>
#include "devsim.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// SimControl is what a person did on the simulator's controls window (`shell dev`):
// What is SimPreset (Value: the preset's index), SimDark (Value: 1 dark, 0 light) or
// SimZoom (Value: -1 out, 0 back to 100%, +1 in).
type SimControl struct {
	What, Value int
}

// The controls of the simulator's controls window.
const (
	SimPreset = 1
	SimDark   = 2
	SimZoom   = 3
)

//export sfSimControl
func sfSimControl(handle C.uintptr_t, what, value C.int) {
	if f, ok := cgo.Handle(handle).Value().(func(SimControl)); ok && f != nil {
		f(SimControl{What: int(what), Value: int(value)})
	}
}

// SimToolbar opens the simulator's controls beside w, in a small window of their own: a
// device preset list (current selected), a Dark toggle and zoom buttons. on hears each use,
// on the UI thread: it must only enqueue. The handle lives as long as the process
// (one simulator per `shell dev`).
func (w *Window) SimToolbar(presets []string, current int, on func(SimControl)) error {
	return w.onUI(func() {
		cs := make([]*C.char, len(presets))
		for i, p := range presets {
			cs[i] = C.CString(p)
		}
		var first **C.char
		if len(cs) > 0 {
			first = &cs[0]
		}
		C.sf_sim_toolbar(w.wv.Window(), first, C.int(len(cs)), C.int(current), C.uintptr_t(cgo.NewHandle(on)))
		for _, c := range cs {
			C.free(unsafe.Pointer(c))
		}
	})
}

// SimFrame sizes the web view to width x height CSS pixels shown at zoom (1 = 100%).
func (w *Window) SimFrame(width, height int, zoom float64) error {
	return w.onUI(func() { C.sf_sim_frame(w.wv.Window(), C.int(width), C.int(height), C.double(zoom)) })
}

// SimShowPreset selects preset i in the controls' list (without firing it).
func (w *Window) SimShowPreset(i int) error {
	return w.onUI(func() { C.sf_sim_show_preset(w.wv.Window(), C.int(i)) })
}

// SimDark shows the theme on the controls window's Dark toggle (without firing it).
func (w *Window) SimDark(dark bool) error {
	d := 0
	if dark {
		d = 1
	}
	return w.onUI(func() { C.sf_sim_set_dark(w.wv.Window(), C.int(d)) })
}

// Reload loads the document html again: the page starts over (its user scripts run
// again and it posts ready), in the same window (`shell dev`'s hot reload).
func (w *Window) Reload(html string) error {
	return w.onUI(func() { w.wv.SetHtml(html) })
}
