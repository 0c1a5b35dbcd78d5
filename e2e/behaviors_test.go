package e2e

import (
	"testing"
)

// TestBehaviorsConformance runs e2e/testdata/behaviors, our own app with the logic-side
// constructs WeChat accepts: a wx://form-field component collected by a form submit,
// a list and its items linked by relations, selectComponent answering what a
// wx://component-export component exports, observers with a wildcard and several
// fields, a behavior of our own, getCurrentPages() in onLoad, and a page built with
// Component().
func TestBehaviorsConformance(t *testing.T) {
	r := launch(t, "e2e/testdata/behaviors")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name      string
		tap       string // selector to tap first; "" none
		sel, want string
	}{
		{"getCurrentPages() in onLoad holds the page", "", "#loaded", "1 page(s), last pages/index/index"},
		{"lifecycle order", "", "#order", "app.onLaunch > app.onShow > index.onLoad > index.onShow > index.onReady"},
		{"items linked to their list", "", "#tab-summary", "2 tabs: one, two"},
		{"an item's behavior, data merge and relation", "", "tab-item .tab-label", "ONE in components/tab-list/tab-list (behavior/item)"},
		{"a third item links", "#add-tab", "#tab-summary", "3 tabs: one, two, three"},
		{"and unlinks when removed", "#add-tab", "#tab-summary", "2 tabs: one, two"},
		{"the form-field component starts at 0", "", "#stars", "0 star(s) for stars"},
		{"it reacts to taps", "#stars", "#stars", "1 star(s) for stars"},
		{"a form submit collects it beside a plain input", "#submit", "#submitted", `{"nick":"ada","stars":1}`},
		{"observers run for the initial property", "", "#summary", "apples x1"},
		{"a wildcard observer sees a path change", "#more", "#summary", "apples x2"},
		{"a several-field observer too", "", "#both", "apples/2"},
		{"selectComponent answers the export", "#bump", "#bumped", "bumped to 1, tabs found 2"},
		{"the exported method updated the component", "", "#count", "count 1"},
	}
	for _, s := range steps {
		if s.tap != "" {
			if err := c.Tap(ctx, s.tap); err != nil {
				t.Fatalf("%s: tap %s: %v", s.name, s.tap, err)
			}
		}
		if err := c.WaitText(ctx, s.sel, s.want); err != nil {
			got, _ := c.Text(ctx, s.sel)
			t.Fatalf("%s: %s = %q, want %q (%v)", s.name, s.sel, got, s.want, err)
		}
	}
	if err := c.Screenshot(ctx, artifact(t, "compat-behaviors.png")); err != nil {
		t.Fatal(err)
	}

	// A page built with Component(): query as a property, lifetimes and page hooks in
	// WeChat's order, a behavior's data and method, getCurrentPages() in onLoad.
	if err := c.Tap(ctx, "#go"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/second/second"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#pages":    "2 page(s), last pages/second/second",
		"#steps":    "created n=0 > attached n=5 > onLoad 5 > onShow > ready > onReady",
		"#greeting": "hello from a behavior; hi there",
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			got, _ := c.Text(ctx, sel)
			t.Fatalf("%s = %q, want %q (%v)", sel, got, want, err)
		}
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("bridge violations = %d (%v), want 0", n, err)
	}
}
