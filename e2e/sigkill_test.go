package e2e

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestKilledShellLeavesNothingBehind: a shell killed with SIGKILL while an app runs
// leaves no logic child (it dies with its parent), and its socket, locks and databases
// do not block the next start, which finds what the app had stored.
func TestKilledShellLeavesNothingBehind(t *testing.T) {
	r := launch(t, "examples/todo")
	ctx := ctxT(t)
	if err := r.client.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	r.add(t, ctx, "Survives a kill")
	r.waitItems(t, ctx, "Survives a kill")
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(r.cmd.Process.Pid), "-f", "__logic-child").Output()
	child, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || child == 0 {
		t.Fatalf("no logic child under the shell (%q): %v", out, err)
	}

	r.client.Close()
	r.client = nil
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = <-r.done
	r.done <- err
	// The child gets SIGKILL from the kernel when its parent dies (PR_SET_PDEATHSIG).
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(child, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("logic child %d outlived its killed shell", child)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The next start: same home, same automation socket path.
	cmd := exec.Command(shellBin, "run", "examples/todo", "--automation", r.sock)
	cmd.Dir = repoRoot
	cmd.Env = env(r.home)
	stderr := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("second shell's stderr:\n%s", stderr.String())
		}
	})
	dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := automation.DialWait(dctx, r.sock)
	if err != nil {
		t.Fatalf("the next start did not serve its socket: %v", err)
	}
	defer c.Close()
	r2 := &running{client: c, cmd: cmd, home: r.home, sock: r.sock, stderr: stderr, done: done}
	r2.waitItems(t, ctx, "Survives a kill")
}
