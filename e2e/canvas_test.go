package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

type chartData struct {
	Step   string  `json:"step"`
	Width  float64 `json:"width"`
	Error  string  `json:"error"`
	Path   string  `json:"path"`
	Path2D string  `json:"path2d"`
}

func chartState(ctx context.Context, c *automation.Client, page string) (chartData, error) {
	var d chartData
	err := c.PageData(ctx, page, &d)
	return d, err
}

// tempImage reads the file behind a wxfile://tmp/ path the app was given.
func tempImage(t *testing.T, r *running, p string) image.Image {
	t.Helper()
	// A temporary file of the app's one file store (docs/files.md): files/<app>/tmp/tmp_….png.
	name, ok := strings.CutPrefix(p, "wxfile://")
	if !ok || !strings.HasPrefix(name, "tmp_") {
		t.Fatalf("temp path %q", p)
	}
	matches, _ := filepath.Glob(filepath.Join(r.dataDir(), "files", "*", "tmp", name))
	if len(matches) != 1 {
		t.Fatalf("the file of %s: %v", p, matches)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not an image: %v", p, err)
	}
	return img
}

// near says whether the pixel at CSS point (x, y) of img (scale: bitmap px per CSS px)
// is c within a small tolerance.
func pixelAt(img image.Image, scale float64, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(int(float64(x)*scale), int(float64(y)*scale))).(color.NRGBA)
}

func nearColor(a color.NRGBA, r, g, b, alpha uint8) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= 24 }
	return d(a.R, r) && d(a.G, g) && d(a.B, b) && d(a.A, alpha)
}

func checkPixels(t *testing.T, what string, img image.Image, checks []pixelCheck) {
	t.Helper()
	scale := float64(img.Bounds().Dy()) / 220 // the chart is 220 CSS px high
	for _, c := range checks {
		if got := pixelAt(img, scale, c.x, c.y); !nearColor(got, c.r, c.g, c.b, c.a) {
			t.Errorf("%s: pixel (%d,%d) is %v, want %s (%d,%d,%d,%d)", what, c.x, c.y, got, c.name, c.r, c.g, c.b, c.a)
		}
	}
}

type pixelCheck struct {
	name       string
	x, y       int
	r, g, b, a uint8
}

var chartPixels = []pixelCheck{
	{"red bar Q1", 70, 166, 0xe7, 0x4c, 0x3c, 255},
	{"blue bar Q2", 130, 150, 0x34, 0x98, 0xdb, 255},
	{"green bar Q3", 190, 118, 0x2e, 0xcc, 0x71, 255},
	{"white above Q1", 70, 100, 255, 255, 255, 255},
	{"black y axis", 30, 100, 0, 0, 0, 255},
	{"black x axis", 200, 190, 0, 0, 0, 255},
	{"magenta bundle image", 270, 48, 255, 0, 255, 255},
}

// inkWidth is the width in CSS px of the dark pixels in rows y0..y1 (the title).
func inkWidth(img image.Image, scale float64, y0, y1 int) float64 {
	minX, maxX := math.MaxInt, -1
	b := img.Bounds()
	for y := int(float64(y0) * scale); y < int(float64(y1)*scale); y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A > 128 && c.R < 110 && c.G < 110 && c.B < 110 {
				minX, maxX = min(minX, x), max(maxX, x)
			}
		}
	}
	if maxX < 0 {
		return 0
	}
	return float64(maxX-minX+1) / scale
}

// TestCanvasBarChart draws examples/barchart: a bar chart on the legacy CanvasContext
// and on a 2d Canvas, exported with canvasToTempFilePath, then draw(false) and
// draw(true) on top, and a drawImage of a missing image (binderror).
func TestCanvasBarChart(t *testing.T) {
	r := launch(t, "examples/barchart")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	page, err := c.CurrentPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var d chartData
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		d, err = chartState(ctx, c, page.ID)
		return d.Step != "loading", err
	}); err != nil {
		t.Fatalf("the chart was not drawn: %v (%+v)", err, d)
	}
	if d.Step != "drawn" {
		t.Fatalf("step = %q", d.Step)
	}
	if err := c.Screenshot(ctx, artifact(t, "canvas-barchart.png")); err != nil {
		t.Fatal(err)
	}

	legacy := tempImage(t, r, d.Path)
	checkPixels(t, "legacy", legacy, chartPixels)
	twoD := tempImage(t, r, d.Path2D)
	checkPixels(t, "2d", twoD, append(chartPixels[:6:6],
		pixelCheck{"gradient top (yellow)", 230, 120, 0xf1, 0xc4, 0x0f, 255},
		pixelCheck{"gradient bottom (orange)", 230, 188, 0xe6, 0x7e, 0x22, 255},
		pixelCheck{"magenta createImage", 270, 48, 255, 0, 255, 255}))

	// measureText is computed in logic; the page's font draws the title about as wide.
	scale := float64(legacy.Bounds().Dx()) / 300
	ink := inkWidth(legacy, scale, 2, 24)
	if d.Width < 60 || d.Width > 110 || ink/d.Width < 0.85 || ink/d.Width > 1.15 {
		t.Errorf("measureText('Sales 2026') = %.2f px, the drawn title is %.2f px wide", d.Width, ink)
	}
	t.Logf("measureText %.2f px, ink %.2f px; exports %dx%d", d.Width, ink, legacy.Bounds().Dx(), legacy.Bounds().Dy())

	// draw(false) clears: only the blue square remains.
	step := func(sel, want string) image.Image {
		t.Helper()
		before := d.Path
		if err := c.Tap(ctx, sel); err != nil {
			t.Fatal(err)
		}
		if err := automation.WaitFor(ctx, func() (bool, error) {
			var err error
			d, err = chartState(ctx, c, page.ID)
			return d.Step == want && d.Path != before, err
		}); err != nil {
			t.Fatalf("%s: %v (%+v)", sel, err, d)
		}
		return tempImage(t, r, d.Path)
	}
	fresh := step("#clear", "fresh")
	checkPixels(t, "draw(false)", fresh, []pixelCheck{
		{"blue square", 20, 20, 0, 0, 255, 255},
		{"cleared bar", 70, 166, 0, 0, 0, 0},
		{"cleared axis", 30, 100, 0, 0, 0, 0},
	})
	more := step("#add", "more")
	checkPixels(t, "draw(true)", more, []pixelCheck{
		{"blue square kept", 20, 20, 0, 0, 255, 255},
		{"purple square", 50, 20, 0x80, 0, 0x80, 255},
	})

	// A wider canvas: a bigger bitmap, with what it showed drawn again.
	wide := step("#wide", "wide")
	if wide.Bounds().Dx() != more.Bounds().Dx()*340/300 {
		t.Errorf("the wider canvas exports %d px wide, want %d", wide.Bounds().Dx(), more.Bounds().Dx()*340/300)
	}
	checkPixels(t, "after a resize", wide, []pixelCheck{
		{"blue square redrawn", 20, 20, 0, 0, 255, 255},
		{"purple square redrawn", 50, 20, 0x80, 0, 0x80, 255},
	})

	// canvasPutImageData, then canvasGetImageData of a red pixel it wrote and of the
	// blue square (the page's pixels, as RGBA).
	if err := c.Tap(ctx, "#pixels"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#pixel", "255,0,0,255|0,0,255,255"); err != nil {
		t.Fatal(err)
	}

	// A touch on the canvas: bindtouchstart with x/y in the canvas's pixels (the centre
	// of the 340 x 220 canvas).
	if err := c.Tap(ctx, "#bars"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#touch", "170,110"); err != nil {
		t.Fatal(err)
	}

	// A drawImage of an image the bundle does not have: binderror.
	if err := c.Tap(ctx, "#broken"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		d, err = chartState(ctx, c, page.ID)
		return strings.Contains(d.Error, "/images/missing.png"), err
	}); err != nil {
		t.Fatalf("no error event: %v (%+v)", err, d)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Fatalf("violations = %d, %v", n, err)
	}
}
