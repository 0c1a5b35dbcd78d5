package host

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
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

// An @font-face names a font in the bundle: it reaches the page inlined as a data: URL
// (the CSP's font-src), and a source the bundle lacks is dropped alone.
func TestCompileBundledFont(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../e2e/testdata/styles")); err != nil {
		t.Fatal(err)
	}
	font := []byte("\x00\x01\x00\x00font")
	if err := os.WriteFile(filepath.Join(dir, "fonts", "probe.ttf"), font, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := `src:url("data:font/ttf;base64,` + base64.StdEncoding.EncodeToString(font) + `") format("truetype")}`
	if !strings.Contains(a.CSS, want) {
		t.Errorf("app CSS lacks the inlined font %s:\n%s", want, a.CSS)
	}
	if !strings.Contains(strings.Join(a.Warnings, "\n"), "fonts/probe.eot is not in the bundle") {
		t.Errorf("warnings %q: want the missing .eot named", a.Warnings)
	}
	if _, ok := a.Images["fonts/probe.ttf"]; ok {
		t.Error("a font is served as an image")
	}

	// Too large to inline: left out with a warning, the app still loads.
	if err := os.WriteFile(filepath.Join(dir, "fonts", "probe.ttf"), make([]byte, maxFontBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err = LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.CSS, "data:font/") || !strings.Contains(strings.Join(a.Warnings, "\n"), "font left out") {
		t.Errorf("a font over the limit: CSS %q warnings %q", a.CSS, a.Warnings)
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
	// styleIsolation "shared" in the .json: class rules take the page's scope and
	// leave the component's subtree; :host stays the component's; its elements keep
	// their own scope.
	sh := a.Components["components/all-shared/all-shared"]
	if sh.StyleScope != componentStyleScope("components/all-shared/all-shared") {
		t.Errorf("shared component style scope %q", sh.StyleScope)
	}
	if want := "\n.shared-paint:where([sf-s~=\"p\"]){color:rgb(128,0,128)}\n[data-sf-comp=\"components/all-shared/all-shared\"]{display:block}\n"; "\n"+sh.CSS != want {
		t.Errorf("shared component CSS %q, want %q", sh.CSS, want)
	}
	// Shared from JS options only: compiled isolated at load, shared on demand.
	js := a.Components["components/js-shared/js-shared"]
	if !strings.Contains(js.CSS, `[data-sf-comp="components/js-shared/js-shared"] .js-paint`) {
		t.Errorf("js-shared CSS at load %q", js.CSS)
	}
	if css, err := a.componentCSS("components/js-shared/js-shared", true); err != nil || css != `.js-paint:where([sf-s~="p"]){color:rgb(0,128,128)}`+"\n" {
		t.Errorf("js-shared CSS when shared = %q, %v", css, err)
	}
}

func TestOptionsShared(t *testing.T) {
	for _, tt := range []struct {
		raw         string
		shared, set bool
	}{
		{`{}`, false, false},
		{`{"addGlobalClass":true}`, false, false},
		{`{"styleIsolation":"shared"}`, true, true},
		{`{"styleIsolation":"apply-shared"}`, false, true},
		{`{"styleIsolation":"isolated","addGlobalClass":true}`, false, true},
		{`{"styleIsolation":7}`, false, false},
	} {
		if shared, set := optionsShared(json.RawMessage(tt.raw)); shared != tt.shared || set != tt.set {
			t.Errorf("optionsShared(%s) = %v, %v; want %v, %v", tt.raw, shared, set, tt.shared, tt.set)
		}
	}
}
