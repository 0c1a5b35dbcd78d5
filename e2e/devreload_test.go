package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestDevToolsFollowsReloads: `shell dev` opens the DevTools window beside the
// simulator, and that one window follows the app across a reload: the new session's
// console lines reach it and its console evaluates in the new logic runtime.
func TestDevToolsFollowsReloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "app")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "e2e/testdata/devtools"))); err != nil {
		t.Fatal(err)
	}
	r := launchCmd(t, []string{"dev", dir, "--log-level", "debug"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
	defer cancel()
	dt, err := automation.DialWait(ctx, r.sock+".devtools")
	if err != nil {
		t.Fatalf("shell dev opened no DevTools window: %v", err)
	}
	defer dt.Close()
	waitQuery(ctx, t, dt, ".console-line", "devtools page loaded")

	js := filepath.Join(dir, "pages/index/index.js")
	src := readFile(t, js)
	writeFile(t, js, strings.Replace(src, "devtools page loaded", "reloaded page loaded", 1))
	waitQuery(ctx, t, dt, ".console-line", "reloaded page loaded")

	if err := dt.Input(ctx, "#console-input", "getCurrentPages()[0].data.count + 41"); err != nil {
		t.Fatal(err)
	}
	if err := dt.Press(ctx, "#console-input", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "[data-eval-result]", "42")
}
