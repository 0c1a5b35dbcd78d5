package host

import (
	"os"
	"path/filepath"
	"testing"
)

// Identical apps share one compilation; a changed file compiles afresh; per-launch
// fields are never shared.
func TestCompileCache(t *testing.T) {
	ClearCompileCache()
	dir := copyApp(t, "testdata/counter", "test.counter")
	a, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a.Signer, a.Verified = "someone", true
	b, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.Pages["pages/index/index"] != b.Pages["pages/index/index"] {
		t.Fatal("the same app was compiled twice")
	}
	if b.Signer != "" || b.Verified || b.Project == a.Project {
		t.Fatalf("a launch's own fields leaked into the next: %+v", b)
	}
	wxml := filepath.Join(dir, "pages/index/index.wxml")
	if err := os.WriteFile(wxml, []byte(`<view id="n">{{n}} changed</view>`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Pages["pages/index/index"] == a.Pages["pages/index/index"] {
		t.Fatal("a changed template came from the cache")
	}
}
