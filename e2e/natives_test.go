package e2e

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPinnedAppIsStoppedAndSIGTERMEndsTheShell: a handler stuck inside one native
// call (the interrupt cannot reach it) is stopped at its budget plus the grace: the
// shell abandons its goroutine, tells the user, keeps answering automation, and a
// SIGTERM then ends the shell at once although the native still runs.
func TestPinnedAppIsStoppedAndSIGTERMEndsTheShell(t *testing.T) {
	r := launchEnv(t, "e2e/testdata/pinned", []string{"SANDFRAME_MONITOR_TASKCPU=1s", "SANDFRAME_MONITOR_HEAPBYTES=2147483648"})
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitElement(ctx, "#pin"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#pin"); err != nil {
		t.Fatal(err)
	}
	// The notice is the shell's own dialog, shown once the session was torn down.
	if err := waitDialogs(ctx, c, 1); err != nil {
		t.Fatalf("no termination notice: %v", err)
	}
	if s := r.stderr.String(); !strings.Contains(s, "its goroutine is abandoned") || !strings.Contains(s, "reason=cpu") {
		t.Fatalf("stderr does not report the abandoned loop and the cpu termination:\n%s", s)
	}
	r.client.Close()
	r.client = nil
	start := time.Now()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.done:
		r.done <- err
		t.Logf("the shell exited %s after SIGTERM (%v)", time.Since(start).Round(time.Millisecond), err)
	case <-time.After(3 * time.Second):
		t.Fatal("the shell did not end within 3 s of SIGTERM")
	}
}
