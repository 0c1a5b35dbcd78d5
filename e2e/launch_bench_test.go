package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// Launch benchmarks (docs/performance.md, "Launch, cache and memory"): from the moment
// a launch is asked for to the first paint the page itself records (the first
// animation frame after the first render that showed a page; assets/runtime/paint.js),
// read back through automation's document.paint. The shell's process and the page
// share the machine's wall clock.

// startShell starts the shell with args plus --automation SOCK in home h, without
// waiting for anything; the caller dials.
func startShell(tb testing.TB, h []string, args ...string) (*exec.Cmd, string, *syncBuffer) {
	tb.Helper()
	sock := filepath.Join(tb.TempDir(), "auto.sock")
	cmd := exec.Command(shellBin, append(args, "--automation", sock)...)
	cmd.Dir = repoRoot
	cmd.Env = env(h)
	out := &syncBuffer{}
	cmd.Stderr, cmd.Stdout = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return cmd, sock, out
}

func stopShell(cmd *exec.Cmd) {
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// firstPaint waits for the page behind c to have painted and returns when, in Unix
// milliseconds.
func firstPaint(tb testing.TB, ctx context.Context, c *automation.Client, out *syncBuffer) *automation.Paint {
	tb.Helper()
	var p *automation.Paint
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		p, err = c.FirstPaint(ctx)
		return p != nil, err
	}); err != nil {
		tb.Fatalf("no first paint: %v\n%s", err, out.String())
	}
	return p
}

func ms(t time.Time) float64 { return float64(t.UnixNano()) / 1e6 }

// median sorts xs and returns its middle value.
func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

// rawWebView builds the raw baseline (e2e/rawwebview: webview_go alone) and returns what
// starts it and gives the milliseconds from its exec to its page's first frame.
func rawWebView(b *testing.B) func(*testing.B) float64 {
	bin := filepath.Join(b.TempDir(), "rawwebview")
	build := exec.Command("go", "build", "-o", bin, "./e2e/rawwebview")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build the raw baseline: %v\n%s", err, out)
	}
	return func(b *testing.B) float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin)
		cmd.Env = env(homeTB(b)) // a fresh home, as the shell's cold launch gets
		start := time.Now()
		out, err := cmd.Output()
		var painted float64
		if _, scanErr := fmt.Sscanf(string(out), "painted %f", &painted); err != nil || scanErr != nil {
			b.Fatalf("raw baseline: %v %v\n%s", err, scanErr, out)
		}
		return painted - ms(start)
	}
}

// reportLaunches prints the median and the spread of the launches and reports the median.
func reportLaunches(b *testing.B, name string, launches []float64) {
	if len(launches) == 0 {
		return
	}
	med := median(launches)
	b.ReportMetric(med, name+"-ms")
	b.Logf("%s: median %.0f ms, min %.0f, max %.0f over %d launches", name, med, launches[0], launches[len(launches)-1], len(launches))
}

// BenchmarkLaunchShellRun: `shell run dev.sandframe.todo` (the bundled, installed app)
// from the exec to the first paint. cold: a fresh home (nothing cached on disk) each
// time; warmDisk: the same home again (the disk code cache filled by the run before).
// Either way a new process: a new web process, the runtime loaded into a new view.
// cold alternates each launch with the raw baseline (e2e/rawwebview: webview_go alone,
// exec to its page's first frame, in a fresh home too) and reports both medians and
// their ratio.
func BenchmarkLaunchShellRun(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY: run under xvfb-run")
	}
	var docs []float64 // exec → the document's time origin: what comes before WebKit loads the page
	run := func(b *testing.B, h []string) float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		start := time.Now()
		cmd, sock, out := startShell(b, h, "run", todoID, "--log-level", "debug")
		defer stopShell(cmd)
		c, err := automation.DialWait(ctx, sock)
		if err != nil {
			b.Fatalf("connect: %v\n%s", err, out.String())
		}
		defer c.Close()
		p := firstPaint(b, ctx, c, out)
		docs = append(docs, p.Loaded-ms(start))
		benchLog(b, fmt.Sprintf("exec %s, document +%.0f, rendered +%.0f, painted +%.0f ms\n%s", start.UTC().Format("15:04:05.000"), p.Loaded-ms(start), p.Rendered-ms(start), p.Painted-ms(start), out.String()))
		return p.Painted - ms(start)
	}
	b.Run("cold", func(b *testing.B) {
		raw := rawWebView(b)
		var launches, raws []float64
		for b.Loop() {
			b.StopTimer()
			h := installedHome(b)
			raws = append(raws, raw(b)) // the baseline, alternating with the shell
			b.StartTimer()
			launches = append(launches, run(b, h))
		}
		reportLaunches(b, "cold", launches)
		reportLaunches(b, "cold-document", docs)
		reportLaunches(b, "raw", raws)
		b.ReportMetric(median(launches)/median(raws), "ratio-to-raw")
		docs = nil
	})
	b.Run("warmDisk", func(b *testing.B) {
		h := installedHome(b)
		run(b, h) // fills the disk cache
		docs = nil
		var launches []float64
		for b.Loop() {
			launches = append(launches, run(b, h))
		}
		reportLaunches(b, "warmDisk", launches)
		reportLaunches(b, "warmDisk-document", docs)
	})
}

// BenchmarkLaunchFromLauncher: a click on the todo tile in the launcher to the app's
// first paint, with launcher.prewarm 0 (a window made on the click) and 1 (the
// pre-warmed window). The app is closed between launches (launcher.keepHidden 0 and
// the Running list's Close), so each launch starts its logic afresh; the code is in
// the memory cache after the first. SANDFRAME_BENCH_ISOLATION=goroutine runs the logic
// in the shell instead of a child, to see what the child costs. With prewarm 1 each
// launch waits for the spare logic child too; pooledLogic counts the launches that took
// it (docs/isolate.md, "Spare children").
func BenchmarkLaunchFromLauncher(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY: run under xvfb-run")
	}
	for _, prewarm := range []string{"0", "1"} {
		name := map[string]string{"0": "onDemand", "1": "pool"}[prewarm]
		b.Run(name, func(b *testing.B) {
			h := append(homeTB(b), "SANDFRAME_LAUNCHER_PREWARM="+prewarm, "SANDFRAME_LAUNCHER_KEEPHIDDEN=0s")
			spares := true
			if m := os.Getenv("SANDFRAME_BENCH_ISOLATION"); m != "" {
				h = append(h, "SANDFRAME_ISOLATION_MODE="+m) // goroutine: what the logic child costs
				spares = m == "process"
			}
			cmd, sock, out := startShell(b, h, "--log-level", "debug")
			defer stopShell(cmd)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			c, err := automation.DialWait(ctx, sock)
			if err != nil {
				b.Fatalf("connect: %v\n%s", err, out.String())
			}
			defer c.Close()
			tile := `.tile[data-id="` + todoID + `"]`
			if err := automation.WaitFor(ctx, func() (bool, error) {
				els, err := c.Query(ctx, tile)
				return len(els) == 1, err
			}); err != nil {
				b.Fatal(err)
			}
			var launches, rendered []float64 // click → first paint; click → the first render applied
			for b.Loop() {
				b.StopTimer()
				if prewarm == "1" {
					// Pacing, not correctness: the pool refills RefillDelay after a launch.
					time.Sleep(2500 * time.Millisecond)
					// And the spare logic child is warm (not with logic in process, nor
					// for a shell from before spares: SANDFRAME_BENCH_NO_SPARE).
					if spares && os.Getenv("SANDFRAME_BENCH_NO_SPARE") == "" {
						if err := automation.WaitFor(ctx, func() (bool, error) {
							return strings.Count(out.String(), "isolate: spare child warm") > len(launches), nil
						}); err != nil {
							b.Fatalf("no spare logic child: %v", err)
						}
					}
				}
				b.StartTimer()
				var cpu0 map[string]int64
				traceCPU := os.Getenv("SANDFRAME_BENCH_CPU") != ""
				if traceCPU {
					cpu0 = cpuTimes() // a scan of /proc: only when asked for
				}
				start := time.Now()
				if err := c.Tap(ctx, tile); err != nil {
					b.Fatal(err)
				}
				app, err := automation.DialWait(ctx, sock+"."+todoID)
				if err != nil {
					b.Fatalf("the app's automation: %v\n%s", err, out.String())
				}
				p := firstPaint(b, ctx, app, out)
				if traceCPU {
					fmt.Fprintf(os.Stderr, "CPU %s\n", cpuDelta(cpu0, cpuTimes()))
				}
				if os.Getenv("SANDFRAME_BENCH_LOG") != "" {
					b.Logf("click %s, rendered %s, painted %s", start.UTC().Format("15:04:05.000"),
						time.UnixMilli(int64(p.Rendered)).UTC().Format("15:04:05.000"), time.UnixMilli(int64(p.Painted)).UTC().Format("15:04:05.000"))
				}
				launches = append(launches, p.Painted-ms(start))
				rendered = append(rendered, p.Rendered-ms(start))
				app.Close()
				b.StopTimer()
				// The launcher lists the app once its refresh after the launch has come back.
				if err := c.WaitElement(ctx, `#running [data-action="close"]`); err != nil {
					b.Fatal(err)
				}
				if err := c.Tap(ctx, `#running [data-action="close"]`); err != nil {
					b.Fatal(err)
				}
				if err := automation.WaitFor(ctx, func() (bool, error) {
					els, err := c.Query(ctx, `#running [data-action="close"]`)
					return len(els) == 0, err
				}); err != nil {
					b.Fatal(err)
				}
				// The app's socket goes with its session.
				if err := automation.WaitFor(ctx, func() (bool, error) {
					_, err := os.Stat(sock + "." + todoID)
					return os.IsNotExist(err), nil
				}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			reportLaunches(b, name, launches)
			reportLaunches(b, name+"-rendered", rendered)
			benchLog(b, out.String())
			b.ReportMetric(float64(strings.Count(out.String(), "window from the pre-warmed pool")), "pooled")
			b.ReportMetric(float64(strings.Count(out.String(), "isolate: logic child from the pool")), "pooledLogic")
		})
	}
}

// benchLog keeps the shell's log of a benchmark: SANDFRAME_BENCH_LOG=1 logs it (the
// benchmark framework cuts long output), =PATH writes it whole to the file PATH (the
// last launch's, when there are several).
func benchLog(b *testing.B, log string) {
	switch v := os.Getenv("SANDFRAME_BENCH_LOG"); v {
	case "":
	case "1":
		b.Log(log)
	default:
		if err := os.WriteFile(v, []byte(log), 0o644); err != nil {
			b.Error(err)
		}
	}
}

// homeTB is home for benchmarks; SANDFRAME_BENCH_ACCELERATION sets the shell's
// window.acceleration (auto, on, off) to compare them.
func homeTB(tb testing.TB) []string {
	h := tb.TempDir()
	home := []string{
		"HOME=" + h,
		"XDG_CONFIG_HOME=" + filepath.Join(h, "config"),
		"XDG_DATA_HOME=" + filepath.Join(h, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(h, "cache"),
	}
	if m := os.Getenv("SANDFRAME_BENCH_ACCELERATION"); m != "" {
		home = append(home, "SANDFRAME_WINDOW_ACCELERATION="+m)
	}
	return home
}

// installedHome is a fresh home with the bundled apps installed (`shell` without a
// display installs them and lists them) and nothing cached.
func installedHome(tb testing.TB) []string {
	tb.Helper()
	h := homeTB(tb)
	cmd := exec.Command(shellBin)
	cmd.Dir = repoRoot
	cmd.Env = append(env(h), "DISPLAY=")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), todoID) {
		tb.Fatalf("installing the bundled apps: %v\n%s", err, out)
	}
	for _, kv := range h {
		if v, ok := strings.CutPrefix(kv, "XDG_CACHE_HOME="); ok {
			os.RemoveAll(v)
		}
	}
	return h
}
