package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAutomatorNodeSuite runs WeChat's own miniprogram-automator package (pinned in
// e2e/automator/package.json, installed by `npm ci`) against `shell run examples/todo
// --auto-port 0`: the Node suite e2e/automator/todo.test.js connects by wsEndpoint,
// types, taps, reads data, sets data, mocks wx methods, navigates, takes a screenshot,
// and closes the app, which must then exit cleanly.
func TestAutomatorNodeSuite(t *testing.T) {
	needDisplay(t)
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node and npm are needed on CI: scripts/setup.sh installs them")
		}
		t.Skip("node or npm is not installed: the automator suite needs them (scripts/setup.sh installs nodejs and npm)")
	}
	suite := filepath.Join(repoRoot, "e2e", "automator")
	installAutomator(t, npm, suite)

	h := home(t)
	cmd := exec.Command(shellBin, "run", "examples/todo", "--auto-port", "0", "--log-level", "debug")
	cmd.Dir = repoRoot
	cmd.Env = env(h)
	stderr := &syncBuffer{}
	cmd.Stderr, cmd.Stdout = stderr, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		done <- nil
		if t.Failed() {
			t.Logf("shell stderr:\n%s", stderr.String())
		}
	})

	// The shell logs where it serves: wsEndpoint=ws://127.0.0.1:PORT.
	endpoint := regexp.MustCompile(`wsEndpoint=(ws://127\.0\.0\.1:\d+)`)
	var ws string
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	limit := time.After(60 * time.Second)
	for ws == "" {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the shell exited before serving: %v", err)
		case <-limit:
			t.Fatal("the shell never said where it serves the automator")
		case <-tick.C:
			if m := endpoint.FindStringSubmatch(stderr.String()); m != nil {
				ws = m[1]
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, node, "--test-reporter=spec", "todo.test.js")
	run.Dir = suite
	run.Env = append(os.Environ(), "WS_ENDPOINT="+ws, "ARTIFACT_DIR="+filepath.Dir(artifact(t, "automator-todo.png")))
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("the automator suite failed: %v\n%s", err, out)
	}
	t.Logf("automator suite:\n%s", out)
	if !strings.Contains(string(out), "closes the app") {
		t.Fatalf("the suite did not run to its end:\n%s", out)
	}

	// Tool.close ends the app, and the shell exits on its own.
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Fatalf("the shell exited with %v after Tool.close", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the shell did not exit after Tool.close")
	}
}

// installAutomator runs `npm ci` in the suite's folder unless the pinned package is
// there already.
func installAutomator(t *testing.T, npm, dir string) {
	t.Helper()
	pkg, err := os.ReadFile(filepath.Join(dir, "node_modules", "miniprogram-automator", "package.json"))
	if err == nil && strings.Contains(string(pkg), `"version": "0.12.1"`) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ci := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	ci.Dir = dir
	if out, err := ci.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
}

// TestAutoPortIsLoopbackOnly: an --auto-port on an address other machines could reach
// is refused before the app starts, with status 2.
func TestAutoPortIsLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:9420", "192.0.2.1:9420", "[::]:9420"} {
		cmd := exec.Command(shellBin, "run", "examples/todo", "--auto-port", addr)
		cmd.Dir = repoRoot
		cmd.Env = env(home(t))
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("--auto-port %s: %v, want exit status 2\n%s", addr, err, out)
		}
		if !strings.Contains(string(out), "only a loopback address may be served") {
			t.Errorf("--auto-port %s: the error does not say why:\n%s", addr, out)
		}
	}
}
