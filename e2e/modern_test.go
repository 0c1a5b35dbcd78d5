package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

// TestModernSources runs e2e/testdata/modern, a mini-app written the way developers
// write them today: ES modules and a TypeScript page, npm packages and components in
// miniprogram_npm/ (one scoped), an app that wraps Page and intercepts wx.request, WeChat's
// "permission" declaration, a call whose capability is undeclared, and a
// url="javascript:;" navigator. It must launch, pass lint with warnings only, and work.
func TestModernSources(t *testing.T) {
	h := home(t)
	out, code := shellIn(t, h, "lint", "e2e/testdata/modern")
	if code != 0 || !strings.Contains(out, "0 errors") {
		t.Fatalf("lint of the modern app (%d):\n%s", code, out)
	}
	for _, want := range []string{"warning js/capability: wx.getUserProfile", "warning wxml/javascript-url"} {
		if !strings.Contains(out, want) {
			t.Errorf("lint did not warn %q:\n%s", want, out)
		}
	}

	r := launch(t, "e2e/testdata/modern")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#wrapped": "wrapped by app.js",     // the app's own Page wrapper ran
		"#price":   "12.50 EUR",             // a .ts module, imported without extension
		"#year":    "1970",                  // require('dayjs') from miniprogram_npm/
		"#count":   "3,2,1",                 // for await over an async generator, lowered
		"#name":    "modern",                // a bare import found next to app.js
		"#lin":     "0.1",                   // wx.lin added by the app
		"#html":    "from an npm component", // "mp-html": "mp-html"
		"#tag":     "scoped",                // "@vant/weapp/tag/index"
		"#upper":   "an upper-case tag",     // "MpHtml": WeChat's tools accept upper case
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Errorf("%s: %v", sel, err)
		}
	}
	els, err := c.Query(ctx, "#tag .van-tag--primary")
	if err != nil || len(els) != 1 {
		t.Errorf("scoped component's class: %v %v", els, err)
	}

	// The interceptor sees the call; the host still refuses it (no domain declared).
	if err := c.Tap(ctx, "#send"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#intercepted", "1 yes"); err != nil {
		t.Error(err)
	}
	waitPrefix(t, ctx, c, "#request", "request:fail")
	// The profile, its capability undeclared, degrades to WeChat's anonymous one.
	if err := c.Tap(ctx, "#who"); err != nil {
		t.Fatal(err)
	}
	waitPrefix(t, ctx, c, "#who-result", "anonymous 微信用户")

	if err := c.Screenshot(ctx, artifact(t, "modern-index.png")); err != nil {
		t.Fatal(err)
	}

	// url="javascript:;" does nothing; the next navigator still works.
	if err := c.Tap(ctx, "#inert"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#typed"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/typed/typed"); err != nil {
		t.Fatal(err)
	}
	stack, err := c.Stack(ctx)
	if err != nil || len(stack) != 2 {
		t.Fatalf("stack = %v (%v), want the index and the typed page only", stack, err)
	}
	for sel, want := range map[string]string{"#title": "typed page", "#joined": "a+b", "#wrapped": "wrapped by app.js"} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Errorf("%s: %v", sel, err)
		}
	}
	if err := c.Screenshot(ctx, artifact(t, "modern-typed.png")); err != nil {
		t.Fatal(err)
	}
}

// waitPrefix waits for the text of the first element matching sel to start with prefix.
func waitPrefix(t *testing.T, ctx context.Context, c *automation.Client, sel, prefix string) {
	t.Helper()
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		got, err = c.Text(ctx, sel)
		return strings.HasPrefix(got, prefix), err
	})
	if err != nil {
		t.Errorf("%s: text %q, want it to start with %q: %v", sel, got, prefix, err)
	}
}

// TestModernSourcesPackedIsolated: packed (its JavaScript minified), then run in the
// logic child process, which compiles the same sources under its confinement.
func TestModernSourcesPackedIsolated(t *testing.T) {
	h := home(t)
	sfa := filepath.Join(t.TempDir(), "modern.sfa")
	if out, code := shellIn(t, h, "pack", "e2e/testdata/modern", "-o", sfa); code != 0 {
		t.Fatalf("pack (%d):\n%s", code, out)
	}
	r := launchEnv(t, sfa, []string{"SANDFRAME_ISOLATION_UNVERIFIED=process"}, "--sideload")
	ctx := ctxT(t)
	c := r.client
	for sel, want := range map[string]string{"#price": "12.50 EUR", "#count": "3,2,1", "#wrapped": "wrapped by app.js", "#tag": "scoped"} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Errorf("%s: %v", sel, err)
		}
	}
}
