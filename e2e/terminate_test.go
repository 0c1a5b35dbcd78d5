package e2e

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
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
	closeNoticeAndExit1(t, ctx, r)
	if !strings.Contains(r.stderr.String(), "test.runaway was stopped: It ran JavaScript for too long") {
		t.Fatalf("stderr does not say why:\n%s", r.stderr.String())
	}
	out := r.shellCmd(t, "audit", "test.runaway")
	if !strings.Contains(out, "termination") || !strings.Contains(out, "cpu") {
		t.Fatalf("audit lacks the termination:\n%s", out)
	}
}

// TestCrashedPageClosesTheApp: when the web process behind an app's page dies (a WebKit
// crash, or a kill from outside), the page is blank for good: the shell closes the app,
// says why in its own dialog, exits 1 naming the cause and audits it, instead of
// leaving an empty window that answers nothing.
func TestCrashedPageClosesTheApp(t *testing.T) {
	r := launch(t, "examples/todo")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(r.cmd.Process.Pid), "-f", "WebKitWebProcess").Output()
	pids := strings.Fields(string(out))
	if err != nil || len(pids) != 1 {
		t.Fatalf("want one web process under the shell, have %q (%v)", out, err)
	}
	pid, _ := strconv.Atoi(pids[0])
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := waitDialogs(ctx, c, 1); err != nil {
		t.Fatalf("no notice: %v\n%s", err, r.stderr.String())
	}
	closeNoticeAndExit1(t, ctx, r)
	if !strings.Contains(r.stderr.String(), "its page's web process ended (crashed)") {
		t.Fatalf("stderr does not say why:\n%s", r.stderr.String())
	}
	if a := r.shellCmd(t, "audit", "dev.sandframe.todo"); !strings.Contains(a, "page-gone") {
		t.Fatalf("audit lacks the page's end:\n%s", a)
	}
}

// closeNoticeAndExit1 presses the shell's notice's only button and waits for the shell
// to exit with status 1 (the app was closed for a reason).
func closeNoticeAndExit1(t *testing.T, ctx context.Context, r *running) {
	t.Helper()
	if err := r.client.Call(ctx, "test.answerPrompt", map[string]int{"button": 0}, nil); err != nil {
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
}
