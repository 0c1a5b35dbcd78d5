package e2e

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestMoreComponents runs e2e/testdata/components, our own app with the built-in
// components of issue 11 that came last: picker mode="region", picker-view,
// movable-area/movable-view, cover-view/cover-image, match-media, page-container and
// the editor placeholder. It drives them as a person would and checks what the page
// shows and the details each event carries.
func TestMoreComponents(t *testing.T) {
	r := launch(t, "e2e/testdata/components")
	// A long walk through many components: more than ctxT's 20 s on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}

	// picker region: the sheet has three columns from the built-in table, starting at
	// the value; choosing Shenzhen refits the districts; change carries value and codes.
	if err := c.WaitText(ctx, "#region-show", "广东省 广州市 海珠区"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#region"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, `.sf-picker-column[data-column="1"] .sf-picker-option[selected]`, "广州市"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, `.sf-picker-column[data-column="2"] .sf-picker-option[selected]`, "海珠区"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, `.sf-picker-column[data-column="1"] .sf-picker-option[data-index="2"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, `.sf-picker-column[data-column="2"] .sf-picker-option[data-index="1"]`, "福田区"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, `.sf-picker-column[data-column="2"] .sf-picker-option[data-index="1"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "components-region.png")); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, ".sf-picker-confirm"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#region-log", `{"value":["广东省","深圳市","福田区"],"code":["440000","440300","440304"],"postcode":""}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#region-show", "广东省 深圳市 福田区"); err != nil {
		t.Error(err)
	}

	// picker-view: the value puts rows 2 and 1 in the band; dragging the hour column up
	// by three rows (40 px each) settles on 05 and sends pickstart, pickend, change.
	if err := c.WaitText(ctx, "#pv-show", "02:15"); err != nil {
		t.Error(err)
	}
	if err := waitScroll(ctx, c, "#pv-h", 80); err != nil {
		t.Error(err)
	}
	if err := c.Drag(ctx, "#pv-h", 0, -120); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pv-log", `{"value":[5,1]}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#pv-events", "start end"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#pv-show", "05:15"); err != nil {
		t.Error(err)
	}
	if err := waitScroll(ctx, c, "#pv-h", 200); err != nil {
		t.Error(err)
	}
	// A data change moves the columns and sends nothing.
	if err := c.Tap(ctx, "#pv-set"); err != nil {
		t.Fatal(err)
	}
	if err := waitScroll(ctx, c, "#pv-m", 120); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#pv-show", "05:45"); err != nil {
		t.Error(err)
	}
	if txt, _ := c.Text(ctx, "#pv-events"); txt != "start end" {
		t.Errorf("pv events after a data change: %q", txt)
	}

	// movable-view: a drag moves it (change source "touch"), clamped to the area
	// (300x160 with a 60x60 view: at most 240, 100).
	if err := c.Drag(ctx, "#mv", 100, 50); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#mv-log", `{"x":100,"y":50,"source":"touch"}`); err != nil {
		t.Error(err)
	}
	if err := c.Drag(ctx, "#mv", 500, 500); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#mv-log", `{"x":240,"y":100,"source":"touch"}`); err != nil {
		t.Error(err)
	}
	if err := waitTransform(ctx, c, "#mv", "matrix(1, 0, 0, 1, 240, 100)"); err != nil {
		t.Error(err)
	}
	// A horizontal one keeps its y.
	if err := c.Drag(ctx, "#mh", 80, 40); err != nil {
		t.Fatal(err)
	}
	if err := waitTransform(ctx, c, "#mh", "matrix(1, 0, 0, 1, 80, 100)"); err != nil {
		t.Error(err)
	}
	// x/y from data: moves there with source "".
	if err := c.Tap(ctx, "#mv-set"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#mv-log", `{"x":40,"y":30,"source":""}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#mv-sources", "touch data"); err != nil {
		t.Error(err)
	}
	if err := c.Call(ctx, "element.settle", map[string]string{"selector": "page"}, nil); err != nil {
		t.Log(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "components-index.png")); err != nil {
		t.Error(err)
	}

	// Layers: cover-view over a map placeholder, match-media, the editor placeholder,
	// and a page-container that the back arrow closes instead of leaving the page.
	if err := c.Tap(ctx, "#to-layers"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/layers/layers"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#cover", "over the map"); err != nil {
		t.Error(err)
	}
	visible := func(sel string) bool {
		els, err := c.Query(ctx, sel)
		return err == nil && len(els) == 1 && els[0].Visible
	}
	if !visible("#wide") || visible("#narrow") {
		t.Errorf("match-media: wide visible %v (want true), narrow visible %v (want false)", visible("#wide"), visible("#narrow"))
	}
	if err := c.WaitText(ctx, "#ed .sf-placeholder-label", "<editor> is not available in Sandframe"); err != nil {
		t.Error(err)
	}
	if visible("#pc-panel") {
		t.Error("the page-container shows before show is true")
	}
	if err := c.Tap(ctx, "#open"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pc-events", "beforeenter enter afterenter"); err != nil {
		t.Error(err)
	}
	if !visible("#pc-panel") {
		t.Error("the page-container's panel is not visible once open")
	}
	if err := c.Screenshot(ctx, artifact(t, "components-page-container.png")); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, ".sf-nav-back"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pc-events", "beforeenter enter afterenter beforeleave leave afterleave"); err != nil {
		t.Error(err)
	}
	if p, err := c.CurrentPage(ctx); err != nil || p.Route != "pages/layers/layers" {
		t.Errorf("back with a page-container open left the page: %v %v", p, err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return !visible("#pc-panel"), nil }); err != nil {
		t.Error("the page-container did not close")
	}
	// A click on the overlay closes it too, with clickoverlay.
	if err := c.Tap(ctx, "#open"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pc-events", "beforeenter enter afterenter"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#pc"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pc-events", "beforeenter enter afterenter clickoverlay beforeleave leave afterleave"); err != nil {
		t.Error(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "components-layers.png")); err != nil {
		t.Error(err)
	}
	// Now back leaves the page.
	if err := c.Tap(ctx, ".sf-nav-back"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Error(err)
	}
	if n, _ := c.Violations(ctx); n != 0 {
		t.Errorf("%d page messages refused in normal use", n)
	}
}

// waitScroll waits until the element's scrollTop is want (±1): a test-only script
// copies it into an attribute that a query reads.
func waitScroll(ctx context.Context, c *automation.Client, sel string, want float64) error {
	var got float64
	script := "var e = document.querySelector(" + strconv.Quote(sel) + "); if (e) e.setAttribute('sf-test-top', String(e.scrollTop));"
	err := automation.WaitFor(ctx, func() (bool, error) {
		if err := c.Call(ctx, "test.inject", map[string]string{"script": script}, nil); err != nil {
			return false, err
		}
		els, err := c.Query(ctx, sel)
		if err != nil || len(els) != 1 {
			return false, err
		}
		got, _ = strconv.ParseFloat(els[0].Attrs["sf-test-top"], 64)
		return math.Abs(got-want) <= 1, nil
	})
	if err != nil {
		return fmt.Errorf("%s scrollTop %v, want %v: %w", sel, got, want, err)
	}
	return nil
}

// waitTransform waits until the element's computed transform is want.
func waitTransform(ctx context.Context, c *automation.Client, sel, want string) error {
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		st, err := c.Style(ctx, sel, "", "transform")
		got = st["transform"]
		return got == want, err
	})
	if err != nil {
		return fmt.Errorf("%s transform %q, want %q: %w", sel, got, want, err)
	}
	return nil
}
