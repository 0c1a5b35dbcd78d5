package e2e

import (
	"strings"
	"testing"
)

// TestBuiltinControls runs e2e/testdata/controls, our own app with the built-in
// components of issue 11: swiper, picker (selector and date), slider, progress,
// rich-text, a map placeholder and open-data. It drives them as a person would and
// checks what the page shows and that each change reaches logic with WeChat's detail.
func TestBuiltinControls(t *testing.T) {
	r := launch(t, "e2e/testdata/controls")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#pk-show":                   "apple",
		"#pg .sf-progress-info":      "60%",
		"#sl .sf-slider-value":       "50",
		"#rt b":                      "bold",
		"#map .sf-placeholder-label": "<map> is not available in Sandframe",
		"#nick":                      "微信用户",
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Errorf("%s: %v", sel, err)
		}
	}
	// rich-text: the script and the handler never reach the page.
	for _, sel := range []string{"#rt script", "#rt [onerror]", "script:not([src])#x"} {
		if els, err := c.Query(ctx, sel); err != nil || len(els) != 0 {
			t.Errorf("%s: %d elements (%v), want none", sel, len(els), err)
		}
	}
	// A remote image goes through the shell's image scheme, never straight to the net.
	if els, err := c.Query(ctx, "#rt img"); err != nil || len(els) != 1 || !strings.HasPrefix(els[0].Attrs["src"], "sfimg:") {
		t.Errorf("rich-text img: %v (%v), want one with an sfimg: src", els, err)
	}
	if els, err := c.Query(ctx, "#sw .sf-swiper-dot"); err != nil || len(els) != 3 {
		t.Errorf("swiper dots: %d (%v), want 3", len(els), err)
	}
	if err := c.Screenshot(ctx, artifact(t, "controls-page.png")); err != nil {
		t.Error(err)
	}

	// autoplay: the vertical swiper turns by itself, source "autoplay", with item-id.
	if err := c.WaitText(ctx, "#auto-log", `{"current":1,"currentItemId":"b","source":"autoplay"}`); err != nil {
		t.Error(err)
	}

	// swiper: a turn by key sends change {current, currentItemId, source}.
	if err := c.Press(ctx, "#sw", "ArrowRight"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sw-log", `{"current":1,"currentItemId":"","source":"touch"}`); err != nil {
		t.Error(err)
	}
	// circular: back from 0 wraps to the last.
	if err := c.Press(ctx, "#sw", "ArrowLeft"); err != nil {
		t.Fatal(err)
	}
	if err := c.Press(ctx, "#sw", "ArrowLeft"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sw-log", `{"current":2,"currentItemId":"","source":"touch"}`); err != nil {
		t.Error(err)
	}
	// A drag to the left (touch or mouse) turns it forward, wrapping round.
	if err := c.Drag(ctx, "#sw", -200, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sw-log", `{"current":0,"currentItemId":"","source":"touch"}`); err != nil {
		t.Error(err)
	}
	// A short drag snaps back: no change.
	if err := c.Drag(ctx, "#sw", 15, 0); err != nil {
		t.Fatal(err)
	}
	if els, err := c.Query(ctx, "#sw"); err != nil || len(els) != 1 || els[0].Attrs["current"] != "0" {
		t.Errorf("swiper after a short drag: %v %v, want current 0", els, err)
	}
	// current from data: the swiper follows, change with source "".
	if err := c.Tap(ctx, "#sw-set"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sw-log", `{"current":1,"currentItemId":"","source":""}`); err != nil {
		t.Error(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "controls-swiper.png")); err != nil {
		t.Error(err)
	}

	// picker selector: the sheet opens, Cancel sends cancel, a choice and Confirm send
	// change {value: index}.
	if err := c.Tap(ctx, "#pk"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, ".sf-picker-cancel"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#cancels", "cancels 1"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#pk"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, `.sf-picker-option[data-index="2"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "controls-picker.png")); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, ".sf-picker-confirm"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pk-log", `{"value":2}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#pk-show", "cherry"); err != nil {
		t.Error(err)
	}

	// picker date: month column to May.
	if err := c.Tap(ctx, "#date"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, `.sf-picker-column[data-column="1"] .sf-picker-option[data-index="4"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, ".sf-picker-confirm"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#date-log", `{"value":"2024-05-10"}`); err != nil {
		t.Error(err)
	}

	// slider: a key moves it one step; change {value}.
	if err := c.Press(ctx, "#sl", "ArrowRight"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sl-log", `{"value":55}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#sl .sf-slider-value", "55"); err != nil {
		t.Error(err)
	}
	// Dragged to the far right end: change {value: max}.
	if err := c.Drag(ctx, "#sl .sf-slider-box", 2000, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#sl-log", `{"value":100}`); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#sl-changing", "changing 100"); err != nil {
		t.Error(err)
	}

	// progress active: grows, then activeend {curPercent}.
	if err := c.WaitText(ctx, "#pg2-log", `{"curPercent":30}`); err != nil {
		t.Error(err)
	}

	// multiSelector: columnchange {column, value}; the app refills column 1 while the
	// sheet is open and the sheet follows; change sends the indexes.
	if err := c.Tap(ctx, "#multi"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, `.sf-picker-column[data-column="0"] .sf-picker-option[data-index="1"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, `.sf-picker-column[data-column="1"] .sf-picker-option[data-index="2"]`, "r"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, `.sf-picker-column[data-column="1"] .sf-picker-option[data-index="2"]`); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, ".sf-picker-confirm"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#multi-log", `{"column":1,"value":2} {"value":[1,2]}`); err != nil {
		t.Error(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "controls-after.png")); err != nil {
		t.Error(err)
	}
}
