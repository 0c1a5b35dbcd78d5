package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUnsignedTwinOfAnInstalledApp: a plain folder declaring the id of an installed,
// signed app runs as another, unverified app (with a warning): it sees none of the
// signed app's data, and what it stores stays its own. The signer pin refuses an
// unsigned install over the signed app, then B's, until --allow-signer-change, which
// wipes the signed app's data and is audited.
func TestUnsignedTwinOfAnInstalledApp(t *testing.T) {
	h := home(t)
	dir := t.TempDir()
	key := trustedKey(t, h, dir, "Acme")
	signed := filepath.Join(dir, "todo-1.sfa")
	if out, code := shellIn(t, h, "pack", versionedTodo(t, "1.0.0"), "-o", signed, "--key", key); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	if out, code := shellIn(t, h, "install", signed); code != 0 {
		t.Fatalf("install: %s", out)
	}

	r := launchEnv(t, "dev.sandframe.todo", h) // the installed, signed app
	ctx := ctxT(t)
	if err := r.client.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	r.add(t, ctx, "Signed secret")
	r.waitItems(t, ctx, "Signed secret")
	r.stop(t)

	twin := launchEnv(t, "examples/todo", h) // unsigned, the same id
	ctx = ctxT(t)
	if err := twin.client.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatalf("the twin sees the signed app's list: %v", err)
	}
	twin.add(t, ctx, "Twin's own")
	twin.waitItems(t, ctx, "Twin's own")
	twin.stop(t)
	if !strings.Contains(twin.stderr.String(), "claims the id of an installed app signed by another publisher") {
		t.Errorf("no warning at the twin's launch:\n%s", twin.stderr.String())
	}

	mine := twin.shellCmd(t, "storage", "ls", "dev.sandframe.todo", "--reveal")
	if !strings.Contains(mine, "Signed secret") || strings.Contains(mine, "Twin's own") {
		t.Fatalf("the installed app's storage:\n%s", mine)
	}
	theirs := twin.shellCmd(t, "storage", "ls", "dev.sandframe.todo@unverified", "--reveal")
	if !strings.Contains(theirs, "Twin's own") || strings.Contains(theirs, "Signed secret") {
		t.Fatalf("the twin's storage:\n%s", theirs)
	}

	// The pin: A, then an unsigned sideload, then B.
	unsigned, byB := filepath.Join(dir, "todo-2.sfa"), filepath.Join(dir, "todo-3.sfa")
	if out, code := shellIn(t, h, "pack", versionedTodo(t, "1.1.0"), "-o", unsigned); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	keyB := trustedKey(t, h, dir, "Other")
	if out, code := shellIn(t, h, "pack", versionedTodo(t, "1.2.0"), "-o", byB, "--key", keyB); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	if out, code := shellIn(t, h, "install", "--sideload", unsigned); code != 2 || !strings.Contains(out, "--allow-signer-change") {
		t.Fatalf("unsigned over signed (%d): %s", code, out)
	}
	if out, code := shellIn(t, h, "install", byB); code != 2 {
		t.Fatalf("B after the refused sideload (%d): %s", code, out)
	}
	if out, code := shellIn(t, h, "install", "--allow-signer-change", byB); code != 0 || !strings.Contains(out, "signer changed") {
		t.Fatalf("B with --allow-signer-change (%d): %s", code, out)
	}
	if out := twin.shellCmd(t, "storage", "ls", "dev.sandframe.todo", "--reveal"); strings.Contains(out, "Signed secret") {
		t.Fatalf("A's data after the signer change:\n%s", out)
	}
	if out := twin.shellCmd(t, "audit", "dev.sandframe.todo"); !strings.Contains(out, "signer-changed") {
		t.Fatalf("no audit line for the signer change:\n%s", out)
	}
}
