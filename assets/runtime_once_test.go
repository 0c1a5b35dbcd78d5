package assets

import "testing"

// BenchmarkRuntimeScript: what a window's document costs the shell per window (built
// once, then shared).
func BenchmarkRuntimeScript(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = RuntimeScript()
		_ = PageHTML()
	}
}

// TestRuntimeScriptIsBuiltOnce: every window gets the same script and document, built
// from the embedded files once.
func TestRuntimeScriptIsBuiltOnce(t *testing.T) {
	if RuntimeScript() != buildRuntimeScript() || PageHTML() != buildPageHTML() {
		t.Fatal("the cached script or document differs from a fresh build")
	}
	if n := testing.AllocsPerRun(10, func() { _ = RuntimeScript(); _ = PageHTML() }); n != 0 {
		t.Errorf("asking for them allocates %v times: they are built again", n)
	}
}
