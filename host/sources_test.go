package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The modern conformance app loads: its ES modules and TypeScript compile, its npm
// components resolve, WeChat's "permission" counts as a declaration with its desc as
// the reason, and the unsupported requiredPrivateInfos entry is a warning.
func TestLoadModernSources(t *testing.T) {
	a, err := LoadDir("../e2e/testdata/modern")
	if err != nil {
		t.Fatal(err)
	}
	claims := a.PermsApp().Claims
	if c, ok := claims["location:read"]; !ok || c.Reason != "Show the weather where you are" {
		t.Errorf("claims = %v, want location:read with the permission's desc", claims)
	}
	if _, ok := a.Components["miniprogram_npm/@vant/weapp/tag/index"]; !ok {
		t.Errorf("components = %v", a.Project.ComponentPaths())
	}
	if _, ok := a.Components["miniprogram_npm/mp-html/index"]; !ok {
		t.Errorf("components = %v", a.Project.ComponentPaths())
	}
}

// A page that does not compile refuses the load with its own file, line and column,
// before anything runs (pack uses the same Load).
func TestLoadRefusesBrokenTypeScript(t *testing.T) {
	dir := copyApp(t, "../e2e/testdata/modern", "test.modern")
	if err := os.WriteFile(filepath.Join(dir, "pages/typed/typed.ts"), []byte("const a: number = 1\n\nPage({ data: { x: } })\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDir(dir)
	if err == nil || !strings.HasPrefix(err.Error(), "pages/typed/typed.ts:3:") {
		t.Fatalf("err = %v, want pages/typed/typed.ts:3:...", err)
	}
}
