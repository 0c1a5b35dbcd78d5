package registry

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// killSubEnv makes the kill test's child install ROOT/v2.sfa as a subpackage.
const killSubEnv = "SANDFRAME_REGISTRY_KILL_SUB"

// packSubSet packs killApp 1.0.0 with one subpackage, "pkg", of a few hundred KB.
func packSubSet(t *testing.T) *bundle.Set {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"app.json":         []byte(`{"id": "` + killApp + `", "version": "1.0.0", "pages": ["pages/index/index"], "subpackages": [{"root": "pkg", "pages": ["p/p"]}]}`),
		"app.js":           []byte("App({})\n"),
		"pkg/p/p.js":       []byte("Page({})\n"),
		"pages/index/i.js": []byte("Page({})\n"),
	}
	for p, d := range randomFiles(60, 8<<10, 3) {
		files["pkg/"+p] = d
	}
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := bundle.PackSet(dir, bundle.PackOptions{Key: key(1)})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestSubpackageInstallSurvivesKill kills a process installing a subpackage at each step;
// afterwards the subpackage is installed (its files verify with the core's) or absent
// (no directory, no row), and nothing is left in staging.
func TestSubpackageInstallSurvivesKill(t *testing.T) {
	set := packSubSet(t)
	t.Setenv(killSubEnv, "1")
	base := t.TempDir()
	for i, tc := range []struct {
		step      string
		installed bool
	}{{"sub-extracted", false}, {"sub-renamed", false}, {"sub-commit", false}, {"sub-committed", true}, {"", true}} {
		root := filepath.Join(base, string(rune('a'+i)))
		e := newEnvAt(t, root)
		r, err := Open(e.cfg)
		if err != nil {
			t.Fatal(err)
		}
		in := install(t, r, set.Core, InstallOptions{})
		r.Close()
		if err := os.WriteFile(filepath.Join(root, "v2.sfa"), set.Subs[0].Data, 0o600); err != nil {
			t.Fatal(err)
		}
		run := runChild(t, root, tc.step, "", -1)
		if tc.step != "" && (!run.killed || run.lastStep != tc.step) {
			t.Fatalf("step %s: killed %v at %q", tc.step, run.killed, run.lastStep)
		}
		r, err = Open(e.cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := r.Subpackages(killApp, "")
		if err != nil {
			t.Fatal(err)
		}
		if st.Installed["pkg"] != tc.installed {
			t.Errorf("killed at %q: installed %v, want %v", tc.step, st.Installed["pkg"], tc.installed)
		}
		if _, err := os.Stat(filepath.Join(in.Path, "pkg")); tc.installed == errors.Is(err, fs.ErrNotExist) {
			t.Errorf("killed at %q: pkg directory: %v", tc.step, err)
		}
		if _, _, err := r.Verify(killApp); err != nil {
			t.Errorf("killed at %q: %v", tc.step, err)
		}
		stagingEmpty(t, r)
		r.Close()
	}
}
