package e2e

import (
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

// TestWidgets drives the built-in components, the tab bar, slots, scroll events and
// the modal of examples/widgets.
func TestWidgets(t *testing.T) {
	r := launch(t, "examples/widgets")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/controls/controls"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#result", "nothing yet"); err != nil {
		t.Fatal(err)
	}

	// A form: every control's value reaches bindsubmit's detail.value.
	if err := c.Input(ctx, "#name", "Ada"); err != nil {
		t.Fatal(err)
	}
	if err := c.Input(ctx, "#bio", "Counts things"); err != nil {
		t.Fatal(err)
	}
	// Moving to the textarea took focus from the name input: its bindblur ran.
	if err := c.WaitText(ctx, "#name-left", "Ada"); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"#lang-go", "#size-m", "#notify"} {
		if err := c.Tap(ctx, sel); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitText(ctx, "#langs-live", "go"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#notify-live", "on"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#submit"); err != nil {
		t.Fatal(err)
	}
	want := `{"bio":"Counts things","langs":["go"],"name":"Ada","notify":true,"size":"m"}`
	if err := c.WaitText(ctx, "#result", want); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "widgets-controls.png")); err != nil {
		t.Fatal(err)
	}

	// The modal is shell chrome: answering it resolves wx.showModal's promise.
	if err := c.Tap(ctx, "#ask"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, ".sf-modal-confirm")
		return len(els) == 1 && els[0].Visible, err
	}); err != nil {
		t.Fatalf("modal did not show: %v", err)
	}
	if err := c.Screenshot(ctx, artifact(t, "widgets-modal.png")); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, ".sf-modal-confirm"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#answer", "confirmed"); err != nil {
		t.Fatal(err)
	}

	// The tab bar switches pages; the list page's card fills its named and default slots.
	if err := c.Tap(ctx, `.sf-tab[data-page-path="pages/list/list"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/list/list"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#loaded", "20 loaded"); err != nil {
		t.Fatal(err)
	}
	if txt, err := c.Text(ctx, "card .count"); err != nil || txt != "20" {
		t.Fatalf("card count = %q, %v", txt, err)
	}
	if err := c.Tap(ctx, ".row[data-id='3']"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#picked", "Picked row 3"); err != nil {
		t.Fatal(err)
	}
	if err := c.LongPress(ctx, ".row[data-id='5']"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#picked", "Held row 5"); err != nil {
		t.Fatal(err)
	}
	// Scrolling to the bottom loads more through bindscrolltolower.
	if err := c.Call(ctx, "test.inject", map[string]string{"script": `document.querySelector('#rows').scrollTop = 1e6`}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#loaded", "40 loaded"); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "widgets-list.png")); err != nil {
		t.Fatal(err)
	}

	// Back to the first tab: it was kept alive with its state.
	if err := c.Tap(ctx, `.sf-tab[data-page-path="pages/controls/controls"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/controls/controls"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#answer", "confirmed"); err != nil {
		t.Fatal(err)
	}
	// navigateTo a tab page fails as in WeChat.
	if _, err := c.Navigate(ctx, "navigateTo", "/pages/list/list", 0); err == nil || !strings.Contains(err.Error(), "can not navigateTo a tabbar page") {
		t.Fatalf("navigateTo a tab page: %v", err)
	}
	if n, _ := c.Violations(ctx); n != 0 {
		t.Fatalf("%d page messages refused in normal use", n)
	}
}
