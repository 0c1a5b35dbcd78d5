package logic

import (
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
