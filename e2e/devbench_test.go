package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// BenchmarkDevEditToScreen measures `shell dev`'s edit-to-screen time on the todo
// example, from writing the file to the page showing the change (polled through
// automation): a WXSS edit (swapped in place; goal < 100 ms) and a JS edit (the app
// restarts and its stack of two pages is restored; goal < 300 ms).
//
//	xvfb-run -a go test -tags "$SANDFRAME_TAGS" ./e2e -run '^$' -bench DevEditToScreen -benchtime 10x
//
// Each is measured with the app's logic in a confined child process (the default for
// a folder app) and in the shell's own process (shell dev --isolation goroutine).
func BenchmarkDevEditToScreen(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY: run under xvfb-run")
	}
	for _, iso := range []string{"process", "goroutine"} {
		b.Run(iso, func(b *testing.B) { benchEditToScreen(b, iso) })
	}
}

func benchEditToScreen(b *testing.B, isolation string) {
	src := filepath.Join(repoRoot, "examples/todo")
	dir := filepath.Join(b.TempDir(), "todo")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	stats := filepath.Join(dir, "pages/stats")
	wxml, _ := os.ReadFile(filepath.Join(stats, "stats.wxml"))
	if err := os.WriteFile(filepath.Join(stats, "stats.wxml"), append(wxml, []byte("\n<view id=\"dev-mark\">{{mark}}</view>\n")...), 0o644); err != nil {
		b.Fatal(err)
	}
	h := b.TempDir()
	sock := filepath.Join(h, "auto.sock")
	cmd := exec.Command(shellBin, "dev", dir, "--devtools=false", "--automation", sock, "--log-level", "debug", "--isolation", isolation)
	cmd.Env = env([]string{"HOME=" + h, "XDG_CONFIG_HOME=" + h + "/config", "XDG_DATA_HOME=" + h + "/data", "XDG_CACHE_HOME=" + h + "/cache"})
	var out syncBuffer
	cmd.Stderr, cmd.Stdout = &out, &out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		if b.Failed() {
			b.Logf("shell:\n%s", out.String())
			return
		}
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.Contains(line, "shell dev: reload") || strings.Contains(line, "shell dev: styles") {
				b.Log(line)
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := automation.DialWait(ctx, sock)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Navigate(ctx, "navigateTo", "/pages/stats/stats?from=bench", 0); err != nil {
		b.Fatal(err)
	}
	// until polls cond as fast as automation answers (WaitFor's 25 ms step would
	// blur the figure).
	until := func(cond func() bool) {
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				b.Fatal("the edit did not reach the page in 30 s")
			}
			time.Sleep(5 * time.Millisecond) // the poll's step: it must not starve the reload
		}
	}
	// internal is the simulator's own figure for the last change (dev.status).
	internal := func() float64 {
		var st struct {
			LastTookMS float64 `json:"lastTookMs"`
		}
		if err := c.Call(ctx, "dev.status", nil, &st); err != nil {
			b.Fatal(err)
		}
		return st.LastTookMS
	}
	wxss, _ := os.ReadFile(filepath.Join(stats, "stats.wxss"))
	js, _ := os.ReadFile(filepath.Join(stats, "stats.js"))

	b.Run("wxss", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			color := fmt.Sprintf("rgb(%d, 2, 3)", i%250)
			edit := append(append([]byte{}, wxss...), []byte("\n.percent { color: "+color+"; }\n")...)
			start := time.Now()
			if err := os.WriteFile(filepath.Join(stats, "stats.wxss"), edit, 0o644); err != nil {
				b.Fatal(err)
			}
			until(func() bool {
				st, err := c.Style(ctx, "#stat-percent", "", "color")
				return err == nil && st["color"] == color
			})
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms-last")
			b.ReportMetric(internal(), "ms-sim-last")
		}
	})
	b.Run("js", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			mark := fmt.Sprintf("js %d", i)
			edit := strings.Replace(string(js), "  onLoad(query) {\n", "  onLoad(query) {\n    this.setData({ mark: '"+mark+"' })\n", 1)
			start := time.Now()
			if err := os.WriteFile(filepath.Join(stats, "stats.js"), []byte(edit), 0o644); err != nil {
				b.Fatal(err)
			}
			until(func() bool {
				els, err := c.Query(ctx, "#dev-mark")
				return err == nil && len(els) == 1 && els[0].Text == mark
			})
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms-last")
			b.ReportMetric(internal(), "ms-sim-last")
			stack, err := c.Stack(ctx)
			if err != nil || len(stack) != 2 || stack[1].Query["from"] != "bench" {
				b.Fatalf("stack after the reload: %+v %v", stack, err)
			}
		}
	})
}
