package e2e

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

type qRect struct {
	ID      string         `json:"id"`
	Dataset map[string]any `json:"dataset"`
	Left    float64        `json:"left"`
	Right   float64        `json:"right"`
	Top     float64        `json:"top"`
	Bottom  float64        `json:"bottom"`
	Width   float64        `json:"width"`
	Height  float64        `json:"height"`
	Scroll  float64        `json:"scrollTop"`
	SHeight float64        `json:"scrollHeight"`
}

// waitJSON waits until the text of selector is non-empty and decodes it.
func waitJSON(ctx context.Context, t *testing.T, c *automation.Client, selector string, v any) {
	t.Helper()
	var text string
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		text, err = c.Text(ctx, selector)
		return text != "", err
	}); err != nil {
		t.Fatalf("%s never filled: %v", selector, err)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("%s: %v: %s", selector, err, text)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.6 }

// TestQueriesAndMotion runs e2e/testdata/queries: SelectorQuery against a known
// layout (rects, selectAll, the viewport, scoping and in(component), >>>), an
// IntersectionObserver firing when an element scrolls into view, a MediaQueryObserver,
// wx.createAnimation's export played as a transition (the computed transform after it),
// and this.animate's callback with its final state kept.
func TestQueriesAndMotion(t *testing.T) {
	needDisplay(t)
	r := launch(t, "e2e/testdata/queries")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	// Observers set in onReady: #box is fully in view (threshold 1 reached at once),
	// #far is not (no notification: its ratio stays at the initial 0), the media query
	// matches.
	if err := c.WaitText(ctx, "#box-seen", "1 box 200"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#media", "true"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Text(ctx, "#seen"); got != "none" {
		t.Fatalf("#far reported before it was in view: %q", got)
	}

	if err := c.Tap(ctx, "#measure"); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Stage, Box qRect
		Items      int
		Viewport   qRect
		Outside    *qRect
		Across     map[string]any
		Inside     qRect
		Ms         float64
	}
	waitJSON(ctx, t, c, "#out", &out)
	t.Logf("measured: %+v", out)
	t.Logf("a six-item selector query answered in %.0f ms (logic → page → logic)", out.Ms)
	b, s := out.Box, out.Stage
	if b.ID != "box" || b.Dataset["k"] != "v" || !near(b.Width, 200) || !near(b.Height, 100) ||
		!near(b.Left-s.Left, 12) || !near(b.Top-s.Top, 34) || !near(b.Right, b.Left+200) || !near(b.Bottom, b.Top+100) {
		t.Errorf("box rect %+v against stage %+v: want 200x100 at (12, 34) in the stage", b, s)
	}
	if s.Top < 0 || s.Top > 5 || s.Left < 0 || s.Left > 20 {
		t.Errorf("the stage opens the page: its rect is %+v (page coordinates)", s)
	}
	if out.Items != 3 {
		t.Errorf("selectAll('.item') found %d, want 3", out.Items)
	}
	if out.Viewport.Scroll != 0 || out.Viewport.SHeight < 3000 {
		t.Errorf("viewport before scrolling: %+v", out.Viewport)
	}
	if out.Outside != nil {
		t.Errorf("the page's select('.inner') reached into the component: %+v", out.Outside)
	}
	if ds, _ := out.Across["dataset"].(map[string]any); out.Across["height"] != "20px" || ds["x"] != "1" {
		t.Errorf("'#kid >>> .inner': %v", out.Across)
	}
	if !near(out.Inside.Width, 50) || !near(out.Inside.Height, 20) || out.Inside.Dataset["x"] != "1" {
		t.Errorf("in(component) select('.inner'): %+v", out.Inside)
	}

	// A scroll-view's node() is a ScrollViewContext: scrollTo moves it.
	if err := c.Tap(ctx, "#sv-scroll"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sv-top", "300"); err != nil {
		t.Fatal(err)
	}

	// Scrolling #far into view fires the observer; the viewport's scrollOffset follows.
	if err := c.Tap(ctx, "#scroll"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#seen", "in"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#measure-scroll"); err != nil {
		t.Fatal(err)
	}
	var vp qRect
	waitJSON(ctx, t, c, "#out-scroll", &vp)
	t.Logf("viewport after scrolling: %+v", vp)
	if vp.Scroll < 1000 {
		t.Errorf("viewport scrollTop after scrolling: %+v", vp)
	}
	// Another page over it and back: the page is where it was left.
	if _, err := c.Navigate(ctx, "navigateTo", "/pages/other/other", 0); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#other", "another page"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Navigate(ctx, "navigateBack", "", 1); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#out-scroll", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#measure-scroll"); err != nil {
		t.Fatal(err)
	}
	var back qRect
	waitJSON(ctx, t, c, "#out-scroll", &back)
	if !near(back.Scroll, vp.Scroll) {
		t.Errorf("viewport scrollTop back from another page: %+v, left at %+v", back, vp)
	}
	if err := c.Screenshot(ctx, artifact(t, "queries-scrolled.png")); err != nil {
		t.Fatal(err)
	}

	// createAnimation's export, played as a transition of 200 ms.
	if err := c.Tap(ctx, "#move"); err != nil {
		t.Fatal(err)
	}
	var last map[string]string
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		last, err = c.Style(ctx, "#anim", "", "transform", "opacity", "transition-duration", "transition-timing-function")
		return err == nil && last["transform"] == "matrix(2, 0, 0, 2, 40, 0)" && last["opacity"] == "0.5", err
	}); err != nil {
		t.Fatalf("the animation did not end at translateX(40px) scale(2), opacity 0.5: %v (last %v)", err, last)
	}
	t.Logf("animated: %v", last)
	if last["transition-duration"] != "0.2s" || last["transition-timing-function"] != "ease-in" {
		t.Errorf("the step was not played as its transition: %v", last)
	}

	// this.animate: the callback runs when the keyframes end; fill keeps the end.
	if err := c.Tap(ctx, "#keyframes"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#animated", "done"); err != nil {
		t.Fatal(err)
	}
	st, err := c.Style(ctx, "#kf", "", "opacity")
	if err != nil || st["opacity"] != "0.25" {
		t.Errorf("after this.animate: opacity %v %v", st, err)
	}
	if err := c.Screenshot(ctx, artifact(t, "queries-animated.png")); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Violations(ctx); err != nil || v != 0 {
		t.Errorf("violations %d %v: every answer must pass the gate", v, err)
	}
	if strings.Contains(r.stderr.String(), "query refused") {
		t.Errorf("a query was refused:\n%s", r.stderr.String())
	}
}
