package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// versionedTodo copies the todo example with app.json's version set.
func versionedTodo(t *testing.T, v string) string {
	t.Helper()
	dir := copyTodo(t)
	raw, err := os.ReadFile(filepath.Join(dir, "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	m["version"] = v
	raw, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(dir, "app.json"), raw, 0o644)
	return dir
}

// TestInstallUpdateRollbackUninstall: the app store's life cycle from the CLI, with a
// catalog served on loopback.
func TestInstallUpdateRollbackUninstall(t *testing.T) {
	h := home(t)
	dir := t.TempDir()
	key := trustedKey(t, h, dir, "Acme")
	v1, v2 := filepath.Join(dir, "todo-1.sfa"), filepath.Join(dir, "todo-2.sfa")
	for v, file := range map[string]string{"1.0.0": v1, "1.1.0": v2} {
		if out, code := shellIn(t, h, "pack", versionedTodo(t, v), "-o", file, "--key", key); code != 0 {
			t.Fatalf("pack %s: %s", v, out)
		}
	}

	// Install 1.0.0 from a file.
	if out, code := shellIn(t, h, "install", v1); code != 0 || !strings.Contains(out, "installed dev.sandframe.todo 1.0.0") {
		t.Fatalf("install (%d): %s", code, out)
	}
	if out, _ := shellIn(t, h, "list"); !strings.Contains(out, "dev.sandframe.todo") || !strings.Contains(out, "1.0.0") {
		t.Fatalf("list:\n%s", out)
	}

	// Publish 1.1.0 into a catalog served on loopback and update from it.
	cat := filepath.Join(dir, "catalog")
	if out, code := shellIn(t, h, "store", "add", cat, v2, "--key", key); code != 0 {
		t.Fatalf("store add: %s", out)
	}
	url := serveCatalog(t, h, cat)
	if out, code := shellIn(t, h, "update", "--catalog", url); code != 0 || !strings.Contains(out, "updated dev.sandframe.todo 1.0.0 → 1.1.0") {
		t.Fatalf("update (%d): %s", code, out)
	}
	if out, _ := shellIn(t, h, "list"); !strings.Contains(out, "1.1.0") || !strings.Contains(out, "1.0.0") {
		t.Fatalf("list after update:\n%s", out)
	}

	// An older version is refused unless asked for; rollback goes back once.
	if out, code := shellIn(t, h, "install", v1); code == 0 || !strings.Contains(out, "downgrade") {
		t.Fatalf("downgrade (%d): %s", code, out)
	}
	if out, code := shellIn(t, h, "rollback", "dev.sandframe.todo"); code != 0 || !strings.Contains(out, "back at 1.0.0") {
		t.Fatalf("rollback (%d): %s", code, out)
	}

	// The installed app runs by its id.
	if os.Getenv("DISPLAY") != "" {
		r := launchEnv(t, "dev.sandframe.todo", h)
		ctx := ctxT(t)
		if err := r.client.WaitText(ctx, "#count", "0 items left"); err != nil {
			t.Fatal(err)
		}
		r.add(t, ctx, "Installed and running")
		r.waitItems(t, ctx, "Installed and running")
		r.stop(t)
		if out, _ := shellIn(t, h, "storage", "du"); !strings.Contains(out, "dev.sandframe.todo") {
			t.Fatalf("the installed app stored nothing:\n%s", out)
		}
	}

	// Uninstall removes it and its data.
	if out, code := shellIn(t, h, "uninstall", "dev.sandframe.todo"); code != 0 {
		t.Fatalf("uninstall (%d): %s", code, out)
	}
	if out, _ := shellIn(t, h, "list"); !strings.Contains(out, "(nothing installed)") {
		t.Fatalf("list after uninstall:\n%s", out)
	}
	if out, _ := shellIn(t, h, "storage", "du"); strings.Contains(out, "dev.sandframe.todo") {
		t.Fatalf("uninstall left data:\n%s", out)
	}
	if out, code := shellIn(t, h, "run", "dev.sandframe.todo"); code != 2 {
		t.Fatalf("run of an uninstalled app (%d): %s", code, out)
	}
	// Nothing in the shell's folders names it any more (SQLite's free pages and WAL
	// included), but the audit log.
	if left := filesNaming(t, h, "dev.sandframe.todo"); len(left) > 0 {
		t.Fatalf("uninstall left the app's id in:\n%s", strings.Join(left, "\n"))
	}
	// Straight from a URL: downloaded, then verified like a local file.
	if out, code := shellIn(t, h, "install", url+"bundles/dev.sandframe.todo/1.1.0.sfa"); code != 0 || !strings.Contains(out, "installed dev.sandframe.todo 1.1.0") {
		t.Fatalf("install from a URL (%d): %s", code, out)
	}
	if out, code := shellIn(t, h, "install", url+"bundles/nothing.sfa"); code == 0 || !strings.Contains(out, "404") {
		t.Fatalf("install from a missing URL (%d): %s", code, out)
	}
}

// serveCatalog runs `shell store serve DIR` on a free loopback port until the test ends
// and returns its base URL.
func serveCatalog(t *testing.T, h []string, dir string) string {
	t.Helper()
	srv := exec.Command(shellBin, "store", "serve", dir, "--addr", "127.0.0.1:0")
	srv.Env = env(h)
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url := regexp.MustCompile(`http://\S+?/`).FindString(line)
	if err != nil || url == "" {
		t.Fatalf("store serve said %q (%v)", line, err)
	}
	return url
}

// trustedKey makes a signing key in dir and trusts it under name in home h; it returns
// the key file.
func trustedKey(t *testing.T, h []string, dir, name string) string {
	t.Helper()
	key := filepath.Join(dir, strings.ToLower(name)+".key")
	out, _ := shellIn(t, h, "keygen", "-o", key)
	pub := regexp.MustCompile(`public key:\s+(\S+)`).FindStringSubmatch(out)
	if pub == nil {
		t.Fatalf("keygen:\n%s", out)
	}
	if out, code := shellIn(t, h, "trust", "add", name, pub[1]); code != 0 {
		t.Fatalf("trust add: %s", out)
	}
	return key
}

// filesNaming lists the files of home h's data, config and cache folders whose name or
// bytes hold s, the audit log's folder aside.
func filesNaming(t *testing.T, h []string, s string) []string {
	t.Helper()
	var out []string
	for _, kv := range h {
		k, dir, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "XDG_") {
			continue
		}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && d.Name() == "audit" {
				return filepath.SkipDir
			}
			if strings.Contains(d.Name(), s) {
				out = append(out, p)
				return nil
			}
			if d.Type().IsRegular() {
				if raw, err := os.ReadFile(p); err == nil && strings.Contains(string(raw), s) {
					out = append(out, p)
				}
			}
			return nil
		})
	}
	return out
}
