// Command rawwebview is the raw baseline of BenchmarkLaunchShellRun (docs/performance.md,
// "A cold start"): webview_go alone, started as any app built on it starts. One window
// of the shell's default size, a small document set with SetHtml, and the first animation
// frame of that document, printed as Unix milliseconds (the wall clock the benchmark
// took the exec time on). What a `shell run` takes beyond it is Sandframe's.
//
// It gets what the shell's windows get from window.acceleration (the benchmark's
// SANDFRAME_WINDOW_ACCELERATION, "auto" by default): "off", or "auto" without a GPU
// render node, is no accelerated compositing and GTK without GL (render/acceleration.go),
// so the ratio compares the starts, not the compositing.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	webview "github.com/webview/webview_go"
)

const page = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<h1>raw webview_go</h1>
<script>requestAnimationFrame(() => painted(performance.timeOrigin + performance.now()))</script>
</body></html>`

func main() {
	mode := os.Getenv("SANDFRAME_WINDOW_ACCELERATION")
	nodes, _ := filepath.Glob("/dev/dri/renderD*")
	if mode == "off" || (mode != "on" && len(nodes) == 0) {
		os.Setenv("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
		os.Setenv("GDK_GL", "disable")
	}
	w := webview.New(false)
	if w == nil {
		fmt.Fprintln(os.Stderr, "rawwebview: no window (no display?)")
		os.Exit(1)
	}
	defer w.Destroy()
	w.SetTitle("raw webview_go")
	w.SetSize(420, 760, webview.HintNone)
	if err := w.Bind("painted", func(at float64) {
		fmt.Printf("painted %.0f\n", at)
		w.Terminate()
	}); err != nil {
		fmt.Fprintln(os.Stderr, "rawwebview:", err)
		os.Exit(1)
	}
	w.SetHtml(page)
	w.Run()
}
