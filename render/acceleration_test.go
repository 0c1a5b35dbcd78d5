package render

import "testing"

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
		if got != c.want {
			t.Errorf("%s with a GPU %v: accelerated %v, want %v", c.mode, c.gpu, got, c.want)
		}
	}
	if err := SetAcceleration("gpu"); err == nil {
		t.Error(`"gpu" was taken as an acceleration mode`)
	}
}
