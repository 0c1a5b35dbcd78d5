package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRunawayAppIsStoppedAndTheUserTold: a handler that never returns is stopped at its
// CPU budget; its window goes, the shell says why in its own dialog, and the audit log
// has the termination.
func TestRunawayAppIsStoppedAndTheUserTold(t *testing.T) {
	r := launchEnv(t, "e2e/testdata/runaway", []string{"SANDFRAME_MONITOR_TASKCPU=500ms"})
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitElement(ctx, "#spin"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#spin"); err != nil {
		t.Fatal(err)
	}
	if err := waitDialogs(ctx, c, 1); err != nil {
		t.Fatalf("no notice: %v", err)
	}
	if out, err := exec.Command("import", "-window", "root", artifact(t, "terminated-notice.png")).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, out)
	}
	if err := c.Call(ctx, "test.answerPrompt", map[string]int{"button": 0}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-r.done:
		r.done <- err
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Fatalf("shell exit = %v, want status 1", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the shell did not exit after the notice")
	}
	if !strings.Contains(r.stderr.String(), "test.runaway was stopped: It ran JavaScript for too long") {
		t.Fatalf("stderr does not say why:\n%s", r.stderr.String())
	}
	out := r.shellCmd(t, "audit", "test.runaway")
	if !strings.Contains(out, "termination") || !strings.Contains(out, "cpu") {
		t.Fatalf("audit lacks the termination:\n%s", out)
	}
}
