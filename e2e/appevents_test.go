package e2e

import (
	"testing"
)

// TestAppEvents runs e2e/testdata/appevents: the window going to the background and
// coming back (as closing it into the launcher and switching back do) reaches
// App.onHide/onShow and wx.onAppHide/onAppShow in that order; an uncaught error in a
// handler reaches App.onError then wx.onError, and the app goes on.
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
	if err := c.WaitText(ctx, "#log", shown+" App.onError:Error:_kaput onError"); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "appevents.png")); err != nil {
		t.Fatal(err)
	}
}
