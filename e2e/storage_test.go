package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTodosPersistAndWipe: the todo list survives a restart (wx storage, encrypted per
// app), the CLI lists and wipes it, and after a wipe the app starts empty.
func TestTodosPersistAndWipe(t *testing.T) {
	r := launch(t, "examples/todo")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	r.add(t, ctx, "Persist me")
	r.waitItems(t, ctx, "Persist me")
	if err := c.Tap(ctx, "todo-item .check"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	r.add(t, ctx, "Second")
	r.waitItems(t, ctx, "Persist me", "Second")
	r.stop(t)

	// The same home, a new shell: the list is back, the toggle kept.
	r2 := launchEnv(t, "examples/todo", r.home)
	ctx2 := ctxT(t)
	r2.waitItems(t, ctx2, "Persist me", "Second")
	if err := r2.client.WaitText(ctx2, "#count", "1 item left"); err != nil {
		t.Fatal(err)
	}
	r2.stop(t)

	ls := r.shellCmd(t, "storage", "ls", "dev.sandframe.todo")
	if !strings.Contains(ls, `"todos"`) || strings.Contains(ls, "Persist me") {
		t.Fatalf("storage ls (values hidden):\n%s", ls)
	}
	if reveal := r.shellCmd(t, "storage", "ls", "dev.sandframe.todo", "--reveal"); !strings.Contains(reveal, "Persist me") {
		t.Fatalf("storage ls --reveal:\n%s", reveal)
	}
	if du := r.shellCmd(t, "storage", "du"); !strings.Contains(du, "dev.sandframe.todo") {
		t.Fatalf("storage du:\n%s", du)
	}
	r.shellCmd(t, "storage", "rotate-key", "dev.sandframe.todo")
	if reveal := r.shellCmd(t, "storage", "ls", "dev.sandframe.todo", "--reveal"); !strings.Contains(reveal, "Persist me") {
		t.Fatalf("after rotate-key:\n%s", reveal)
	}
	r.shellCmd(t, "storage", "clear", "dev.sandframe.todo")
	if du := r.shellCmd(t, "storage", "du"); strings.Contains(du, "dev.sandframe.todo") {
		t.Fatalf("storage du after clear:\n%s", du)
	}
	// Nothing of the app is left under the shell's config, data and cache directories:
	// no file named for it, no file holding its id or its data. The audit log (the
	// shell's append-only record) and the permission store (the user's decisions, which
	// `shell perms reset` forgets) are the shell's own records about the app.
	for _, kv := range r.home {
		k, dir, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "XDG_") {
			continue
		}
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return nil
			}
			base := filepath.Base(p)
			if strings.HasPrefix(base, "audit") || strings.HasPrefix(base, "perms.db") {
				return nil
			}
			if strings.Contains(base, "sandframe.todo") {
				t.Errorf("residue: %s", p)
			}
			if info.Mode().IsRegular() {
				raw, _ := os.ReadFile(p)
				for _, needle := range []string{"dev.sandframe.todo", "Persist me"} {
					if strings.Contains(string(raw), needle) {
						t.Errorf("residue: %s holds %q", p, needle)
					}
				}
			}
			return nil
		})
	}

	r3 := launchEnv(t, "examples/todo", r.home)
	if err := r3.client.WaitText(ctxT(t), "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	if els, _ := r3.client.Query(ctxT(t), "todo-item"); len(els) != 0 {
		t.Fatalf("after a wipe the app shows %d todos", len(els))
	}
}
