// Package e2e drives the real shell binary, with the real WebView under Xvfb, through
// the automation interface: what these tests see is what a person would see.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

var (
	shellBin string
	repoRoot string
)

func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Dir(filepath.Dir(file))
	dir, err := os.MkdirTemp("", "sandframe-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shellBin = filepath.Join(dir, "shell")
	// The test-hooks build adds automation's test.inject, for the forgery tests.
	// shell-logic beside it, as scripts/run.sh installs them: the logic children run it.
	// SANDFRAME_BENCH_NO_LOGIC_BINARY leaves it out (the shell serves its children
	// itself), to compare.
	builds := []struct{ out, pkg string }{{shellBin, "./cmd/shell"}, {filepath.Join(dir, "shell-logic"), "./cmd/shell-logic"}}
	if os.Getenv("SANDFRAME_BENCH_NO_LOGIC_BINARY") != "" {
		builds = builds[:1]
	}
	for _, b := range builds {
		build := exec.Command("go", "build", "-tags", "sandframe_testhooks sqlite_omit_load_extension", "-o", b.out, b.pkg)
		build.Dir = repoRoot
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", b.pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needDisplay skips a WebView test where there is no display, except on CI, where a
// missing display is a broken set-up and must fail.
func needDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no DISPLAY on CI: run the tests through scripts/test.sh (xvfb-run)")
		}
		t.Skip("no DISPLAY: run under xvfb-run (scripts/test.sh does)")
	}
}

// home makes a temporary home with XDG directories, so no test touches the real one.
func home(t *testing.T) []string {
	t.Helper()
	h := t.TempDir()
	return []string{
		"HOME=" + h,
		"XDG_CONFIG_HOME=" + filepath.Join(h, "config"),
		"XDG_DATA_HOME=" + filepath.Join(h, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(h, "cache"),
	}
}

// env is the test process's environment without the XDG and HOME variables.
func env(extra []string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_") || strings.HasPrefix(kv, "SANDFRAME_") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

// running is a shell process under test.
type running struct {
	sock   string
	cmd    *exec.Cmd
	client *automation.Client
	home   []string
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// launch starts `shell run DIR --automation SOCK` and connects to it.
func launch(t *testing.T, dir string, args ...string) *running {
	t.Helper()
	return launchEnv(t, dir, nil, args...)
}

// launchEnv is launch with extra environment (SANDFRAME_* settings).
func launchEnv(t *testing.T, dir string, extra []string, args ...string) *running {
	t.Helper()
	return launchCmd(t, append([]string{"run", dir, "--log-level", "debug"}, args...), extra)
}

// launchCmd starts the shell with args plus --automation SOCK and connects to it.
func launchCmd(t *testing.T, args []string, extra []string) *running {
	t.Helper()
	needDisplay(t)
	h := append(home(t), extra...)
	sock := filepath.Join(t.TempDir(), "auto.sock")
	cmd := exec.Command(shellBin, append(args, "--automation", sock)...)
	cmd.Dir = repoRoot
	cmd.Env = env(h)
	r := &running{cmd: cmd, home: h, sock: sock, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = r.stderr
	cmd.Stdout = r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if r.client != nil {
			r.client.Close()
		}
		cmd.Process.Kill()
		<-r.done
		if t.Failed() {
			t.Logf("shell stderr:\n%s", r.stderr.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Stop waiting at once if the shell exits (a broken app) instead of timing out.
	go func() {
		select {
		case err := <-r.done:
			r.done <- err
			cancel()
		case <-ctx.Done():
		}
	}()
	c, err := automation.DialWait(ctx, sock)
	if err != nil {
		t.Fatalf("connect: %v\nstderr:\n%s", err, r.stderr.String())
	}
	r.client = c
	return r
}

// stop ends the shell as a person closing it would, and waits for it.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.client.Close()
	r.client = nil
	r.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-r.done:
		r.done <- err
	case <-time.After(10 * time.Second):
		r.cmd.Process.Kill()
		t.Fatal("the shell did not stop on interrupt")
	}
}

// dataDir is the shell's data directory in this test's home.
func (r *running) dataDir() string {
	for _, kv := range r.home {
		if v, ok := strings.CutPrefix(kv, "XDG_DATA_HOME="); ok {
			return filepath.Join(v, "sandframe")
		}
	}
	return ""
}

// artifact is where a test keeps a file for people to look at (screenshots).
func artifact(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(repoRoot, "artifacts", "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitDialogs waits until n of the shell's own dialogs (prompts, notices, file
// choosers) are open, through the test build's test.dialogs.
func waitDialogs(ctx context.Context, c *automation.Client, n int) error {
	var d struct{ Count int }
	if err := automation.WaitFor(ctx, func() (bool, error) {
		err := c.Call(ctx, "test.dialogs", nil, &d)
		return d.Count == n, err
	}); err != nil {
		return fmt.Errorf("waiting for %d open dialogs (%d open): %w", n, d.Count, err)
	}
	return nil
}
