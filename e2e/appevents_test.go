package e2e

import (
	"strings"
	"testing"
)

// TestAppEvents runs e2e/testdata/appevents: the window going to the background and
// coming back (as closing it into the launcher and switching back do) reaches
// App.onHide/onShow and wx.onAppHide/onAppShow in that order; an uncaught error in a
// handler reaches App.onError then wx.onError, and the app goes on; minimising and
// restoring the window is the background and back too.
func TestAppEvents(t *testing.T) {
	r := launch(t, "e2e/testdata/appevents")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#log", "App.onShow onAppShow"); err != nil {
		t.Fatal(err)
	}
	if err := c.Hide(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#log", "App.onShow onAppShow App.onHide onAppHide"); err != nil {
		t.Fatal(err)
	}
	if err := c.Show(ctx); err != nil {
		t.Fatal(err)
	}
	const shown = "App.onShow onAppShow App.onHide onAppHide App.onShow onAppShow"
	if err := c.WaitText(ctx, "#log", shown); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#boom"); err != nil {
		t.Fatal(err)
	}
	errored := shown + " App.onError:Error:_kaput onError"
	if err := c.WaitText(ctx, "#log", errored); err != nil {
		t.Fatal(err)
	}
	// Minimised and restored (the events a window manager sends): background and back.
	if err := c.Call(ctx, "test.iconify", map[string]bool{"iconified": true}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#log", errored+" App.onHide onAppHide"); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(ctx, "test.iconify", map[string]bool{"iconified": false}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#log", errored+" App.onHide onAppHide App.onShow onAppShow"); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "appevents.png")); err != nil {
		t.Fatal(err)
	}
}

// TestLoginCodeVerifies: wx.login in a running app gives a code that `shell identity
// verify` accepts for the app's id (printing the user's pseudonym, exit 0) and refuses
// for another app (exit 1); checkSession holds after the login.
func TestLoginCodeVerifies(t *testing.T) {
	r := launch(t, "e2e/testdata/appevents")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#log", "App.onShow onAppShow"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#login"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#session", "ok"); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Code string `json:"code"`
	}
	if err := c.PageData(ctx, "", &d); err != nil || strings.Count(d.Code, ".") != 2 {
		t.Fatalf("code %q, %v", d.Code, err)
	}
	out, code := shellIn(t, r.home, "identity", "verify", d.Code, "--app", "dev.sandframe.appevents")
	if code != 0 || len(strings.TrimSpace(out)) != 43 {
		t.Fatalf("verify: exit %d, %q", code, out)
	}
	if out, code := shellIn(t, r.home, "identity", "verify", d.Code, "--app", "dev.sandframe.other"); code != 1 || !strings.Contains(out, "another app") {
		t.Fatalf("verify for another app: exit %d, %q", code, out)
	}
}
