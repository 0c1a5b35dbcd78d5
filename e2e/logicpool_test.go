package e2e

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

var (
	spareWarmLine  = regexp.MustCompile(`msg="isolate: spare child warm".* pid=(\d+)`)
	fromPoolLine   = regexp.MustCompile(`msg="isolate: logic child from the pool".* pid=(\d+)`)
	procStatusLine = regexp.MustCompile(`(?m)^(NoNewPrivs|Seccomp):\s*(\d+)`)
)

// pids lists the pid of every log line re matches, in order.
func pids(out string, re *regexp.Regexp) []string {
	var ids []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestLauncherSpareLogicChild: with launcher.prewarm 1 the launcher keeps a spare logic
// child; a launch from the launcher hands it the app (its pid is the app's logic), the
// kernel shows it confined once it has its app, and a new spare (another process) serves
// the next launch: a child is never handed a second app.
func TestLauncherSpareLogicChild(t *testing.T) {
	r, ctx, tile := launcherWithPool(t)
	c := r.client

	var used []string
	for launch := 1; launch <= 2; launch++ {
		// Wait for a spare that has not served an app.
		var spare string
		if err := automation.WaitFor(ctx, func() (bool, error) {
			warm := pids(r.stderr.String(), spareWarmLine)
			if len(warm) < launch {
				return false, nil
			}
			spare = warm[launch-1]
			return true, nil
		}); err != nil {
			t.Fatalf("launch %d: no spare logic child: %v", launch, err)
		}
		if err := c.Tap(ctx, tile); err != nil {
			t.Fatal(err)
		}
		app, err := automation.DialWait(ctx, r.sock+"."+todoID)
		if err != nil {
			t.Fatalf("the app's automation: %v", err)
		}
		if err := app.WaitText(ctx, "#count", "0 items left"); err != nil {
			t.Fatalf("launch %d: the app did not render: %v", launch, err)
		}
		got := pids(r.stderr.String(), fromPoolLine)
		if len(got) != launch || got[launch-1] != spare {
			t.Fatalf("launch %d: logic children from the pool %v, want the spare %s last", launch, got, spare)
		}
		for _, pid := range used {
			if pid == spare {
				t.Fatalf("launch %d: pid %s served an app before", launch, pid)
			}
		}
		used = append(used, spare)
		// Confined now that it has its app.
		status, err := os.ReadFile("/proc/" + spare + "/status")
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, m := range procStatusLine.FindAllStringSubmatch(string(status), -1) {
			fields[m[1]] = m[2]
		}
		if fields["NoNewPrivs"] != "1" {
			t.Errorf("launch %d: the app's logic child has NoNewPrivs %q", launch, fields["NoNewPrivs"])
		}
		if hasSeccomp() && fields["Seccomp"] != "2" {
			t.Errorf("launch %d: the app's logic child has Seccomp %q, want 2 (filter)", launch, fields["Seccomp"])
		}
		app.Close()
		// The launcher lists the app once its refresh after the launch has come back.
		if err := c.WaitElement(ctx, `#running [data-action="close"]`); err != nil {
			t.Fatal(err)
		}
		if err := c.Tap(ctx, `#running [data-action="close"]`); err != nil {
			t.Fatal(err)
		}
		if err := automation.WaitFor(ctx, func() (bool, error) {
			_, err := os.Stat("/proc/" + spare)
			return os.IsNotExist(err), nil
		}); err != nil {
			t.Fatalf("launch %d: the app's logic child outlived the app: %v", launch, err)
		}
	}
}

// launcherWithPool opens the launcher with its pre-warmed window and spare child, debug
// logs on, and waits for the todo tile; the context ends with the test.
func launcherWithPool(t *testing.T) (r *running, ctx context.Context, tile string) {
	t.Helper()
	r = launchCmd(t, []string{"--log-level", "debug"}, []string{"SANDFRAME_LAUNCHER_PREWARM=1", "SANDFRAME_LAUNCHER_KEEPHIDDEN=0s"})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	tile = `.tile[data-id="` + todoID + `"]`
	waitContains(t, ctx, r.client, tile, "Todo")
	return r, ctx, tile
}

// hasSeccomp reports whether this kernel filters (the shell's own status says whether
// seccomp is built in: "Seccomp:" is present).
func hasSeccomp() bool {
	b, err := os.ReadFile("/proc/self/status")
	return err == nil && strings.Contains(string(b), "Seccomp:")
}

// logicChildren lists the shell's child processes that serve logic.
func logicChildren(t *testing.T, shellPID int) []string {
	t.Helper()
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(shellPID), "-f", "__logic-child").Output()
	if err != nil && len(out) == 0 {
		return nil // pgrep exits 1 when nothing matches
	}
	return strings.Fields(string(out))
}

// TestLauncherWarmedWindow: the launcher's pre-warmed window runs the render runtime
// over the shell's own stub page before an app takes it (host/warm.go); the app then
// sees nothing of the stub: none of its elements, its own first paint (after its own
// render), its own page stack, and it works.
func TestLauncherWarmedWindow(t *testing.T) {
	r, ctx, tile := launcherWithPool(t)
	c := r.client
	if err := automation.WaitFor(ctx, func() (bool, error) {
		return strings.Contains(r.stderr.String(), "the pre-warmed window is warm"), nil
	}); err != nil {
		t.Fatalf("the pre-warmed window never warmed: %v", err)
	}
	clicked := time.Now()
	if err := c.Tap(ctx, tile); err != nil {
		t.Fatal(err)
	}
	app, err := automation.DialWait(ctx, r.sock+"."+todoID)
	if err != nil {
		t.Fatalf("the app's automation: %v", err)
	}
	defer app.Close()
	if err := app.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	p := firstPaint(t, ctx, app, r.stderr)
	if !p.Warmed {
		t.Fatalf("the app's page was not the warmed one: %+v", p)
	}
	if p.Rendered < float64(clicked.UnixMilli()) {
		t.Fatalf("the first paint was noted before the app's click (%+v, clicked %d): the stub's", p, clicked.UnixMilli())
	}
	if els, err := app.Query(ctx, `[class*="sf-warm"]`); err != nil || len(els) != 0 {
		t.Fatalf("the stub's elements in the app's page: %d (%v)", len(els), err)
	}
	var v stackViews
	if err := app.Call(ctx, "test.stacks", nil, &v); err != nil {
		t.Fatal(err)
	}
	if v.Disagreement != "" || len(v.Page.Mounted) != 1 || v.Page.Shown != v.Page.Mounted[0] {
		t.Fatalf("the page's stack after a warm-up: %+v", v)
	}
	if err := app.Input(ctx, "#new-todo", "buy milk"); err != nil {
		t.Fatal(err)
	}
	if err := app.Press(ctx, "#new-todo", "Enter"); err != nil {
		t.Fatal(err)
	}
	if err := app.WaitText(ctx, "#count", "1 item left"); err != nil {
		t.Fatal(err)
	}
}
