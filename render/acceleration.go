package render

/*
#include "webcontext.h"
*/
import "C"

import (
	"fmt"
	"path/filepath"
	"sync"
	"unsafe"
)

// Accelerated compositing (config window.acceleration). With it, WebKit draws a page
// in layers that a GL compositor puts together; on a machine without a GPU that
// compositor is Mesa's software rasteriser, which spends the CPU the GPU would have:
// measured under Xvfb on two cores (docs/performance.md, "Accelerated compositing"), a
// `shell run` took 1.7–1.8 s with it and 1.1 s without, a pooled launch 150 ms against
// 110–130, each window 47 MiB against 26–31, and 50 open apps 5.3 GiB against 2.9. A
// mini-app page (text, lists,
// controls, the odd CSS transition) needs no GPU. Off also keeps the GPU driver out
// of reach of the web processes that run app pages. So "auto" turns it off unless the
// machine has a GPU render node, where WebKit's own policy is kept ("on").
const (
	AccelerationAuto = "auto"
	AccelerationOn   = "on"
	AccelerationOff  = "off"
)

var accel struct {
	sync.Mutex
	policy int // WebKitHardwareAccelerationPolicy; -1: WebKit's default
	set    bool
}

// SetAcceleration chooses accelerated compositing for the windows made after it: "auto",
// "on" or "off". The shell calls it with its config before its first window: whether
// GTK itself may use GL is decided with it when the display opens, once (gtk.go).
func SetAcceleration(mode string) error {
	policy, err := policyOf(mode)
	if err != nil {
		return err
	}
	accel.Lock()
	accel.policy, accel.set = policy, true
	accel.Unlock()
	return nil
}

// policyOf is the WebKit policy for mode, -1 for WebKit's own.
func policyOf(mode string) (int, error) {
	never := int(C.WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER)
	switch mode {
	case AccelerationOn:
		return -1, nil
	case AccelerationOff:
		return never, nil
	case AccelerationAuto:
		if hasGPU() {
			return -1, nil
		}
		return never, nil
	}
	return 0, fmt.Errorf("render: acceleration %q is not auto, on or off", mode)
}

// hasGPU reports whether the machine has a DRM render node (a GPU WebKit can draw
// with); without one, GL is software.
var hasGPU = func() bool {
	nodes, _ := filepath.Glob("/dev/dri/renderD*")
	return len(nodes) > 0
}

// chosenPolicy is the policy SetAcceleration chose; without it (tests, tools), "auto"'s.
func chosenPolicy() int {
	accel.Lock()
	defer accel.Unlock()
	if !accel.set {
		accel.policy, _ = policyOf(AccelerationAuto)
		accel.set = true
	}
	return accel.policy
}

// compositing reports whether views may use accelerated compositing (WebKit's policy
// kept), so the UI process needs GL to show their layers.
func compositing() bool { return chosenPolicy() < 0 }

// applyAcceleration gives the view of a webview_go window (WebView.Window) the chosen
// policy (UI thread, before it loads).
func applyAcceleration(window unsafe.Pointer) {
	if policy := chosenPolicy(); policy >= 0 {
		C.sf_view_acceleration(window, C.int(policy))
	}
}

// Accelerated reports the window's view's policy: false when accelerated compositing
// is never used, true for WebKit's own policies.
func (w *Window) Accelerated() (bool, error) {
	var p C.int
	err := w.onUI(func() { p = C.sf_view_acceleration_get(w.wv.Window()) })
	return p != C.int(C.WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER), err
}
