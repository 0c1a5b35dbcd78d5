package e2e

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestCtrlCInTheTerminal: a terminal's Ctrl+C sends SIGINT to the whole foreground
// process group: the shell, its logic child and WebKit's processes. The shell must
// close the app and exit 0, while the app runs and while its window is still being
// made. Before, WebKit relaunched its killed processes during the shutdown and now and
// then aborted the shell ("readPIDFromPeer"), and a signal during the window's making
// was lost, so the shell hung until its shutdown limit. Three rounds each: the abort
// was a race.
func TestCtrlCInTheTerminal(t *testing.T) {
	for _, when := range []string{"running", "starting"} {
		t.Run(when, func(t *testing.T) {
			for round := range 3 {
				h := homeTB(t)
				cmd, sock, out := startShellGroup(t, h, "run", "examples/todo")
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				if when == "running" {
					c, err := automation.DialWait(ctx, sock)
					if err != nil {
						cancel()
						t.Fatalf("round %d: connect: %v\n%s", round, err, out.String())
					}
					if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
						t.Fatalf("round %d: %v\n%s", round, err, out.String())
					}
					c.Close()
				} else {
					// The logic has started (it logs its launch) and the window is being made.
					if err := automation.WaitFor(ctx, func() (bool, error) {
						return strings.Contains(out.String(), "todo launched"), nil
					}); err != nil {
						t.Fatalf("round %d: %v\n%s", round, err, out.String())
					}
				}
				cancel()
				pgid := cmd.Process.Pid
				if err := syscall.Kill(-pgid, syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					// Before the shell handles signals (its first moments) SIGINT ends it
					// as it ends any command: that is a clean end too.
					if err != nil && !(when == "starting" && strings.Contains(err.Error(), "signal: interrupt")) {
						t.Fatalf("round %d: the shell ended with %v after Ctrl+C\n%s", round, err, out.String())
					}
				case <-time.After(20 * time.Second):
					syscall.Kill(-pgid, syscall.SIGKILL)
					<-done
					t.Fatalf("round %d: the shell did not end after Ctrl+C\n%s", round, out.String())
				}
				if s := out.String(); strings.Contains(s, "ERROR **") || strings.Contains(s, "SIGTRAP") {
					t.Fatalf("round %d: the shell aborted\n%s", round, s)
				}
				// Nothing of the group is left: WebKit's processes end with the shell.
				deadline := time.Now().Add(10 * time.Second)
				for syscall.Kill(-pgid, 0) == nil {
					if time.Now().After(deadline) {
						ps, _ := exec.Command("pgrep", "-a", "-g", strconv.Itoa(pgid)).Output()
						syscall.Kill(-pgid, syscall.SIGKILL)
						t.Fatalf("round %d: processes of the shell's group outlived it:\n%s", round, ps)
					}
					time.Sleep(50 * time.Millisecond)
				}
				// The logic child has a group of its own (Ctrl+C is the shell's to handle):
				// it ends with the shell all the same.
				for _, m := range childPID.FindAllStringSubmatch(out.String(), -1) {
					pid, _ := strconv.Atoi(m[1])
					for alive(pid) {
						if time.Now().After(deadline) {
							syscall.Kill(pid, syscall.SIGKILL)
							t.Fatalf("round %d: the logic child %d outlived the shell", round, pid)
						}
						time.Sleep(50 * time.Millisecond)
					}
				}
			}
		})
	}
}

var childPID = regexp.MustCompile(`isolate=child pid=(\d+)`)

// alive: the process exists and is not a zombie waiting for a reaper.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// startShellGroup starts the shell as a terminal starts a command: leader of its own
// process group, so a signal to the group reaches every process it starts.
func startShellGroup(t *testing.T, h []string, args ...string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	sock := t.TempDir() + "/auto.sock"
	cmd := exec.Command(shellBin, append(args, "--automation", sock)...)
	cmd.Dir = repoRoot
	cmd.Env = env(h)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &syncBuffer{}
	cmd.Stderr, cmd.Stdout = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return cmd, sock, out
}
