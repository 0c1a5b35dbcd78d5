package host

import (
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/codecache"
	"github.com/sandframe/sandframe/logic"
)

// moduleApp is an app whose page is an ES module (it goes through the transform the
// disk cache keeps) with a template, a style and a component.
func moduleApp(text string) fstest.MapFS {
	return fstest.MapFS{
		"app.json":               {Data: []byte(`{"id":"test.diskcache","pages":["pages/index/index"]}`)},
		"app.js":                 {Data: []byte(`App({})`)},
		"app.wxss":               {Data: []byte(`page { color: red; }`)},
		"util.js":                {Data: []byte(`export const greeting = "` + text + `";`)},
		"pages/index/index.js":   {Data: []byte(`import { greeting } from "../../util.js"; Page({ data: { greeting }, tap() {} })`)},
		"pages/index/index.json": {Data: []byte(`{"usingComponents":{"item":"/comp/item"}}`)},
		"pages/index/index.wxml": {Data: []byte(`<view bindtap="tap">{{greeting}}</view><item/>`)},
		"pages/index/index.wxss": {Data: []byte(`.x { margin: 10rpx; }`)},
		"comp/item.json":         {Data: []byte(`{"component":true}`)},
		"comp/item.js":           {Data: []byte(`Component({ methods: { go() {} } })`)},
		"comp/item.wxml":         {Data: []byte(`<text bindtap="go">item</text>`)},
		"comp/item.wxss":         {Data: []byte(`text { color: blue; }`)},
	}
}

func withDiskCache(t testing.TB) *codecache.Cache {
	t.Helper()
	root := t.TempDir()
	c, err := codecache.Open(filepath.Join(root, "cache", "code"), filepath.Join(root, "data", "codecache.key"), 0)
	if err != nil {
		t.Fatal(err)
	}
	SetDiskCache(c, "9.9.9")
	t.Cleanup(func() { SetDiskCache(nil, "") })
	return c
}

// compiledJSON is what of an app the page and the gate see, as one comparable text.
func compiledJSON(t *testing.T, a *App) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"pages": a.Pages, "components": a.Components, "css": a.CSS, "warnings": a.Warnings, "routes": a.Project.Routes()})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// restart is a shell restart: the memory levels are empty.
func restart() {
	ClearCompileCache()
	logic.ClearProgramCache()
}

func entryFiles(t *testing.T, c *codecache.Cache, prefix string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(c.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), prefix) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestDiskCacheSurvivesRestart: after a restart the app comes from disk, the same as
// it compiled; an update (another digest) compiles afresh.
func TestDiskCacheSurvivesRestart(t *testing.T) {
	c := withDiskCache(t)
	restart()
	first, err := Load(moduleApp("hello"))
	if err != nil {
		t.Fatal(err)
	}
	want := compiledJSON(t, first)
	if n := len(entryFiles(t, c, "app-")); n != 1 {
		t.Fatalf("%d app entries after the first load, want 1", n)
	}
	if n := len(entryFiles(t, c, "js-")); n < 1 {
		t.Fatal("the ES module's transform was not kept on disk")
	}
	restart()
	hits := diskHits.Load()
	again, err := Load(moduleApp("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if diskHits.Load() != hits+1 {
		t.Fatal("the second launch after a restart did not come from the disk cache")
	}
	if got := compiledJSON(t, again); got != want {
		t.Fatalf("from disk:\n%s\ncompiled:\n%s", got, want)
	}
	if !again.Pages["pages/index/index"].Handlers["tap"] || !again.Components["comp/item"].Handlers["go"] {
		t.Fatal("handlers lost on the way through the disk")
	}
	// The module runs from the cached transform.
	if _, err := startLogicForTest(again); err != nil {
		t.Fatal(err)
	}
	// An update: another digest, compiled, not served the old entry.
	restart()
	hits = diskHits.Load()
	upd, err := Load(moduleApp("updated"))
	if err != nil {
		t.Fatal(err)
	}
	if diskHits.Load() != hits {
		t.Fatal("an updated app was served the old entry")
	}
	if n := len(entryFiles(t, c, "app-")); n != 2 {
		t.Fatalf("%d app entries after the update, want 2", n)
	}
	_ = upd
}

// TestDiskCacheRoundTripsEveryExample: what comes back from disk is what compiled, for
// every example and test app (templates with every node kind, WXS, styles).
func TestDiskCacheRoundTripsEveryExample(t *testing.T) {
	withDiskCache(t)
	dirs, _ := filepath.Glob("../examples/*")
	more, _ := filepath.Glob("testdata/*")
	for _, dir := range append(dirs, more...) {
		if _, err := os.Stat(filepath.Join(dir, "app.json")); err != nil {
			continue
		}
		restart()
		first, err := Load(os.DirFS(dir))
		if err != nil {
			continue // a broken app on purpose
		}
		want := compiledJSON(t, first)
		restart()
		hits := diskHits.Load()
		again, err := Load(os.DirFS(dir))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if diskHits.Load() != hits+1 {
			t.Fatalf("%s: not from disk", dir)
		}
		if got := compiledJSON(t, again); got != want {
			t.Errorf("%s: from disk differs from compiled:\n%.2000s\nwant:\n%.2000s", dir, got, want)
		}
	}
}

// TestDiskCacheCorruptEntryIsRederived: a corrupted entry is discarded, the app is
// compiled again from the bundle, and the entry written anew.
func TestDiskCacheCorruptEntryIsRederived(t *testing.T) {
	c := withDiskCache(t)
	restart()
	first, err := Load(moduleApp("hello"))
	if err != nil {
		t.Fatal(err)
	}
	want := compiledJSON(t, first)
	var corrupt []string
	c.Corrupt = func(p string, err error) { corrupt = append(corrupt, p) }
	for _, prefix := range []string{"app-", "js-"} {
		for _, p := range entryFiles(t, c, prefix) {
			raw, _ := os.ReadFile(p)
			// A changed template: valid JSON, a different page. Only the MAC tells.
			spoilt := strings.Replace(string(raw), "hello", "HACKED", 1)
			if spoilt == string(raw) {
				spoilt = string(raw[:len(raw)-1]) + "!"
			}
			os.WriteFile(p, []byte(spoilt), 0o600)
		}
	}
	restart()
	hits := diskHits.Load()
	again, err := Load(moduleApp("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if diskHits.Load() != hits {
		t.Fatal("a corrupt entry was used")
	}
	if len(corrupt) < 2 {
		t.Fatalf("corrupt entries reported: %v", corrupt)
	}
	if got := compiledJSON(t, again); got != want || strings.Contains(got, "HACKED") {
		t.Fatalf("re-derived app differs:\n%s\nwant:\n%s", got, want)
	}
	restart()
	if _, err := Load(moduleApp("hello")); err != nil || diskHits.Load() != hits+1 {
		t.Fatalf("the entry was not written again: %v", err)
	}
}

// startLogicForTest runs the app's logic once (every module loads) and stops it.
func startLogicForTest(app *App) (bool, error) {
	rt, err := logic.New(logic.Options{
		AppID: "test.diskcache", FS: app.Project.FS, Pages: app.Project.Routes(), Components: app.Project.ComponentPaths(),
		Send: func(bridge.Envelope) {}, CallSync: noHost, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return false, err
	}
	rt.Stop()
	return true, nil
}

func noHost(c bridge.APICall) bridge.APIResult {
	raw, _ := json.Marshal(map[string]string{"errMsg": c.Name + ":fail no host"})
	return bridge.APIResult{ID: c.ID, Result: raw}
}

// BenchmarkLoadCodeCache: compiling an app with both levels empty (a first launch),
// from the disk level after a restart, and from memory; todo (CommonJS, as goja reads
// it) and a small app written as ES modules (each module goes through esbuild).
func BenchmarkLoadCodeCache(b *testing.B) {
	for name, fsys := range map[string]fs.FS{"todo": os.DirFS("../examples/todo"), "modules": moduleApp("hello")} {
		b.Run(name+"/coldDisk", func(b *testing.B) {
			c := withDiskCache(b)
			for b.Loop() {
				restart()
				b.StopTimer()
				os.RemoveAll(c.Dir())
				os.MkdirAll(c.Dir(), 0o700)
				b.StartTimer()
				if _, err := Load(fsys); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/warmDisk", func(b *testing.B) {
			withDiskCache(b)
			restart()
			if _, err := Load(fsys); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				restart()
				if _, err := Load(fsys); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/memory", func(b *testing.B) {
			withDiskCache(b)
			if _, err := Load(fsys); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := Load(fsys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
