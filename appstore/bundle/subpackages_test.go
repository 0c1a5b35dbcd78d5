package bundle

import (
	"errors"
	"strings"
	"testing"
)

func TestSubpackageManifestRules(t *testing.T) {
	sum := strings.Repeat("a", 64)
	file := func(p string) File { return File{Path: p, SHA256: sum, Size: 1} }
	sp := func(root string) Subpackage { return Subpackage{Root: root, SHA256: sum, Size: 10} }
	base := func() Manifest {
		return Manifest{Format: ManifestFormat, AppID: "dev.x.y", Version: "1.0.0", MinShell: "0.0.0",
			Files: []File{file("app.json"), file("pages/a.js")}}
	}
	ok := base()
	ok.Subpackages = []Subpackage{sp("pkgB"), sp("pkgA")}
	raw, err := ok.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"subpackages":[{"root":"pkgA","independent":false,"sha256":"`) {
		t.Fatalf("canonical form: %s", raw)
	}
	if _, err := ParseManifest(raw); err != nil {
		t.Fatal(err)
	}
	sub := Manifest{Format: ManifestFormat, AppID: "dev.x.y", Version: "1.0.0", MinShell: "0.0.0", Root: "pkgA",
		Files: []File{file("pkgA/p.js")}}
	if _, err := sub.Canonical(); err != nil {
		t.Fatalf("subpackage manifest: %v", err)
	}

	bad := map[string]func(m *Manifest){
		"nested roots":          func(m *Manifest) { m.Subpackages = []Subpackage{sp("a"), sp("a/b")} },
		"duplicate roots":       func(m *Manifest) { m.Subpackages = []Subpackage{sp("a"), sp("A")} },
		"core file under root":  func(m *Manifest) { m.Subpackages = []Subpackage{sp("pages")} },
		"root is a core file":   func(m *Manifest) { m.Subpackages = []Subpackage{sp("pages/a.js")} },
		"bad digest":            func(m *Manifest) { m.Subpackages = []Subpackage{{Root: "x", SHA256: "zz", Size: 1}} },
		"no size":               func(m *Manifest) { m.Subpackages = []Subpackage{{Root: "x", SHA256: sum}} },
		"traversal root":        func(m *Manifest) { m.Subpackages = []Subpackage{sp("../x")} },
		"sub file outside root": func(m *Manifest) { *m = sub; m.Files = append(m.Files, file("other/x.js")) },
		"sub with subpackages":  func(m *Manifest) { *m = sub; m.Subpackages = []Subpackage{sp("q")} },
	}
	for name, change := range bad {
		m := base()
		change(&m)
		if _, err := m.Canonical(); !errors.Is(err, ErrManifest) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestReadSubpackages(t *testing.T) {
	got, err := ReadSubpackages([]byte(`{"subPackages": [{"root": "./a/"}, {"root": "/b", "independent": true}]}`))
	if err != nil || len(got) != 2 || got[0].Root != "a" || got[1].Root != "b" || !got[1].Independent {
		t.Fatalf("%+v, %v", got, err)
	}
	for _, bad := range []string{
		`{"subpackages": [{"root": "a"}], "subPackages": [{"root": "b"}]}`,
		`{"subpackages": [{"root": "a"}, {"root": "a/b"}]}`,
		`{"subpackages": [{"root": ""}]}`,
		`{"subpackages": [{"root": "../up"}]}`,
	} {
		if _, err := ReadSubpackages([]byte(bad)); !errors.Is(err, ErrSubpackage) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if got, err := ReadSubpackages([]byte(`{"pages": ["p"]}`)); err != nil || got != nil {
		t.Fatalf("no subpackages: %v %v", got, err)
	}
}
