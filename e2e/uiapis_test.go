package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestUIAPIs drives the UI group through e2e/testdata/uiapis: the action sheet, the
// editable modal, tab bar marks, the image viewer, pull-down refresh, pageScrollTo with
// onReachBottom and onPageScroll, and the alert before leaving a page.
func TestUIAPIs(t *testing.T) {
	r := launch(t, "e2e/testdata/uiapis")
	// One app walks through many chrome parts: longer than ctxT's limit on a shared machine.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	visible := func(sel string, want bool) {
		t.Helper()
		if err := automation.WaitFor(ctx, func() (bool, error) {
			els, err := c.Query(ctx, sel)
			return (len(els) > 0 && els[0].Visible) == want, err
		}); err != nil {
			t.Fatalf("%s visible != %v: %v", sel, want, err)
		}
	}
	tap := func(sel string) {
		t.Helper()
		if err := c.Tap(ctx, sel); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel, want string) {
		t.Helper()
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Fatal(err)
		}
	}

	text("#sheet-out", "none") // the page has rendered

	// Action sheet: the chosen item's index comes back; cancel is WeChat's fail.
	tap("#sheet")
	visible(`.sf-sheet-item[data-index="1"]`, true)
	text(".sf-sheet-title", "Pick a fruit")
	if err := c.Screenshot(ctx, artifact(t, "uiapis-action-sheet.png")); err != nil {
		t.Fatal(err)
	}
	tap(`.sf-sheet-item[data-index="1"]`)
	text("#sheet-out", "tap 1")
	visible(".sf-sheet", false)
	tap("#sheet")
	visible(".sf-sheet-cancel", true)
	tap(".sf-sheet-cancel")
	text("#sheet-out", "showActionSheet:fail cancel")

	// Editable modal: the field starts with content, and its text comes back.
	tap("#ask")
	visible(".sf-modal-input", true)
	if els, err := c.Query(ctx, ".sf-modal-input"); err != nil || els[0].Value != "Ada" || els[0].Attrs["placeholder"] != "name" {
		t.Fatalf("modal field %+v, %v", els, err)
	}
	if err := c.Input(ctx, ".sf-modal-input", "Grace"); err != nil {
		t.Fatal(err)
	}
	tap(".sf-modal-confirm")
	text("#ask-out", "confirm Grace showModal:ok")

	// Tab bar marks.
	tap("#badge")
	text("#tab-out", "setTabBarBadge:ok")
	text(`.sf-tab[data-page-path="pages/other/other"] .sf-tab-badge`, "7")
	visible(`.sf-tab[data-page-path="pages/other/other"] .sf-tab-badge`, true)
	tap("#dot")
	text("#tab-out", "showTabBarRedDot:ok")
	visible(`.sf-tab[data-page-path="pages/index/index"] .sf-tab-dot`, true)

	// The bar's style and items change; its marks stay.
	tap("#style")
	text("#tab-out", "setTabBarStyle:ok")
	if st, err := c.Style(ctx, `.sf-tab[data-page-path="pages/index/index"]`, "", "color"); err != nil || st["color"] != "rgb(255, 0, 0)" {
		t.Errorf("selected tab colour %v, %v", st, err)
	}
	text(`.sf-tab[data-page-path="pages/other/other"] .sf-tab-badge`, "7")
	tap("#rename")
	text("#tab-out", "setTabBarItem:ok")
	text(`.sf-tab[data-page-path="pages/other/other"] .sf-tab-text`, "Renamed")
	tap("#loading")
	visible(".sf-nav-loading", true)

	// The image viewer opens on current, moves and closes.
	tap("#preview")
	visible(".sf-preview-image", true)
	text(".sf-preview-count", "2 / 2")
	els, err := c.Query(ctx, ".sf-preview-image")
	if err != nil || els[0].Attrs["data-url"] != "/images/blue.svg" || len(els[0].Attrs["src"]) < len("data:image/svg") {
		t.Fatalf("viewer image %+v, %v", els, err)
	}
	if err := c.Screenshot(ctx, artifact(t, "uiapis-preview.png")); err != nil {
		t.Fatal(err)
	}
	tap(".sf-preview-prev")
	text(".sf-preview-count", "1 / 2")
	tap(".sf-preview-close")
	visible(".sf-preview", false)

	// Pull-down refresh on a page whose json enables it: the gesture calls
	// onPullDownRefresh, whose stopPullDownRefresh puts the page back.
	tap("#long")
	if err := c.WaitRoute(ctx, "pages/long/long"); err != nil {
		t.Fatal(err)
	}
	text("#refreshes", "0")
	if err := c.Drag(ctx, "page", 0, 300); err != nil {
		t.Fatal(err)
	}
	text("#refreshes", "1")
	visible(".sf-refresh", false)
	var tr string
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st, err := c.Style(ctx, "page", "", "transform")
		tr = st["transform"]
		return tr == "none", err
	}); err != nil {
		t.Fatalf("page transform after stopPullDownRefresh = %q: %v", tr, err)
	}
	tap("#start") // wx.startPullDownRefresh: the same as a pull
	text("#refreshes", "2")
	visible(".sf-refresh", false)

	// pageScrollTo a selector: the page moves (onPageScroll reports it) and reaching
	// the end calls onReachBottom once.
	tap("#top")
	text("#scrolled", "yes")
	text("#bottoms", "1")

	// enableAlertBeforeUnload: the back arrow asks; Cancel stays, Leave goes.
	tap("#guard")
	text("#guarded", "yes") // the ui op went out before the call succeeded
	tap(".sf-nav-back")
	text(".sf-modal-confirm", "Leave")
	tap(".sf-modal-cancel")
	if p, err := c.CurrentPage(ctx); err != nil || p.Route != "pages/long/long" {
		t.Fatalf("after cancel: %+v, %v", p, err)
	}
	tap(".sf-nav-back")
	tap(".sf-modal-confirm")
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("bridge refused %d page messages (%v)", n, err)
	}
}
