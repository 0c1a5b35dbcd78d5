package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

// TestTemplateForms runs e2e/testdata/forms, our own app with the template-side
// constructs of WeChat's component model: model:value on an input, model:checked on a
// switch and model:PROP on custom components; hidden; mut-bind and capture-bind colon
// forms; <page-meta> with <navigation-bar>; externalClasses; named and default slots
// with multipleSlots; and generic: abstract nodes with a default.
func TestTemplateForms(t *testing.T) {
	r := launch(t, "e2e/testdata/forms")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#echo":          "hello Ada",
		"#count":         "count 0",
		"#fb-styled":     "styled from outside",
		"#fb-head":       "HEAD",
		"#fb-body":       "BODY",
		".sf-nav-title":  "Meta title",
		"#field-echo":    "field: f0",
		"#starred .star": "★ a",
		"#plain .plain":  "· c",
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Errorf("%s: %v", sel, err)
		}
	}

	// model:value: typing updates the page's data, another text, and the bound
	// handler already sees the new data.
	if err := c.Input(ctx, "#name", "Grace"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#echo", "hello Grace"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#seen", "seen Grace = Grace"); err != nil {
		t.Error(err)
	}
	var data struct {
		Name      string `json:"name"`
		On        bool   `json:"on"`
		Count     int    `json:"count"`
		FieldText string `json:"fieldText"`
	}
	if err := c.PageData(ctx, "", &data); err != nil || data.Name != "Grace" {
		t.Errorf("page data name = %q (%v), want Grace", data.Name, err)
	}

	// hidden: display none, as WeChat; model:checked shows the view.
	visible(t, ctx, c, "#when-on", false)
	visible(t, ctx, c, "#always-hidden", false)
	visible(t, ctx, c, "#hidden-text", false)
	if err := c.Tap(ctx, "#sw"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, "#when-on")
		return err == nil && len(els) == 1 && els[0].Visible, err
	}); err != nil {
		t.Errorf("#when-on did not show after the switch: %v", err)
	}

	// Colon forms: capture first, then one mut-bind handler only, then bind.
	if err := c.Tap(ctx, "#inner"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#taps", "capture,mutInner,outer"); err != nil {
		t.Error(err)
	}

	// capture-catch on the outer element stops the event before anything else runs.
	if err := c.Tap(ctx, "#cc-inner"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#taps2", "captureCatch;"); err != nil {
		t.Error(err)
	}

	// externalClasses: the page's .red-text colours the component's box-class element.
	els, err := c.Query(ctx, "#fb-styled")
	if err != nil || len(els) != 1 {
		t.Fatalf("#fb-styled: %v %v", els, err)
	}
	if got := els[0].Style["color"]; got != "rgb(255, 0, 0)" {
		t.Errorf("external class colour = %q, want rgb(255, 0, 0) (class %q)", got, els[0].Attrs["class"])
	}

	// styleIsolation: isolated by default (page and app class rules stay out, the
	// component's own stay in), "~" reaches the page's class, slot content is the page's,
	// apply-shared lets page classes in.
	for sel, want := range map[string][2]string{
		"#iso-inner":    {"rgb(31, 35, 41)", "400"},
		"#iso-own":      {"rgb(0, 0, 255)", "400"},
		"#iso-tilde":    {"rgb(0, 128, 0)", "400"},
		"#slotted":      {"rgb(0, 128, 0)", "400"},
		"#page-own":     {"rgb(0, 128, 0)", "700"},
		"#shared-inner": {"rgb(0, 128, 0)", "400"},
		// shared: the component's class rules reach the page and apply-shared
		// components, not isolated ones; page classes reach it.
		"#page-painted":     {"rgb(128, 0, 128)", "400"},
		"#shared-painted":   {"rgb(128, 0, 128)", "400"},
		"#iso-painted":      {"rgb(31, 35, 41)", "400"},
		"#all-shared-inner": {"rgb(0, 128, 0)", "400"},
		"#page-js-painted":  {"rgb(0, 128, 128)", "400"},
		"#js-shared-inner":  {"rgb(0, 128, 128)", "400"},
	} {
		els, err := c.Query(ctx, sel)
		if err != nil || len(els) != 1 {
			t.Errorf("%s: %v %v", sel, els, err)
			continue
		}
		if got := [2]string{els[0].Style["color"], els[0].Style["font-weight"]}; got != want {
			t.Errorf("%s color, weight = %v, want %v", sel, got, want)
		}
	}

	// options.virtualHost: the tag's element takes no box.
	if vh, err := c.Query(ctx, "#vh"); err != nil || len(vh) != 1 || vh[0].Style["display"] != "contents" {
		t.Errorf("virtualHost host: %+v %v", vh, err)
	}

	// model:count on a component: its own setData reaches the page's key.
	if err := c.Tap(ctx, "#inc"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#count", "count 1"); err != nil {
		t.Error(err)
	}
	if got, _ := c.Text(ctx, "#taps2"); got != "captureCatch;" { // nothing ran after it
		t.Errorf("#taps2 = %q after capture-catch", got)
	}
	// model:value inside a component, bound on to the page with model:text.
	if err := c.Input(ctx, "#field-input", "typed in a component"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#field-echo", "field: typed in a component"); err != nil {
		t.Error(err)
	}

	// page-meta: the page's style and the navigation bar follow data.
	pg, err := c.Query(ctx, "page")
	if err != nil || len(pg) == 0 {
		t.Fatalf("page element: %v %v", pg, err)
	}
	if got := pg[0].Style["background-color"]; got != "rgb(240, 248, 255)" {
		t.Errorf("page-style background = %q", got)
	}
	// (The bar's colour changes with a transition: wait for it to end.)
	for sel, want := range map[string]string{".sf-navbar": "rgb(51, 102, 153)", ".sf-body": "rgb(255, 238, 221)"} {
		var got string
		if err := automation.WaitFor(ctx, func() (bool, error) {
			els, err := c.Query(ctx, sel)
			if err != nil || len(els) != 1 {
				return false, err
			}
			got = els[0].Style["background-color"]
			return got == want, nil
		}); err != nil {
			t.Errorf("%s background = %q, want %q: %v", sel, got, want, err)
		}
	}
	// Isolation adds no specificity: view[data-spec] (0,1,1) still beats .spec-a.
	if el, err := c.Query(ctx, "#spec"); err != nil || len(el) != 1 || el[0].Style["color"] != "rgb(20, 20, 20)" {
		t.Errorf("cascade changed by class scoping: %+v %v", el, err)
	}
	// root-font-size is the rem base while the page is shown.
	if rem, err := c.Query(ctx, "#rem"); err != nil || len(rem) != 1 || rem[0].Style["font-size"] != "20px" {
		t.Errorf("1rem with root-font-size 20px: %+v %v", rem, err)
	}
	if err := c.Tap(ctx, "#title-btn"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, ".sf-nav-title", "Second title"); err != nil {
		t.Error(err)
	}

	// generic:: the chosen component renders each item; the other list its default.
	stars, err := c.Query(ctx, "#starred .star")
	if err != nil || len(stars) != 2 || stars[1].Text != "★ b" {
		t.Errorf("generic cells: %+v %v", stars, err)
	}
	if plain, _ := c.Query(ctx, "#starred .plain"); len(plain) != 0 {
		t.Errorf("the default cell rendered where a generic was chosen: %+v", plain)
	}
	if err := c.Screenshot(ctx, artifact(t, "forms.png")); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("violations = %d (%v): the page sent a message the gate refused", n, err)
	}

	// A script smuggled into the page can write only what the template binds two ways:
	// a model message for another key is refused and counted, the data stays.
	for _, key := range []string{"seen", "name"} {
		raw, _ := json.Marshal(map[string]any{"v": 1, "kind": "model", "payload": map[string]any{"target": "page", "key": key, "value": "forged"}})
		if err := c.Call(ctx, "test.inject", map[string]string{"script": "window.__sf_post(" + strconvQuote(string(raw)) + ")"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitText(ctx, "#echo", "hello forged"); err != nil {
		t.Error(err) // the bound key, as the input itself would write it
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		n, err := c.Violations(ctx)
		return n == 1, err
	}); err != nil {
		t.Errorf("violations after a model message for an unbound key: %v", err)
	}
	if txt, _ := c.Text(ctx, "#seen"); strings.Contains(txt, "forged") {
		t.Errorf("an unbound key was written: #seen = %q", txt)
	}
}

func visible(t *testing.T, ctx context.Context, c *automation.Client, sel string, want bool) {
	t.Helper()
	els, err := c.Query(ctx, sel)
	if err != nil || len(els) != 1 {
		t.Errorf("%s: %v %v", sel, els, err)
		return
	}
	if els[0].Visible != want {
		t.Errorf("%s visible = %v, want %v (style %v)", sel, els[0].Visible, want, els[0].Style)
	}
	if !want && !strings.Contains(els[0].Style["display"], "none") {
		t.Errorf("%s display = %q, want none", sel, els[0].Style["display"])
	}
}
