package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// simStatus is automation's dev.status (dev.Status).
type simStatus struct {
	Generation int     `json:"generation"`
	Preset     string  `json:"preset"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	PixelRatio float64 `json:"pixelRatio"`
	Theme      string  `json:"theme"`
	Zoom       float64 `json:"zoom"`
	Error      *struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Col     int    `json:"col"`
		Message string `json:"message"`
	} `json:"error"`
}

func devStatus(ctx context.Context, t *testing.T, c *automation.Client) simStatus {
	t.Helper()
	var st simStatus
	if err := c.Call(ctx, "dev.status", nil, &st); err != nil {
		t.Fatalf("dev.status: %v", err)
	}
	return st
}

// launchDev starts `shell dev DIR` with automation.
func launchDev(t *testing.T, dir string, args ...string) *running {
	t.Helper()
	return launchCmd(t, append([]string{"dev", dir, "--devtools=false", "--log-level", "debug"}, args...), nil)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitGeneration waits until the simulator has run more than gen sessions (a reload
// happened) and returns its status.
func waitGeneration(ctx context.Context, t *testing.T, c *automation.Client, gen int) simStatus {
	t.Helper()
	var st simStatus
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st = simStatus{}
		err := c.Call(ctx, "dev.status", nil, &st)
		return st.Generation > gen && st.Error == nil, err
	}); err != nil {
		t.Fatalf("waiting for a reload after generation %d (now %+v): %v", gen, st, err)
	}
	return st
}

// waitCompileError waits until the simulator reports a compile error in file, shown
// in the overlay over the page, and returns its status.
func waitCompileError(ctx context.Context, t *testing.T, c *automation.Client, file string) simStatus {
	t.Helper()
	var st simStatus
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st = simStatus{}
		err := c.Call(ctx, "dev.status", nil, &st)
		return st.Error != nil && st.Error.File == file, err
	}); err != nil {
		t.Fatalf("waiting for a compile error in %s (status %+v): %v", file, st, err)
	}
	if st.Error.Line == 0 {
		t.Errorf("the compile error in %s names no line: %+v", file, *st.Error)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, "#sf-dev-overlay")
		return len(els) == 1 && els[0].Visible && strings.Contains(els[0].Text, file), err
	}); err != nil {
		t.Fatalf("no overlay naming %s: %v", file, err)
	}
	return st
}

func waitNoOverlay(ctx context.Context, t *testing.T, c *automation.Client) {
	t.Helper()
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, "#sf-dev-overlay")
		return len(els) == 0, err
	}); err != nil {
		t.Fatalf("the overlay stays after the fix: %v", err)
	}
}

// wantStack checks that the stack is the index page with stats?from=cli on it.
func wantStack(ctx context.Context, t *testing.T, c *automation.Client, when string) {
	t.Helper()
	stack, err := c.Stack(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stack) != 2 || stack[0].Route != "pages/index/index" || stack[1].Route != "pages/stats/stats" || stack[1].Query["from"] != "cli" {
		t.Fatalf("%s: stack %+v, want index then stats?from=cli", when, stack)
	}
}

// TestDevHotReload edits each kind of file of the todo example under `shell dev`, with
// a compile error in between each time: WXSS is swapped into the running page (no
// reload); WXML, JS and JSON reload the app on the same page stack; a broken file
// shows the overlay and the compile error with its line while the last good version
// keeps running, until the fix.
func TestDevHotReload(t *testing.T) {
	dir := copyTodo(t)
	r := launchDev(t, dir)
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Second)
	defer cancel()
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Navigate(ctx, "navigateTo", "/pages/stats/stats?from=cli", 0); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#stat-percent", "0% complete"); err != nil {
		t.Fatal(err)
	}
	gen := devStatus(ctx, t, c).Generation
	stats := filepath.Join(dir, "pages/stats")

	// WXSS: swapped into the page in place.
	wxss := readFile(t, filepath.Join(stats, "stats.wxss"))
	writeFile(t, filepath.Join(stats, "stats.wxss"), wxss+"\n.percent { color: rgb(1, 2, 3); }\n")
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st, err := c.Style(ctx, "#stat-percent", "", "color")
		return st["color"] == "rgb(1, 2, 3)", err
	}); err != nil {
		t.Fatalf("the WXSS edit did not reach the page: %v", err)
	}
	if st := devStatus(ctx, t, c); st.Generation != gen {
		t.Fatalf("a WXSS edit reloaded the app (generation %d → %d)", gen, st.Generation)
	}
	wantStack(ctx, t, c, "after the WXSS edit")
	writeFile(t, filepath.Join(stats, "stats.wxss"), wxss+"\n.percent { color: rgb(1, 2, 3) \n")
	waitCompileError(ctx, t, c, "pages/stats/stats.wxss")
	writeFile(t, filepath.Join(stats, "stats.wxss"), wxss+"\n.percent { color: rgb(4, 5, 6); }\n")
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st, err := c.Style(ctx, "#stat-percent", "", "color")
		return st["color"] == "rgb(4, 5, 6)", err
	}); err != nil {
		t.Fatalf("the fixed WXSS did not reach the page: %v", err)
	}
	waitNoOverlay(ctx, t, c)

	t.Logf("%s: %s", time.Now().Format("15:04:05.000"), "WXML: the app restarts on t")
	// WXML: the app restarts on the same stack.
	wxml := readFile(t, filepath.Join(stats, "stats.wxml"))
	writeFile(t, filepath.Join(stats, "stats.wxml"), wxml+"\n<view id=\"dev-mark\" style=\"width: 750rpx\">wxml v1</view>\n")
	gen = waitGeneration(ctx, t, c, gen).Generation
	if err := c.WaitText(ctx, "#dev-mark", "wxml v1"); err != nil {
		t.Fatal(err)
	}
	wantStack(ctx, t, c, "after the WXML edit")
	writeFile(t, filepath.Join(stats, "stats.wxml"), wxml+"\n<view id=\"dev-mark\">wxml v2</vew>\n")
	waitCompileError(ctx, t, c, "pages/stats/stats.wxml")
	if err := c.Screenshot(ctx, artifact(t, "dev-compile-error.png")); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#dev-mark", "wxml v1"); err != nil {
		t.Fatalf("the last good version is not running: %v", err)
	}
	writeFile(t, filepath.Join(stats, "stats.wxml"), wxml+"\n<view id=\"dev-mark\" style=\"width: 750rpx\">wxml v3 {{theme}}</view>\n")
	gen = waitGeneration(ctx, t, c, gen).Generation
	if err := c.WaitText(ctx, "#dev-mark", "wxml v3"); err != nil {
		t.Fatal(err)
	}
	waitNoOverlay(ctx, t, c)
	wantStack(ctx, t, c, "after the WXML fix")

	t.Logf("%s: %s", time.Now().Format("15:04:05.000"), "JS: a syntax error first")
	// JS: a syntax error first, then the fix, which also listens for theme changes.
	js := readFile(t, filepath.Join(stats, "stats.js"))
	writeFile(t, filepath.Join(stats, "stats.js"), strings.Replace(js, "Page({", "Page({{", 1))
	waitCompileError(ctx, t, c, "pages/stats/stats.js")
	if err := c.WaitText(ctx, "#dev-mark", "wxml v3"); err != nil {
		t.Fatalf("the last good version is not running: %v", err)
	}
	fixed := strings.Replace(js, "  onLoad(query) {\n", "  onLoad(query) {\n    this.setData({ theme: 'js v2' })\n    wx.onThemeChange((r) => this.setData({ theme: r.theme }))\n", 1)
	if fixed == js {
		t.Fatal("stats.js has changed: no onLoad to extend")
	}
	writeFile(t, filepath.Join(stats, "stats.js"), fixed)
	gen = waitGeneration(ctx, t, c, gen).Generation
	if err := c.WaitText(ctx, "#dev-mark", "wxml v3 js v2"); err != nil {
		t.Fatal(err)
	}
	waitNoOverlay(ctx, t, c)
	wantStack(ctx, t, c, "after the JS edit")

	t.Logf("%s: %s", time.Now().Format("15:04:05.000"), "JSON: a broken page .json")
	// JSON: a broken page .json, then a new navigation bar colour.
	writeFile(t, filepath.Join(stats, "stats.json"), "{\n  \"navigationBarTitleText\": \"Statistics\",\n}\n")
	waitCompileError(ctx, t, c, "pages/stats/stats.json")
	writeFile(t, filepath.Join(stats, "stats.json"), "{\n  \"navigationBarTitleText\": \"Statistics\",\n  \"navigationBarBackgroundColor\": \"#102030\"\n}\n")
	gen = waitGeneration(ctx, t, c, gen).Generation
	if err := automation.WaitFor(ctx, func() (bool, error) {
		st, err := c.Style(ctx, ".sf-navbar", "", "background-color")
		return st["background-color"] == "rgb(16, 32, 48)", err
	}); err != nil {
		t.Fatalf("the JSON edit did not reach the page: %v", err)
	}
	waitNoOverlay(ctx, t, c)
	wantStack(ctx, t, c, "after the JSON edit")

	t.Logf("%s: %s", time.Now().Format("15:04:05.000"), "The simulator: a preset cha")
	// The simulator: a preset changes the page's width (and 750rpx with it), the theme
	// switch fires onThemeChange.
	width := func() string {
		st, err := c.Style(ctx, "#dev-mark", "", "width")
		if err != nil {
			t.Fatal(err)
		}
		return st["width"]
	}
	if w := width(); w != "375px" {
		t.Fatalf("750rpx on the default preset (iPhone SE) is %s, want 375px", w)
	}
	var st simStatus
	if err := c.Call(ctx, "dev.preset", map[string]string{"name": "ipad"}, &st); err != nil {
		t.Fatal(err)
	}
	if st.Width != 768 || st.PixelRatio != 2 {
		t.Fatalf("dev.preset ipad: %+v", st)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return width() == "768px", nil }); err != nil {
		t.Fatalf("750rpx on the iPad preset is %s, want 768px", width())
	}
	if err := c.Call(ctx, "dev.theme", map[string]string{"theme": "dark"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#dev-mark", "wxml v3 dark"); err != nil {
		t.Fatalf("onThemeChange did not fire: %v", err)
	}
	if err := c.Call(ctx, "dev.zoom", map[string]float64{"zoom": 1.25}, nil); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return width() == "768px", nil }); err != nil {
		t.Fatalf("zoom changed the page's CSS width: %s", width())
	}
	if err := c.Call(ctx, "dev.preset", map[string]string{"name": "iphone-14"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return width() == "390px", nil }); err != nil {
		t.Fatalf("750rpx on the iPhone 14 preset is %s, want 390px", width())
	}
	if err := c.Screenshot(ctx, artifact(t, "dev-simulator-page.png")); err != nil {
		t.Fatal(err)
	}
	shot := artifact(t, "dev-simulator.png")
	if err := exec.Command("import", "-window", "root", shot).Run(); err != nil {
		t.Logf("no X screenshot of the simulator (ImageMagick's import): %v", err)
	}
	// The last reload's time is on the terminal.
	if !strings.Contains(r.stderr.String(), "shell dev: reloaded") {
		t.Errorf("no reload line on the terminal:\n%s", r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "pages/stats/stats.wxml:") {
		t.Errorf("the terminal does not name the WXML error's file and line:\n%s", r.stderr.String())
	}
	r.stop(t)
}
