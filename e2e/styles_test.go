package e2e

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// systemFont is a font the test environment has (GTK depends on DejaVu); the test puts
// it into a copy of the app so the repository keeps no third-party font.
const systemFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf"

// TestStyleConformance runs e2e/testdata/styles, our own app with WXSS as UI kits write
// it, and asserts the computed styles a person sees: custom properties (from the page,
// with a fallback, holding rpx, inherited into a component), the page selector, the
// ::after hairline, safe-area insets (0 on the desktop), attribute selectors, :not with
// :nth-child, content from attr(), !important over an inline style, a keyframes
// animation, and an @font-face font from the bundle loaded under the page's CSP.
func TestStyleConformance(t *testing.T) {
	needDisplay(t)
	font, err := os.ReadFile(systemFont)
	if err != nil {
		t.Fatalf("the test font: %v", err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "e2e/testdata/styles"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fonts", "probe.ttf"), font, 0o644); err != nil {
		t.Fatal(err)
	}
	r := launch(t, dir)
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#badge .badge", "badge"); err != nil {
		t.Fatal(err)
	}
	style := func(sel, pseudo string, props ...string) map[string]string {
		t.Helper()
		got, err := c.Style(ctx, sel, pseudo, props...)
		if err != nil {
			t.Fatalf("style of %s%s: %v", sel, pseudo, err)
		}
		return got
	}
	checks := []struct {
		sel, pseudo, prop, want string
	}{
		{"page", "", "background-color", "rgb(255, 248, 225)"}, // the page's `page` beats app.wxss
		{"#brand", "", "color", "rgb(7, 193, 96)"},             // var(--brand) set on page in app.wxss
		{"#fallback", "", "color", "rgb(1, 2, 3)"},
		{"#cell", "::after", "content", `" "`},
		{"#cell", "::after", "height", "80px"}, // 200% of the 40px cell, scaled by half
		{"#cell", "::after", "border-bottom-width", "1px"},
		{"#cell", "::after", "transform", "matrix(0.5, 0, 0, 0.5, 0, 0)"},
		{"#safe", "", "padding-bottom", "10px"}, // constant() and env() insets are 0px
		{"#chip", "", "color", "rgb(250, 81, 81)"},
		{"#col", "", "border-left-width", "4px"},
		{"#row-1", "", "background-color", "rgb(230, 247, 255)"},
		{"#row-2", "", "background-color", "rgba(0, 0, 0, 0)"},
		{"#row-3", "", "background-color", "rgba(0, 0, 0, 0)"}, // :not(.skip)
		{"#quote", "::before", "content", `"“"`},
		{"#quote", "::after", "content", `"kit"`},
		{"#imp", "", "color", "rgb(0, 0, 255)"},
		{"#spin", "", "animation-name", "probe-spin"},
		{"#badge", "", "display", "inline-block"}, // :host
		{"#badge .badge", "", "background-color", "rgb(232, 243, 255)"},
		{"#badge .badge", "", "color", "rgb(7, 193, 96)"}, // the page's custom property inside a component
		{"#badge .badge", "::after", "content", `"!"`},
	}
	for _, ck := range checks {
		if got := style(ck.sel, ck.pseudo, ck.prop)[ck.prop]; got != ck.want {
			t.Errorf("%s%s %s = %q, want %q", ck.sel, ck.pseudo, ck.prop, got, ck.want)
		}
	}

	// rpx inside a custom property: --gap is 20rpx, the width 10 × --gap.
	rpx := style("page", "", "--sf-rpx")["--sf-rpx"]
	perRpx, err := strconv.ParseFloat(strings.TrimSuffix(rpx, "px"), 64)
	if err != nil || perRpx <= 0 {
		t.Fatalf("--sf-rpx = %q", rpx)
	}
	width, err := strconv.ParseFloat(strings.TrimSuffix(style("#gap", "", "width")["width"], "px"), 64)
	if err != nil || width < 200*perRpx-0.5 || width > 200*perRpx+0.5 {
		t.Errorf("#gap width = %v (%v), want 200rpx = %vpx", width, err, 200*perRpx)
	}

	// The bundled font: loaded by the page (a data: URL under font-src data:), and used.
	st, err := c.Font(ctx, "probe-font")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Loaded || !hasWord(st.Faces, "loaded") {
		t.Errorf("font probe-font: %+v, want loaded", st)
	}
	if ff := style("#font", "", "font-family")["font-family"]; !strings.Contains(ff, "probe-font") {
		t.Errorf("#font font-family = %q", ff)
	}
	shot := artifact(t, "compat-styles.png")
	if err := c.Screenshot(ctx, shot); err != nil {
		t.Fatal(err)
	}
	// What a person sees of the hairline: one magenta line across the cell, at most 2px
	// thick (a half-pixel line is drawn as one lighter row).
	rows := hairlineRows(t, shot)
	t.Logf("hairline rows in the screenshot: %v", rows)
	if len(rows) == 0 || len(rows) > 2 {
		t.Errorf("hairline drawn on rows %v of the screenshot, want 1 or 2 rows", rows)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("bridge violations = %d (%v), want 0", n, err)
	}
}

// hairlineRows lists the screenshot rows where more than 200 pixels are tinted magenta,
// the hairline's colour (no other element of the page uses it).
func hairlineRows(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > g>>8+40 && bl>>8 > g>>8+40 {
				n++
			}
		}
		if n > 200 {
			rows = append(rows, y)
		}
	}
	return rows
}
