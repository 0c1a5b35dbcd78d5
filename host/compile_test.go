package host

import (
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// A template with handlers named by data lets the gate accept the page's methods; the
// conformance app's WXS and component compile as part of the app.
func TestCompileDynamicHandlersAndWXS(t *testing.T) {
	a, err := LoadDir("../e2e/testdata/compat")
	if err != nil {
		t.Fatal(err)
	}
	h, ok := a.PageHandlers("pages/index/index")
	if !ok || !h[bridge.AnyMethod] || !h["swap"] {
		t.Fatalf("page handlers %v: want AnyMethod and the static swap", h)
	}
	if tpl := a.Pages["pages/index/index"].Template; len(tpl.Wxs) != 5 {
		t.Errorf("WXS modules %d, want 5 (fmt, price, num, local, spin)", len(tpl.Wxs))
	}
	if h, _ := a.ComponentHandlers("components/tag/tag"); h[bridge.AnyMethod] {
		t.Error("a component with static handlers only allows any method")
	}
}

// The forms app: model: keys join the owner's handler set as ModelKey (and nothing
// else does); a component with abstract nodes may own any component of the app, one
// without may own only what it uses; styles get their class scopes.
func TestCompileModelsGenericsAndStyleScopes(t *testing.T) {
	a, err := LoadDir("../e2e/testdata/forms")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := a.PageHandlers("pages/index/index")
	for _, k := range []string{"name", "on", "count", "fieldText"} {
		if !h[bridge.ModelKey(k)] {
			t.Errorf("page handlers lack model key %s: %v", k, h)
		}
	}
	if h[bridge.ModelKey("seen")] || h[bridge.ModelKey("onInput")] {
		t.Errorf("a key the template does not bind two ways is allowed: %v", h)
	}
	if h, _ := a.ComponentHandlers("components/field/field"); !h[bridge.ModelKey("text")] {
		t.Errorf("component handlers lack model key text: %v", h)
	}
	if !a.Uses("components/list-of/list-of", "components/star-cell/star-cell") {
		t.Error("a component with generics may not own the cell its caller chose")
	}
	if a.Uses("components/fancy-box/fancy-box", "components/star-cell/star-cell") {
		t.Error("a component without generics may own a component it does not use")
	}
	if a.Uses("components/list-of/list-of", "components/nope/nope") {
		t.Error("a component with generics may own a component the app does not have")
	}
	iso := a.Components["components/iso-box/iso-box"]
	if iso.StyleScope != componentStyleScope("components/iso-box/iso-box") || iso.StyleScope == "p" {
		t.Errorf("component style scope %q", iso.StyleScope)
	}
	if want := `.own:where([sf-s~="` + iso.StyleScope + `"])`; !strings.Contains(iso.CSS, want) {
		t.Errorf("component CSS %q lacks %s", iso.CSS, want)
	}
	if pg := a.Pages["pages/index/index"]; pg.StyleScope != "p" || !strings.Contains(pg.CSS, `.red-text:where([sf-s~="p"])`) {
		t.Errorf("page scope %q, CSS %q", pg.StyleScope, pg.CSS)
	}
	if !strings.Contains(a.CSS, `.app-wide:where([sf-s~="p"])`) {
		t.Errorf("app.wxss CSS %q", a.CSS)
	}
}
