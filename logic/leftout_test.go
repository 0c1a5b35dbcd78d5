package logic

import (
	"slices"
	"strings"
	"testing"
)

// A component file that fails to load is left out with a warning, as WeChat renders the
// page without it: one that calls Page(), one that registers nothing, one that throws
// (a library needing an API the shell lacks). The app and its pages still load, and a
// good component beside them is registered.
func TestComponentThatFailsToLoadIsLeftOut(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":            "Page({})",
		"components/good/good.js": "Component({properties: {n: Number}})",
		"components/page/page.js": "Page({})",
		"components/none/none.js": "var x = 1;",
		"components/bad/bad.js":   "Missing({});\nComponent({})",
	}))
	defer a.rt.Stop()
	defs := a.rt.Definitions()
	if _, ok := defs["components/good/good"]; !ok {
		t.Error("the good component is not registered")
	}
	logs := ""
	for _, r := range a.logs.snapshot() {
		logs += r.msg + " " + r.attrs["err"] + "\n"
	}
	for _, want := range []string{
		"Page() must be called while a page file loads (components/page/page.js is a comp)",
		"components/none/none.js: the component did not call Component()",
		"ReferenceError: Missing is not defined",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, c := range []string{"components/page/page", "components/none/none", "components/bad/bad"} {
		if _, ok := defs[c]; ok {
			t.Errorf("%s is registered", c)
		}
	}
}

// A page file that fails to load is left out with a warning naming file:line:col, as
// WeChat runs the app with that page broken: one that requires a missing module, one
// that registers nothing, one that throws. The launch page and a good page still load.
func TestPageThatFailsToLoadIsLeftOut(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":       "Page({})",
		"pages/b/b.js":       "var x = require('./x');\nPage({})",
		"pages/c/c.js":       "var x = 1;",
		"pages/d/d.js":       "var y = 1;\n  Missing();\nPage({})",
		"pages/good/good.js": "Page({onLoad() { console.log('good loaded'); }})",
	}))
	if got, want := a.rt.BrokenPages(), []string{"pages/b/b", "pages/c/c", "pages/d/d"}; !slices.Equal(got, want) {
		t.Errorf("BrokenPages = %q, want %q", got, want)
	}
	logs := ""
	for _, r := range a.logs.snapshot() {
		logs += r.msg + " " + r.attrs["page"] + " " + r.attrs["err"] + "\n"
	}
	for _, want := range []string{
		"logic: page left out pages/b/b",
		"pages/b/b.js:1:",
		"cannot find",
		"pages/c/c.js: the page did not call Page() or Component()",
		"pages/d/d.js:2:",
		"ReferenceError: Missing is not defined",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	a.launch(t, "pages/good/good")
	a.logs.waitConsole(t, "good loaded")
}

// The launch page is the app: when its file fails to load, the app is refused with
// that error, whichever page it is in the list.
func TestLaunchPageThatFailsToLoadRefusesTheApp(t *testing.T) {
	cfg := mapApp(map[string]string{
		"pages/a/a.js": "Page({})",
		"pages/b/b.js": "var x = require('./x');\nPage({})",
	})
	cfg.launch = "pages/b/b"
	_, err := tryStartApp(cfg)
	if err == nil || !strings.Contains(err.Error(), "pages/b/b.js:1:") {
		t.Fatalf("New = %v, want the launch page's load error", err)
	}
}
