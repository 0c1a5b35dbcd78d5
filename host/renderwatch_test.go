package host

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/render"
)

// A hostile app that tries to balloon the web process of its window (issue 16 item 5):
// the review's 400 far-away paths are refused by setData, and when it fills its page
// another way the monitor sees the web process grow, kills it and stops the app; the
// shell, its UI loop and another app's window go on.
func TestBalloonedPageIsStopped(t *testing.T) {
	needLoop(t)
	// The budget sits above what a fresh window's web process holds (≈150-400 MiB),
	// below what the balloon reaches. The heap and CPU budgets are out of its way.
	w := newWorld(t, monitor.Budgets{RenderBytes: 768 << 20, HeapBytes: 4 << 30, TaskCPU: time.Minute})

	gs, err := w.start(good)
	if err != nil {
		t.Fatal(err)
	}
	if err := gs.Open(func() {}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gs.Close(); <-gs.Done() })
	waitData(t, gs, func(d map[string]any) bool { return d["info"] == "linux" })

	s, err := w.start("testdata/balloon")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(func() {}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); <-s.Done() })
	pid := s.win.WebProcess()
	if pid == 0 || pid == gs.win.WebProcess() || w.monitor.App(s.ID()).RenderProcess() != pid {
		t.Fatalf("web process %d (the good app's %d, watched %d): each window must have its own, watched",
			pid, gs.win.WebProcess(), w.monitor.App(s.ID()).RenderProcess())
	}
	if !isWebProcess(pid) {
		t.Fatalf("pid %d is not a web process of this shell", pid)
	}

	d := waitData(t, s, func(d map[string]any) bool { return d["status"] != "loading" })
	if st, _ := d["status"].(string); !strings.Contains(st, `paths refused: setData: "a0[1048575]": index 1048575 is more than 1024 past the end`) {
		t.Errorf("status = %q, want the 400 paths refused", st)
	}

	// The accumulation starts a second after onReady; the monitor stops it.
	t.Logf("web process %d after load: %d MiB resident", pid, rssMiB(pid))
	start := time.Now()
	var ended bool
	deadline := time.Now().Add(2 * time.Minute)
	for !ended && time.Now().Before(deadline) {
		if _, stopped := w.monitor.App(s.ID()).Terminated(); stopped {
			ended = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ended {
		t.Fatalf("the balloon was not stopped; its web process holds %d MiB", rssMiB(pid))
	}
	t.Logf("stopped %s after the page was loaded", time.Since(start).Round(100*time.Millisecond))
	e := w.waitAudit("test.balloon", func(e bridge.AuditEntry) bool { return e.Kind == "termination" })
	if !strings.HasPrefix(e.Reason, monitor.ReasonRenderMemory+": Its page used too much memory.") {
		t.Errorf("audit reason %q", e.Reason)
	}
	if n := w.monitor.Terminations()[monitor.ReasonRenderMemory]; n != 1 {
		t.Errorf("terminations for render-memory = %d, want 1", n)
	}
	waitFor(t, "the web process to be gone", func() bool { return !isWebProcess(pid) })
	if _, q := w.quarantine.Quarantined(s.ID()); q {
		t.Error("a memory budget quarantined the app")
	}
	// The shell tells the user why in its own dialog; answering it ends the session.
	waitFor(t, "the notice", func() bool { return s.win.AnswerPrompt(0) == nil })
	select {
	case <-s.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the stopped session did not end")
	}
	var te *TerminatedError
	if err := s.Err(); !errors.As(err, &te) || te.Reason != monitor.ReasonRenderMemory {
		t.Errorf("session error = %v, want a render-memory termination", err)
	}

	// The shell goes on: the UI loop answers, and the good app's window and logic too.
	done := make(chan struct{})
	render.Do(func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the UI loop no longer answers")
	}
	if !isWebProcess(gs.win.WebProcess()) {
		t.Error("the good app's web process is gone")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := gs.PageData(ctx, ""); err != nil {
		t.Errorf("the good app no longer answers: %v", err)
	}
}

// isWebProcess reports whether pid is a live WebKit web process child of this one.
func isWebProcess(pid int) bool {
	_, err := (monitor.WebProcesses{}).Memory(pid)
	return err == nil
}

func rssMiB(pid int) int {
	raw, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb >> 10
		}
	}
	return -1
}
