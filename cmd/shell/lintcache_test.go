package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/apptest"
)

// TestLaunchFindingsKeyedByContentAndDefinitions: the launch lint's findings are kept
// for the same files under the same definitions only: a changed file, or other
// definitions, are linted anew; the same app again is not.
func TestLaunchFindingsKeyedByContentAndDefinitions(t *testing.T) {
	lintedForLaunch.Clear()
	t.Cleanup(lintedForLaunch.Clear)
	dir := apptest.Tree(t, map[string][]byte{
		"app.json":               []byte(`{"pages": ["pages/index/index"]}`),
		"app.js":                 []byte("App({})"),
		"pages/index/index.wxml": []byte("<view>hi</view>"),
		"pages/index/index.js":   []byte(`Page({data: {s: "fine"}})`),
	})
	banned := func(version int) *lint.Definitions {
		return &lint.Definitions{Version: version, BannedPatterns: []lint.Pattern{
			{ID: "SF-TEST-1", Kind: lint.PatternString, Value: "forbidden-marker", Message: "test"}}}
	}
	hits := func(app *host.App, defs *lint.Definitions) int {
		t.Helper()
		f, err := launchFindings(app, defs)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range f {
			if x.Rule == "defs/banned" {
				n++
			}
		}
		return n
	}
	load := func() *host.App {
		t.Helper()
		host.ClearCompileCache()
		app, err := host.LoadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if app.Digest == [32]byte{} {
			t.Fatal("a loaded folder has no digest")
		}
		return app
	}

	clean := load()
	if n := hits(clean, banned(1)); n != 0 {
		t.Fatalf("clean app: %d findings of the banned pattern", n)
	}
	hits(clean, banned(1))
	if h, m := lintedForLaunch.Stats(); h != 1 || m != 1 {
		t.Errorf("the same app twice: %d hits, %d misses, want 1 and 1", h, m)
	}

	if err := os.WriteFile(filepath.Join(dir, "pages/index/index.js"), []byte(`Page({data: {s: "forbidden-marker"}})`), 0o644); err != nil {
		t.Fatal(err)
	}
	dirty := load()
	if dirty.Digest == clean.Digest {
		t.Fatal("a changed file kept the digest")
	}
	if n := hits(dirty, banned(1)); n != 1 {
		t.Errorf("changed file: %d findings of the banned pattern, want 1 (linted anew)", n)
	}
	if n := hits(dirty, &lint.Definitions{Version: 2}); n != 0 {
		t.Errorf("definitions without the pattern: %d findings, want 0 (linted anew)", n)
	}
	if n := hits(dirty, nil); n != 0 {
		t.Errorf("no definitions: %d findings, want 0", n)
	}
	if n := hits(dirty, banned(1)); n != 1 {
		t.Errorf("kept findings: %d, want 1", n)
	}
}
