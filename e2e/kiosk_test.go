package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// rootSize is the X screen's size.
func rootSize(t *testing.T) (int, int) {
	t.Helper()
	out, err := exec.Command("xwininfo", "-root").Output()
	if err != nil {
		t.Fatalf("xwininfo: %v", err)
	}
	w := regexp.MustCompile(`Width: (\d+)`).FindSubmatch(out)
	h := regexp.MustCompile(`Height: (\d+)`).FindSubmatch(out)
	if w == nil || h == nil {
		t.Fatalf("xwininfo said:\n%s", out)
	}
	wi, _ := strconv.Atoi(string(w[1]))
	hi, _ := strconv.Atoi(string(h[1]))
	return wi, hi
}

type kioskState struct {
	State    string
	Restarts int
	Wipes    int
}

func (r *running) kioskStatus(t *testing.T) kioskState {
	t.Helper()
	var st kioskState
	raw, err := os.ReadFile(filepath.Join(r.dataDir(), "kiosk-status.json"))
	if err == nil {
		json.Unmarshal(raw, &st)
	}
	return st
}

// reconnect dials the automation socket of the kiosk's new session.
func (r *running) reconnect(t *testing.T) {
	t.Helper()
	if r.client != nil {
		r.client.Close()
	}
	c, err := automation.DialWait(ctxT(t), r.sock)
	if err != nil {
		t.Fatalf("reconnect: %v\n%s", err, r.stderr.String())
	}
	r.client = c
}

// waitKiosk waits until the status file says what ok wants.
func (r *running) waitKiosk(t *testing.T, ok func(kioskState) bool) kioskState {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if st := r.kioskStatus(t); ok(st) {
			return st
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("kiosk status stuck at %+v\n%s", r.kioskStatus(t), r.stderr.String())
	return kioskState{}
}

// TestKiosk: fullscreen over the whole screen, keys that would leave do nothing, a
// killed app comes back, idle wipes and restarts it, and only the PIN lets the operator out.
func TestKiosk(t *testing.T) {
	r := launchCmd(t, []string{"kiosk", "examples/todo"}, []string{
		"SANDFRAME_KIOSK_PIN=2468", "SANDFRAME_KIOSK_IDLEWIPE=6s", "SANDFRAME_ISOLATION_UNVERIFIED=process",
	})
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	// The window covers the screen.
	sw, sh := rootSize(t)
	if err := automation.WaitFor(ctx, func() (bool, error) {
		g, err := c.Geometry(ctx)
		return g.X == 0 && g.Y == 0 && g.Width == sw && g.Height == sh, err
	}); err != nil {
		g, _ := c.Geometry(ctx)
		t.Fatalf("window %+v, screen %dx%d: %v", g, sw, sh, err)
	}
	if err := c.Screenshot(ctx, artifact(t, "kiosk.png")); err != nil {
		t.Fatal(err)
	}

	// Alt+F4, Ctrl+W, Ctrl+Q and Escape leave it running.
	for _, k := range []string{"alt+F4", "ctrl+w", "ctrl+q", "Escape"} {
		typeKeys(t, k)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := c.CurrentPage(ctx); err != nil {
		t.Fatalf("the kiosk went away after the keys: %v", err)
	}

	// Killed: back within seconds.
	r.add(t, ctx, "Before the crash")
	r.waitItems(t, ctx, "Before the crash")
	// The kiosk keeps no spare logic child (launcher.prewarm is the launcher's): the
	// app's is its only one.
	if kids := logicChildren(t, r.cmd.Process.Pid); len(kids) != 1 {
		t.Errorf("the kiosk's logic children: %v, want only its app's", kids)
	}
	if out, err := exec.Command("pkill", "-KILL", "-P", strconv.Itoa(r.cmd.Process.Pid), "-f", "__logic-child").CombinedOutput(); err != nil {
		t.Fatalf("pkill: %v %s", err, out)
	}
	killed := time.Now()
	r.waitKiosk(t, func(st kioskState) bool { return st.Restarts == 1 && st.State == "running" })
	if d := time.Since(killed); d > 5*time.Second {
		t.Fatalf("restarted after %s", d)
	}
	r.reconnect(t)
	ctx = ctxT(t)
	r.waitItems(t, ctx, "Before the crash") // its storage survived the crash

	// Idle: wiped and started fresh for the next person.
	st := r.waitKiosk(t, func(st kioskState) bool { return st.Wipes == 1 && st.State == "running" })
	if st.Restarts != 1 {
		t.Fatalf("an idle wipe counted as a failure: %+v", st)
	}
	r.reconnect(t)
	ctx = ctxT(t)
	if err := r.client.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	if els, _ := r.client.Query(ctx, "todo-item"); len(els) != 0 {
		t.Fatalf("after the idle wipe the app shows %d todos", len(els))
	}

	// The operator's chord and PIN: a wrong PIN keeps it, the right one ends it.
	press := func() {
		r.client.Tap(ctx, "#filter-all") // someone is there: not idle
		typeKeys(t, "ctrl+alt+shift+q")
		if err := waitDialogs(ctx, r.client, 1); err != nil {
			t.Fatalf("no PIN dialog: %v", err)
		}
	}
	press()
	r.client.Call(ctx, "test.answerPIN", map[string]string{"pin": "0000"}, nil)
	time.Sleep(300 * time.Millisecond)
	if _, err := r.client.CurrentPage(ctx); err != nil {
		t.Fatalf("a wrong PIN let the operator out: %v", err)
	}
	press()
	r.client.Call(ctx, "test.answerPIN", map[string]string{"pin": "2468"}, nil)
	select {
	case err := <-r.done:
		r.done <- err
		if err != nil {
			t.Fatalf("kiosk exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the right PIN did not end the kiosk")
	}
	if st := r.kioskStatus(t); st.State != "stopped" {
		t.Fatalf("status after exit: %+v", st)
	}
	// Logs went to stdout as JSON lines.
	if !strings.Contains(r.stderr.String(), `"msg":"kiosk: restarting"`) {
		t.Fatalf("no JSON restart line in the output:\n%s", r.stderr.String())
	}
}

// typeKeys focuses the kiosk window and types keys through XTEST, as a keyboard would.
func typeKeys(t *testing.T, keys string) {
	t.Helper()
	ids, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Todo").Output()
	if err != nil || len(strings.Fields(string(ids))) == 0 {
		t.Fatalf("no kiosk window found: %v", err)
	}
	win := strings.Fields(string(ids))[0]
	if out, err := exec.Command("xdotool", "windowfocus", "--sync", win, "key", keys).CombinedOutput(); err != nil {
		t.Fatalf("xdotool key %s: %v %s", keys, err, out)
	}
}
