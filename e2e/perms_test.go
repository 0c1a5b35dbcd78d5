package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// shellCmd runs a shell subcommand in the same home as r.
func (r *running) shellCmd(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(shellBin, args...)
	cmd.Env = env(r.home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("shell %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestCapabilityPromptsAndRevoke: a capability is asked for in the shell's own dialog,
// remembered, revoked from the CLI while the app runs, and managed in settings.
func TestCapabilityPromptsAndRevoke(t *testing.T) {
	r := launch(t, "examples/widgets")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#perm-result", "-"); err != nil {
		t.Fatal(err)
	}
	waitDialogs := func(n int) {
		t.Helper()
		if err := waitDialogs(ctx, c, n); err != nil {
			t.Fatal(err)
		}
	}

	// The first use asks, in a native dialog over the window.
	if err := c.Tap(ctx, "#copy"); err != nil {
		t.Fatal(err)
	}
	waitDialogs(1)
	shot := artifact(t, "prompt.png")
	if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot of the prompt: %v %s", err, out)
	}
	if err := c.Call(ctx, "test.answerPrompt", map[string]int{"button": 2}, nil); err != nil { // Allow
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "setClipboardData:ok"); err != nil {
		t.Fatal(err)
	}
	if out := r.shellCmd(t, "perms", "list", "dev.sandframe.widgets"); !strings.Contains(out, "clipboard:write") || !strings.Contains(out, "granted") {
		t.Fatalf("perms list:\n%s", out)
	}

	// Remembered: no second prompt.
	if err := c.Tap(ctx, "#who"); err != nil { // another capability: a prompt, denied this time
		t.Fatal(err)
	}
	waitDialogs(1)
	if err := c.Call(ctx, "test.answerPrompt", map[string]int{"button": 0}, nil); err != nil { // Deny
		t.Fatal(err)
	}
	// Declined: WeChat's anonymous profile, not a failure.
	if err := c.WaitText(ctx, "#perm-result", "Hello, 微信用户"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#copy"); err != nil { // remembered: no prompt; it also changes the text
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "setClipboardData:ok"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#who"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "Hello, 微信用户"); err != nil { // the stored denial, no prompt
		t.Fatal(err)
	}
	waitDialogs(0)

	// A revoke from the CLI, in another process, applies to the running app at once.
	r.shellCmd(t, "perms", "revoke", "dev.sandframe.widgets", "clipboard:write")
	if err := c.Tap(ctx, "#copy"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "setClipboardData:fail auth denied"); err != nil {
		t.Fatal(err)
	}

	// wx.openSetting: the shell's settings dialog; turning the profile on grants it.
	if err := c.Tap(ctx, "#settings"); err != nil {
		t.Fatal(err)
	}
	waitDialogs(1)
	// Switches in name order: clipboard:write, file:pick, user:readProfile.
	if err := c.Call(ctx, "test.answerSettings", map[string][]bool{"on": {false, false, true}}, nil); err != nil {
		t.Fatal(err)
	}
	// The host encodes authSetting with sorted keys.
	if err := c.WaitText(ctx, "#perm-result", `{"clipboard:write":false,"scope.userInfo":true}`); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#who"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "Hello, Sandframe user"); err != nil {
		t.Fatal(err)
	}

	// file:pick: granted through the prompt, the file comes from the shell's chooser.
	file := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(file, []byte("twelve bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#pick"); err != nil {
		t.Fatal(err)
	}
	waitDialogs(1)
	if err := c.Call(ctx, "test.answerPrompt", map[string]int{"button": 1}, nil); err != nil { // Allow once
		t.Fatal(err)
	}
	waitDialogs(1) // now the file chooser
	if err := c.Call(ctx, "test.answerFiles", map[string]string{"path": file}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#perm-result", "notes.txt: 12 bytes"); err != nil {
		t.Fatal(err)
	}

	// Every decision is in the audit log.
	out := r.shellCmd(t, "audit", "dev.sandframe.widgets", "--denied")
	for _, want := range []string{"getUserProfile", "setClipboardData", "denied"} {
		if !strings.Contains(out, want) {
			t.Fatalf("audit --denied lacks %q:\n%s", want, out)
		}
	}
}
