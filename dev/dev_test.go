package dev

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

func nextChange(t *testing.T, w *watcher) Change {
	t.Helper()
	select {
	case c := <-w.out:
		return c
	case <-time.After(10 * time.Second): // a hang limit, not a wait for correctness
		t.Fatal("no change reported")
	}
	return Change{}
}

// One save burst is one change; WXSS alone is a style swap; files that cannot change
// the app are not reported; a new folder is watched.
func TestWatcherDebouncesAndClassifies(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pages/a"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := watch(dir, 60*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	write := func(rel, s string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// An editor's save: a temporary file, then the real one, twice.
	write("pages/a/.a.wxss.swp", "x")
	write("pages/a/a.wxss", ".a{}")
	write("pages/a/a.wxss", ".a{color:red}")
	write("app.wxss", "page{}")
	c := nextChange(t, w)
	if !c.StylesOnly || !reflect.DeepEqual(c.Files, []string{"app.wxss", "pages/a/a.wxss"}) {
		t.Fatalf("change %+v, want one style-only change of app.wxss and pages/a/a.wxss", c)
	}
	write("README.md", "docs")
	write("typings/sf.d.ts", "declare const x: 1")
	write("node_modules/x/index.js", "x")
	write("pages/b/b.js", "Page({})") // a new folder, then a script in it
	c = nextChange(t, w)
	if c.StylesOnly || !reflect.DeepEqual(c.Files, []string{"pages/b/b.js"}) {
		t.Fatalf("change %+v, want a reload for pages/b/b.js only", c)
	}
	write("pages/b/b.wxml", "<view/>")
	c = nextChange(t, w)
	if c.StylesOnly || !reflect.DeepEqual(c.Files, []string{"pages/b/b.wxml"}) {
		t.Fatalf("change %+v: the new folder is not watched", c)
	}
}

func TestRelevant(t *testing.T) {
	for rel, want := range map[string]bool{
		"app.json": true, "pages/a/a.ts": true, "pages/a/a.wxs": true, "images/x.png": true,
		"package.json": false, "tsconfig.json": false, "typings/sf.d.ts": false, "a.js~": false,
		".git/HEAD": false, "node_modules/a/a.js": false, "4913": false,
	} {
		if got := relevant(rel); got != want {
			t.Errorf("relevant(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestCompileErrorNamesFileLineColumn(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"pages":["pages/a/a"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "pages/a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.js"), []byte("App({})"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"a.wxml": "<view>x</view>", "a.js": "Page({\n  data: {,\n})\n"} {
		if err := os.WriteFile(filepath.Join(dir, "pages/a", name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := loadApp(dir)
	if err == nil {
		t.Fatal("a script with a syntax error loaded")
	}
	ce := compileError(err)
	if ce.File != "pages/a/a.js" || ce.Line == 0 || ce.Col == 0 {
		t.Fatalf("compile error %+v, want pages/a/a.js:LINE:COL", ce)
	}
	ce = compileError(errors.New("pages/x/x.wxml:11:28: unexpected </vew>, expected </view>"))
	if ce.File != "pages/x/x.wxml" || ce.Line != 11 || ce.Col != 28 || ce.Message != "unexpected </vew>, expected </view>" {
		t.Fatalf("parsed %+v", ce)
	}
}

func TestPageURLKeepsTheQuery(t *testing.T) {
	got := pageURL(automation.Page{Route: "pages/stats/stats", Query: map[string]string{"from": "cli", "a": "1%202"}})
	if got != "/pages/stats/stats?a=1%202&from=cli" {
		t.Fatal(got)
	}
	if got := pageURL(automation.Page{Route: "pages/a/a"}); got != "/pages/a/a" {
		t.Fatal(got)
	}
}

func TestZoomSteps(t *testing.T) {
	if z := stepZoom(1, 1); z != 1.1 {
		t.Errorf("1 + step = %g", z)
	}
	if z := stepZoom(1, -1); z != 0.9 {
		t.Errorf("1 - step = %g", z)
	}
	if z := stepZoom(2, 1); z != 2 {
		t.Errorf("2 + step = %g", z)
	}
	if z := stepZoom(0.5, -1); z != 0.5 {
		t.Errorf("0.5 - step = %g", z)
	}
	if z := stepZoom(1.3, 0); z != 1 {
		t.Errorf("reset = %g", z)
	}
	if z := stepZoom(1.3, 1); z != 1.5 {
		t.Errorf("1.3 + step = %g", z)
	}
}

func TestPresets(t *testing.T) {
	i, err := FindPreset("ipad")
	if err != nil || Presets[i].Kind != "tablet" {
		t.Fatalf("ipad: %v %v", i, err)
	}
	if _, err := FindPreset(DefaultPreset); err != nil {
		t.Fatal(err)
	}
	if _, err := FindPreset("nokia"); err == nil {
		t.Fatal("an unknown preset was found")
	}
	kinds := map[string]bool{}
	for _, p := range Presets {
		kinds[p.Kind] = true
	}
	if !kinds["phone"] || !kinds["tablet"] || !kinds["desktop"] {
		t.Fatalf("presets lack a kind: %v", kinds)
	}
}

func TestIsFirstReady(t *testing.T) {
	for raw, want := range map[string]bool{
		`{"v":1,"kind":"ready","payload":{"seq":0}}`: true,
		`{"v":1,"kind":"ready","payload":{"seq":3}}`: false,
		`{"v":1,"kind":"event","payload":{}}`:        false,
		`nonsense`:                                   false,
	} {
		if got := isFirstReady(raw); got != want {
			t.Errorf("isFirstReady(%s) = %v", raw, got)
		}
	}
}

func TestSubscribeStreamsEvents(t *testing.T) {
	d := &Session{subs: map[chan Event]bool{}, curSet: make(chan struct{})}
	ch, stop := d.Subscribe()
	d.emit(Event{Kind: EventReloaded, Files: []string{"a.js"}})
	e := <-ch
	if e.Kind != EventReloaded || e.Files[0] != "a.js" || e.Time.IsZero() {
		t.Fatalf("event %+v", e)
	}
	for i := 0; i < 200; i++ { // a subscriber that does not read never blocks emit
		d.emit(Event{Kind: EventStyles})
	}
	stop()
	n := 0
	for range ch {
		n++
	}
	if n != cap(ch) {
		t.Fatalf("%d events buffered, want %d", n, cap(ch))
	}
	stop() // twice is harmless
}
