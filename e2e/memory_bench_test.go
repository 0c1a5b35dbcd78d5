package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// BenchmarkManyApps (docs/performance.md, "Memory"): SANDFRAME_BENCH_APPS (50) copies
// of the todo example, each its own id, installed and launched in one launcher shell
// under Xvfb, left idle. It prints the proportional set size of the shell and every
// process under it (the shell, WebKit's web and network processes, the logic
// children), per process kind, before any app and with every app open, and the
// launcher's apps.list latency (its service time and the automation round trip,
// median of 20) at both points. Run it alone, with -benchtime 1x: scripts/bench.sh
// --memory.
func BenchmarkManyApps(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY: run under xvfb-run")
	}
	n := 50
	if v, err := strconv.Atoi(os.Getenv("SANDFRAME_BENCH_APPS")); err == nil && v > 0 {
		n = v
	}
	h := append(homeTB(b), "SANDFRAME_LAUNCHER_KEEPHIDDEN=1h", "SANDFRAME_PERMISSIONS_PROMPT=policy")
	work := b.TempDir()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("dev.bench.todo%02d", i)
		dir := filepath.Join(work, ids[i])
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "examples/todo"))); err != nil {
			b.Fatal(err)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, "app.json"))
		raw = []byte(strings.Replace(string(raw), `"`+todoID+`"`, `"`+ids[i]+`"`, 1))
		os.WriteFile(filepath.Join(dir, "app.json"), raw, 0o644)
		sfa := filepath.Join(work, ids[i]+".sfa")
		for _, args := range [][]string{{"pack", dir, "-o", sfa}, {"install", sfa, "--sideload"}} {
			cmd := shellCmd(h, args...)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s %s: %v\n%s", args[0], ids[i], err, out)
			}
		}
	}
	for b.Loop() {
		cmd, sock, out := startShell(b, h, "--log-level", "warn")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Hour) // a hang limit only
		c, err := automation.DialWait(ctx, sock)
		if err != nil {
			b.Fatalf("connect: %v\n%s", err, out.String())
		}
		pid := cmd.Process.Pid
		printMemory(b, "before any app", pid, ctx, c)
		before := treePSS(pid)
		start := time.Now()
		for _, id := range ids {
			if _, err := launcherOp(ctx, c, "app.launch", map[string]string{"id": id}); err != nil {
				b.Fatalf("launch %s: %v\n%s", id, err, out.String())
			}
			app, err := automation.DialWait(ctx, sock+"."+id)
			if err != nil {
				b.Fatalf("%s's automation: %v", id, err)
			}
			firstPaint(b, ctx, app, out)
			app.Close()
		}
		b.Logf("%d apps launched in %s", n, time.Since(start).Round(time.Second))
		time.Sleep(5 * time.Second) // idle: let the apps and WebKit settle (a pacing wait, not a condition)
		printMemory(b, fmt.Sprintf("%d apps open, idle", n), pid, ctx, c)
		after := treePSS(pid)
		var total, beforeTotal int64
		for k, v := range after {
			total += v
			beforeTotal += before[k]
		}
		b.ReportMetric(float64(total)/1024, "total-PSS-MiB")
		b.ReportMetric(float64(total-beforeTotal)/1024/float64(n), "PSS-MiB/app")
		b.ReportMetric(float64(after["web"]-before["web"])/1024/float64(n), "web-PSS-MiB/app")
		b.ReportMetric(float64(after["logic"]-before["logic"])/1024/float64(n), "logic-PSS-MiB/app")
		b.ReportMetric(float64(after["shell"]-before["shell"])/1024/float64(n), "shell-PSS-MiB/app")
		med, _ := appsListLatency(b, ctx, c)
		b.ReportMetric(med, "apps.list-ms")
		cancel()
		c.Close()
		stopShell(cmd)
	}
}

func shellCmd(h []string, args ...string) *exec.Cmd {
	cmd := exec.Command(shellBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(env(h), "DISPLAY=")
	return cmd
}

// treePSS is the PSS (KiB) of pid and every process under it, by kind: "shell", "web"
// (WebKit's processes), "logic" (logic children), "other".
func treePSS(pid int) map[string]int64 {
	out := map[string]int64{"shell": pssKiB(pid)}
	for _, p := range descendants(pid) {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p))
		kind := "other"
		switch {
		case strings.HasPrefix(string(comm), "WebKit"):
			kind = "web"
		case strings.Contains(string(cmdline), "__logic-child"):
			kind = "logic"
		}
		out[kind] += pssKiB(p)
	}
	return out
}

// pssKiB is a process's proportional set size (libraries shared between processes
// count once, split between them).
func pssKiB(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "Pss:"); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	return 0
}

// appsListLatency is the median of 20 apps.list calls: the service's own time and the
// automation round trip, in ms.
func appsListLatency(b *testing.B, ctx context.Context, c *automation.Client) (service, roundTrip float64) {
	var svc, rt []float64
	for range 20 {
		begin := time.Now()
		var lo struct {
			Micros int64 `json:"micros"`
		}
		if err := c.Call(ctx, "test.launcherOp", map[string]any{"op": "apps.list"}, &lo); err != nil {
			b.Fatalf("apps.list: %v", err)
		}
		rt = append(rt, float64(time.Since(begin).Microseconds())/1000)
		svc = append(svc, float64(lo.Micros)/1000)
	}
	sort.Float64s(svc)
	sort.Float64s(rt)
	return svc[10], rt[10]
}

func printMemory(b *testing.B, when string, pid int, ctx context.Context, c *automation.Client) {
	m := treePSS(pid)
	var total int64
	for _, v := range m {
		total += v
	}
	svc, rt := appsListLatency(b, ctx, c)
	b.Logf("%-22s PSS total %7.1f MiB (shell %6.1f, WebKit %7.1f, logic %6.1f, other %5.1f)  apps.list %5.1f ms (round trip %5.1f ms)",
		when, float64(total)/1024, float64(m["shell"])/1024, float64(m["web"])/1024, float64(m["logic"])/1024, float64(m["other"])/1024, svc, rt)
}
