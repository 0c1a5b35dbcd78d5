package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyTodo copies the todo example into a temporary folder for a test to break.
func copyTodo(t *testing.T) string { return copyExample(t, "todo") }

// copyExample copies examples/NAME into a temporary folder.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join(repoRoot, "examples", name)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestRunRefusesBrokenApps(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(dir string) error
		want   string
	}{
		{"missing directory", func(dir string) error { return os.RemoveAll(dir) }, "not a mini-app directory"},
		{"broken app.json", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "app.json"), []byte("{\n  \"pages\": [\"pages/index/index\"\n}"), 0o644)
		}, "app.json:3:1: invalid JSON"},
		{"page missing", func(dir string) error { return os.Remove(filepath.Join(dir, "pages/stats/stats.wxml")) },
			`app.json: pages[1]: page "pages/stats/stats" has no pages/stats/stats.wxml`},
		{"wxml syntax error", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "pages/stats/stats.wxml"), []byte("<view>\n  <text>hi</view>\n"), 0o644)
		}, "pages/stats/stats.wxml:2:"},
		{"js syntax error", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "pages/stats/stats.js"), []byte("const a = 1\nlet b = {,}\nPage({})\n"), 0o644)
		}, "pages/stats/stats.js:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyTodo(t)
			if err := c.break_(dir); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(shellBin, "run", dir)
			cmd.Env = env(home(t))
			// No display: a broken app must fail before any window would open.
			cmd.Env = append(cmd.Env, "DISPLAY=")
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 2 {
				t.Fatalf("exit = %v, want status 2; output:\n%s", err, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Fatalf("output %q does not name the problem %q", out, c.want)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, err := exec.Command(shellBin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "sandframe ") {
		t.Fatalf("version: %v %s", err, out)
	}
	// The child's own report (docs/isolate.md); no_new_privs exists in every kernel we run
	// on, the rest depends on the kernel and is only logged.
	if !strings.Contains(string(out), "logic child confinement: no_new_privs") {
		t.Errorf("version does not report the logic child's confinement:\n%s", out)
	}
	t.Logf("shell version:\n%s", out)
	out, err = exec.Command(shellBin, "run", "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--automation") {
		t.Fatalf("run --help: %v %s", err, out)
	}
}

// Without a display the shell says so instead of crashing.
func TestRunWithoutADisplay(t *testing.T) {
	cmd := exec.Command(shellBin, "run", "examples/todo")
	cmd.Dir = repoRoot
	cmd.Env = append(env(home(t)), "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "no display") {
		t.Fatalf("exit %v, output:\n%s", err, out)
	}
}
