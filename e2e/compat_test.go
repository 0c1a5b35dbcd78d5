package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestTemplateConformance runs e2e/testdata/compat, our own app with the template
// constructs WeChat accepts: WXS modules (inline, src relative and from the root, a
// .wxs requiring another) called in text, class, style, wx:if, wx:for and a component
// property; handlers named by data; wx:key="{{index}}"; reserved words as data keys;
// and a WXS loop that never ends, which is stopped while the page keeps working.
func TestTemplateConformance(t *testing.T) {
	r := launch(t, "e2e/testdata/compat")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#price":     "¥12.50",
		"#cond":      "small",
		"#inline":    "HEY! 3",
		"#reserved":  "S-D-C-N",
		"#taps":      "none",
		".tag-label": "[ADA]",
		"#cls":       "styled",
		"#alive":     "alive: none",
		"#swap":      "swap handler",
		"#spin-btn":  "start a runaway WXS loop",
		"#tap":       "tap me",
		"#clear":     "no handler",
		"view.row":   "row 0",
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
	}
	cls, err := c.Query(ctx, "#cls")
	if err != nil || len(cls) != 1 {
		t.Fatalf("#cls: %v %v", cls, err)
	}
	if got := strings.Fields(cls[0].Attrs["class"]); !hasWord(got, "box") || !hasWord(got, "is-done") {
		t.Errorf("#cls class = %q, want box and is-done", cls[0].Attrs["class"])
	}
	if style := cls[0].Attrs["style"]; !strings.Contains(style, "width: 100px") {
		t.Errorf("#cls style = %q, want width: 100px", style)
	}
	rows, err := c.Query(ctx, "view.row")
	if err != nil || len(rows) != 3 || rows[2].Text != "row 2" {
		t.Fatalf("wx:for over a WXS result: %+v %v", rows, err)
	}
	if err := c.Screenshot(ctx, artifact(t, "compat-templates.png")); err != nil {
		t.Fatal(err)
	}

	// The handler is named by data: onFirst, then onSecond after swap, then none.
	if err := c.Tap(ctx, "#tap"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#taps", "first"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#swap"); err != nil {
		t.Fatal(err)
	}
	// The swap changes data only; the next tap must meet the page it rendered.
	if err := c.WaitText(ctx, "#handler", "onSecond"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#tap"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#taps", "second"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#clear"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#taps", "cleared"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#tap"); err != nil { // handler "" binds nothing
		t.Fatal(err)
	}

	// A WXS loop that never ends: stopped by the step budget, the element's text is
	// left out, and the page still renders and reacts.
	spun := time.Now()
	if err := c.Tap(ctx, "#spin-btn"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, "#spin")
		return len(els) == 1 && els[0].Text == "", err
	}); err != nil {
		t.Fatalf("the runaway element did not render (empty): %v", err)
	}
	t.Logf("tap to a render with a stopped runaway WXS loop: %v", time.Since(spun))
	if err := c.Tap(ctx, "#tap"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#alive", "alive: first"); err != nil {
		t.Fatalf("the page did not react after the runaway WXS loop: %v", err)
	}
	if err := c.WaitText(ctx, "#price", "¥12.50"); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("bridge violations = %d (%v), want 0", n, err)
	}
}

func hasWord(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
