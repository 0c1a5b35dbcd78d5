package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestSoak is the endurance run of scripts/soak.sh (docs/soak.md), skipped unless
// SANDFRAME_SOAK is a duration ("60s", "10m"): SANDFRAME_SOAK_APPS apps (50) installed
// and launched in one launcher shell, each looping over storage, wx.request to a
// loopback https server, setData and navigation; the driver hides and shows them in
// turn. It prints the shell's figures when all apps run, every minute, at the end of
// the loop and after every app has stopped.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("SANDFRAME_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("SANDFRAME_SOAK is not a duration: the soak runs from scripts/soak.sh")
	}
	n := 50
	if v, err := strconv.Atoi(os.Getenv("SANDFRAME_SOAK_APPS")); err == nil && v > 0 {
		n = v
	}
	needDisplay(t)
	var requests atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"n":%q,"pad":%q}`, r.URL.Query().Get("n"), strings.Repeat("y", 512))
	}))
	ca := loopbackTLS(t, srv)

	// Install n copies of the soak app, each with its own id, unsigned (--sideload).
	h := append(home(t), "SSL_CERT_FILE="+ca, "SANDFRAME_NETWORK_DEVMODE=true",
		"SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow",
		"SANDFRAME_LAUNCHER_KEEPHIDDEN=1h",
		// No pre-warmed window: the web processes before any app and after every app
		// stopped are compared, and the pool's spare comes and goes with launches.
		"SANDFRAME_LAUNCHER_PREWARM=0")
	work := t.TempDir()
	ids := make([]string, n)
	// The loop's own bound: the run plus time to launch everything; the driver stops
	// the apps first.
	loop := d + 15*time.Minute
	for i := range ids {
		ids[i] = fmt.Sprintf("test.soak.app%02d", i)
		dir := filepath.Join(work, ids[i])
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "e2e/testdata/soak"))); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, "app.json"))
		raw = []byte(strings.Replace(string(raw), "test.soak.app00", ids[i], 1))
		raw = []byte(strings.Replace(string(raw), `"Soak"`, fmt.Sprintf(`"Soak %02d"`, i), 1))
		os.WriteFile(filepath.Join(dir, "app.json"), raw, 0o644)
		cfg := fmt.Sprintf("module.exports = { url: 'https://%s/', period: 1000, ms: %d, maxTicks: %d };\n",
			srv.Listener.Addr(), loop.Milliseconds(), int(loop.Seconds()))
		os.WriteFile(filepath.Join(dir, "soak.js"), []byte(cfg), 0o644)
		sfa := filepath.Join(work, ids[i]+".sfa")
		if out, code := shellIn(t, h, "pack", dir, "-o", sfa); code != 0 {
			t.Fatalf("pack %s: %s", ids[i], out)
		}
		if out, code := shellIn(t, h, "install", sfa, "--sideload"); code != 0 {
			t.Fatalf("install %s: %s", ids[i], out)
		}
	}

	// launchCmd's fresh home comes first in the environment; h's (the last) wins.
	r := launchCmd(t, []string{"--log-level", "warn"}, h)
	r.home = h
	c := r.client
	// A hang limit only: launching 50 windows on a loaded 2-core machine took 23 min.
	ctx, cancel := context.WithTimeout(context.Background(), d+110*time.Minute)
	defer cancel()
	// A shell that dies ends the run at once, with its stderr (launchCmd's cleanup),
	// instead of every wait running into the hang limit.
	died := make(chan error, 1)
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		select {
		case err := <-r.done:
			r.done <- err
			died <- err
			cancel()
		case <-ctx.Done():
		}
	}()
	defer func() {
		select {
		case err := <-died:
			t.Errorf("the shell exited during the soak: %v", err)
		default:
		}
	}()
	pid := r.cmd.Process.Pid
	base := sample(t, ctx, c, pid, false)
	report("before any app", base)
	baseFDs := fdList(pid)
	profile(t, ctx, c, "before")

	// Rounds (SANDFRAME_SOAK_ROUNDS, default 1): the whole run again after every app
	// stopped, so that what stays after a stop can be told apart: a high-water mark stays
	// put from one round to the next, a leak grows.
	rounds := 1
	if v, err := strconv.Atoi(os.Getenv("SANDFRAME_SOAK_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	var firstAfter figures
	for round := 1; round <= rounds; round++ {
		in := func(what string) string {
			if rounds == 1 {
				return what
			}
			return fmt.Sprintf("%s, round %d", what, round)
		}
		start := time.Now()
		for _, id := range ids {
			if _, err := launcherOp(ctx, c, "app.launch", map[string]string{"id": id}); err != nil {
				t.Fatalf("launch %s: %v", id, err)
			}
			app, err := automation.DialWait(ctx, r.sock+"."+id)
			if err != nil {
				t.Fatalf("%s's automation: %v", id, err)
			}
			if err := automation.WaitFor(ctx, func() (bool, error) {
				p, err := app.CurrentPage(ctx)
				return p.Route != "", err
			}); err != nil {
				t.Fatalf("%s never showed a page: %v", id, err)
			}
			app.Close()
		}
		fmt.Printf("soak: %d apps launched in %s\n", n, time.Since(start).Round(time.Second))
		report(in("all apps running"), sample(t, ctx, c, pid, false))

		// The loop: every few seconds one app is hidden (its window closed, the app kept)
		// and the one hidden before is shown again.
		end := time.Now().Add(d)
		nextReport := time.Now().Add(time.Minute)
		hidden := ""
		k := 0
		for time.Now().Before(end) {
			id := ids[k%n]
			k++
			if hidden != "" {
				if _, err := launcherOp(ctx, c, "app.launch", map[string]string{"id": hidden}); err != nil {
					t.Errorf("show %s: %v", hidden, err)
				}
			}
			if app, err := automation.DialWait(ctx, r.sock+"."+id); err == nil {
				if err := app.Call(ctx, "test.closeWindow", nil, nil); err != nil {
					t.Errorf("hide %s: %v", id, err)
				}
				app.Close()
				hidden = id
			}
			select {
			case <-time.After(3 * time.Second): // the pace of hiding and showing, not a wait for a result
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			}
			if time.Now().After(nextReport) {
				report(in(fmt.Sprintf("minute %d", int(time.Since(end.Add(-d)).Minutes()+0.5))), sample(t, ctx, c, pid, false))
				nextReport = nextReport.Add(time.Minute)
			}
		}
		fmt.Printf("soak: %d requests served, %d hide/show cycles\n", requests.Load(), k)
		report(in("end of the loop"), sample(t, ctx, c, pid, false))

		// Stop every app, then wait (bounded) for their web processes and logic children to go.
		for _, id := range ids {
			if _, err := launcherOp(ctx, c, "app.close", map[string]string{"id": id}); err != nil {
				t.Errorf("close %s: %v", id, err)
			}
		}
		var after figures
		if err := automation.WaitFor(ctx, func() (bool, error) {
			after = sample(t, ctx, c, pid, true)
			return after.webkit <= base.webkit && after.logic == 0, nil
		}); err != nil {
			t.Errorf("processes left after every app stopped: %+v (before any app: %+v)", after, base)
		}
		report(in("after all apps stopped (GC run)"), after)
		profile(t, ctx, c, strings.ReplaceAll(in("after"), ", round ", "-round"))
		fmt.Printf("soak: descriptors opened since before any app and still open:\n%s", newLines(baseFDs, fdList(pid)))
		if after.goroutines > base.goroutines+20 {
			t.Errorf("goroutines after stop %d, before any app %d", after.goroutines, base.goroutines)
		}
		if after.fds > base.fds+20 {
			t.Errorf("descriptors after stop %d, before any app %d:\n%s", after.fds, base.fds, fdList(pid))
		}
		if round == 1 {
			firstAfter = after
		} else {
			fmt.Printf("soak: after stop, round %d against round 1: shell RSS %+.1f MiB, Go heap %+.1f MiB, goroutines %+d, fds %+d\n", round,
				float64(after.rss-firstAfter.rss)/1024, (float64(after.heap)-float64(firstAfter.heap))/(1<<20),
				after.goroutines-firstAfter.goroutines, after.fds-firstAfter.fds)
		}
	}
	cancel() // the watch ends: from here on the shell's exit is the stop's
	<-watching
	r.stop(t)
}

// figures are one sample of the shell.
type figures struct {
	rss, treeRSS          int64 // KiB: the shell; the shell and every process under it
	heap                  uint64
	goroutines, fds       int
	webkit, logic         int
	listMicros, listRound int64
}

func report(when string, f figures) {
	fmt.Printf("soak: %-34s rss %6.1f MiB  tree rss %7.1f MiB  go heap %6.1f MiB  goroutines %5d  fds %5d  webkit %3d  logic children %3d  apps.list %5.1f ms (round trip %5.1f ms)\n",
		when, float64(f.rss)/1024, float64(f.treeRSS)/1024, float64(f.heap)/(1<<20), f.goroutines, f.fds, f.webkit, f.logic,
		float64(f.listMicros)/1000, float64(f.listRound)/1000)
}

func launcherOp(ctx context.Context, c *automation.Client, op string, args any) (json.RawMessage, error) {
	a, _ := json.Marshal(args)
	var out struct {
		Result json.RawMessage `json:"result"`
		Micros int64           `json:"micros"`
	}
	if err := c.Call(ctx, "test.launcherOp", map[string]any{"op": op, "args": json.RawMessage(a)}, &out); err != nil {
		return nil, err
	}
	return out.Result, nil
}

func sample(t *testing.T, ctx context.Context, c *automation.Client, pid int, gc bool) figures {
	t.Helper()
	var f figures
	var rt struct {
		Goroutines  int    `json:"goroutines"`
		HeapObjects uint64 `json:"heapObjects"`
	}
	if err := c.Call(ctx, "test.runtime", map[string]bool{"gc": gc}, &rt); err != nil {
		t.Fatalf("test.runtime: %v", err)
	}
	f.goroutines, f.heap = rt.Goroutines, rt.HeapObjects
	begin := time.Now()
	var lo struct {
		Micros int64 `json:"micros"`
	}
	if err := c.Call(ctx, "test.launcherOp", map[string]any{"op": "apps.list"}, &lo); err != nil {
		t.Fatalf("apps.list: %v", err)
	}
	f.listMicros, f.listRound = lo.Micros, time.Since(begin).Microseconds()
	f.rss = statusKiB(pid, "VmRSS")
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	f.fds = len(fds)
	f.treeRSS = f.rss
	for _, p := range descendants(pid) {
		f.treeRSS += statusKiB(p, "VmRSS")
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p))
		switch {
		case strings.HasPrefix(string(comm), "WebKit"):
			f.webkit++
		case strings.Contains(string(cmdline), "__logic-child"):
			f.logic++
		}
	}
	return f
}

// fdList describes the process's open descriptors, for a failure message.
func fdList(pid int) string {
	ents, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	var b strings.Builder
	for _, e := range ents {
		target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name()))
		fmt.Fprintf(&b, "%s → %s\n", e.Name(), target)
	}
	return b.String()
}

// profile writes the shell's heap profile and goroutine dump into artifacts/ as
// soak-heap-WHEN.pprof and soak-goroutines-WHEN.txt: compare them with
// `go tool pprof -base artifacts/soak-heap-before.pprof artifacts/soak-heap-after.pprof`.
func profile(t *testing.T, ctx context.Context, c *automation.Client, when string) {
	dir := filepath.Join(repoRoot, "artifacts")
	os.MkdirAll(dir, 0o755)
	for _, p := range []struct {
		kind, file string
		debug      int
	}{{"heap", "soak-heap-" + when + ".pprof", 0}, {"goroutine", "soak-goroutines-" + when + ".txt", 1}} {
		if err := c.Call(ctx, "test.profile", map[string]any{"kind": p.kind, "path": filepath.Join(dir, p.file), "debug": p.debug}, nil); err != nil {
			t.Errorf("%s profile %s: %v", p.kind, when, err)
		}
	}
}

// newLines returns the lines of after that are not in before.
func newLines(before, after string) string {
	seen := map[string]bool{}
	for _, l := range strings.Split(before, "\n") {
		seen[l] = true
	}
	var b strings.Builder
	for _, l := range strings.Split(after, "\n") {
		if l != "" && !seen[l] {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// statusKiB reads a "Name: N kB" line of /proc/PID/status.
func statusKiB(pid int, name string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			fs := strings.Fields(v)
			if len(fs) > 0 {
				n, _ := strconv.ParseInt(fs[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// descendants lists every process under pid.
func descendants(pid int) []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		s := string(raw)
		fs := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fs) > 1 {
			parent[p], _ = strconv.Atoi(fs[1])
		}
	}
	var out []int
	var walk func(int)
	walk = func(pp int) {
		for c, par := range parent {
			if par == pp {
				out = append(out, c)
				walk(c)
			}
		}
	}
	walk(pid)
	return out
}
