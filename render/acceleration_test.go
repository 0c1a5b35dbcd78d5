package render

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/internal/procenv"
)

// TestAcceleration: the configured policy reaches the views made after it; "auto" is
// off without a GPU render node and WebKit's own with one; a wrong word is refused.
func TestAcceleration(t *testing.T) {
	needWindow(t)
	defer func(g func() bool) { hasGPU = g; SetAcceleration(AccelerationAuto) }(hasGPU)
	for _, c := range []struct {
		mode string
		gpu  bool
		want bool
	}{
		{AccelerationOff, true, false},
		{AccelerationOn, false, true},
		{AccelerationAuto, false, false},
		{AccelerationAuto, true, true},
	} {
		hasGPU = func() bool { return c.gpu }
		if err := SetAcceleration(c.mode); err != nil {
			t.Fatal(err)
		}
		w := openLoaded(t)
		got, err := w.Accelerated()
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		// A process whose display was opened without GL never composites: WebKit
		// turns it off when GTK has no GL (TestAccelerationInAProcessWithGL runs this
		// test again in a process with GL).
		if want := c.want && displayGL; got != want {
			t.Errorf("%s with a GPU %v, GL %v: accelerated %v, want %v", c.mode, c.gpu, displayGL, got, want)
		}
	}
	if err := SetAcceleration("gpu"); err == nil {
		t.Error(`"gpu" was taken as an acceleration mode`)
	}
}

// TestNoGLWhenNothingComposites: with views that never composite, the shell's process
// opens the display without GL, so GDK does not probe GLX at start (about 100 ms of
// every start without a GPU).
func TestNoGLWhenNothingComposites(t *testing.T) {
	w := openLoaded(t)
	defer w.Close()
	if displayGL {
		t.Skip("the display was opened with GL (a GPU, or window.acceleration on)")
	}
	if gl, err := w.gdkGL(); err != nil || gl {
		t.Errorf("GDK made a GL context (%v, %v), want none", gl, err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	// WebKit still loads the EGL driver for its own display; GDK's probe was GLX.
	for _, lib := range []string{"libGLX_mesa"} {
		if strings.Contains(string(maps), lib) {
			t.Errorf("%s is loaded into the shell's process", lib)
		}
	}
}

// TestAccelerationInAProcessWithGL runs TestAcceleration in a process configured as
// window.acceleration "on" from its start, so its display has GL and WebKit's own
// policy reaches the views that keep it.
func TestAccelerationInAProcessWithGL(t *testing.T) {
	needWindow(t)
	if displayGL {
		t.Skip("this process has GL: TestAcceleration checked it")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestAcceleration$", "-test.v")
	cmd.Env = append(procenv.Outside(), "SANDFRAME_BENCH_ACCELERATION=on") // not this process's no-GL tuning
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAcceleration ") {
		t.Fatalf("TestAcceleration with window.acceleration on: %v\n%s", err, out)
	}
}
