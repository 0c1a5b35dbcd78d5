package codecache

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

func open(t *testing.T, max int64) (*Cache, string) {
	t.Helper()
	root := t.TempDir()
	c, err := Open(filepath.Join(root, "cache", "code"), filepath.Join(root, "data", "codecache.key"), max)
	if err != nil {
		t.Fatal(err)
	}
	return c, root
}

func TestPutGet(t *testing.T) {
	c, _ := open(t, 0)
	k := Key("app", "1.0.0", []byte("digest"))
	if _, ok := c.Get("com.a", k); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Put("com.a", k, []byte("compiled")); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get("com.a", k)
	if !ok || string(got) != "compiled" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	if _, ok := c.Get("com.b", k); ok {
		t.Fatal("another app's folder answered")
	}
	if Key("app", "1.0.1", []byte("digest")) == k || Key("js", "1.0.0", []byte("digest")) == k || Key("app", "1.0.0", []byte("other")) == k {
		t.Fatal("a key ignores the shell version, the kind or the digest")
	}
}

// TestCorruptEntryIsDiscarded: a flipped byte, a truncated file and an entry written
// under another key are misses, and the file is gone.
func TestCorruptEntryIsDiscarded(t *testing.T) {
	for name, spoil := range map[string]func([]byte) []byte{
		"flipped":   func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)-3] },
		"short":     func(b []byte) []byte { return b[:4] },
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := open(t, 0)
			k := Key("app", "1", []byte("d"))
			if err := c.Put("com.a", k, []byte("compiled template")); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(c.appDir("com.a"), k)
			raw, _ := os.ReadFile(p)
			if err := os.WriteFile(p, spoil(raw), 0o600); err != nil {
				t.Fatal(err)
			}
			var reported string
			c.Corrupt = func(path string, err error) { reported = path }
			if got, ok := c.Get("com.a", k); ok {
				t.Fatalf("a corrupt entry was trusted: %q", got)
			}
			if reported != p {
				t.Errorf("Corrupt reported %q, want %q", reported, p)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("the corrupt entry is still there: %v", err)
			}
		})
	}
	t.Run("another key", func(t *testing.T) {
		c, root := open(t, 0)
		k := Key("app", "1", []byte("d"))
		if err := c.Put("com.a", k, []byte("x")); err != nil {
			t.Fatal(err)
		}
		// A cache folder shared with a shell whose MAC key differs (or forged by hand).
		other, err := Open(c.Dir(), filepath.Join(root, "other.key"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := other.Get("com.a", k); ok {
			t.Fatal("an entry under another MAC key was trusted")
		}
	})
}

func TestKeyPersists(t *testing.T) {
	c, root := open(t, 0)
	k := Key("app", "1", []byte("d"))
	if err := c.Put("com.a", k, []byte("x")); err != nil {
		t.Fatal(err)
	}
	again, err := Open(c.Dir(), filepath.Join(root, "data", "codecache.key"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Get("com.a", k); !ok {
		t.Fatal("a restarted shell does not read its own entries")
	}
	fi, err := os.Stat(filepath.Join(root, "data", "codecache.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi.Mode(), err)
	}
}

// TestEvictsLeastRecentlyUsed: past the bound, the entries used longest ago go first.
func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c, _ := open(t, 40<<10)
	blob := bytes.Repeat([]byte("x"), 9<<10)
	keys := []string{"app-1", "app-2", "app-3", "app-4"}
	base := time.Now().Add(-time.Hour)
	for i, k := range keys {
		if err := c.Put("com.a", k, blob); err != nil {
			t.Fatal(err)
		}
		at := base.Add(time.Duration(i) * time.Minute)
		os.Chtimes(filepath.Join(c.appDir("com.a"), k), at, at)
	}
	if _, ok := c.Get("com.a", "app-1"); !ok { // app-1 is now the most recently used
		t.Fatal("app-1 missing before the bound was reached")
	}
	if err := c.Put("com.a", "app-5", blob); err != nil { // 5 × 9 KiB > 40 KiB
		t.Fatal(err)
	}
	if c.Size() > 40<<10 {
		t.Fatalf("size %d over the bound", c.Size())
	}
	if _, ok := c.Get("com.a", "app-2"); ok {
		t.Error("the least recently used entry survived")
	}
	for _, k := range []string{"app-1", "app-5"} {
		if _, ok := c.Get("com.a", k); !ok {
			t.Errorf("%s was evicted", k)
		}
	}
	if err := c.Put("com.a", "huge", bytes.Repeat([]byte("y"), 20<<10)); err == nil || !strings.Contains(err.Error(), "quarter") {
		t.Errorf("an entry of half the cache: %v", err)
	}
}

// TestUninstallWipesTheAppsEntries: only Uninstall removes entries, and only the app's.
func TestUninstallWipesTheAppsEntries(t *testing.T) {
	c, _ := open(t, 0)
	k := Key("app", "1", []byte("d"))
	for _, app := range []string{"com.a", "com.b"} {
		if err := c.Put(app, k, []byte(app)); err != nil {
			t.Fatal(err)
		}
	}
	st := c.AppData()
	for _, scope := range []appdata.Scope{appdata.Session, appdata.Data} {
		if err := st.Wipe(context.Background(), identity.Signed("com.a", ""), scope); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Get("com.a", k); !ok {
			t.Fatalf("a %v wipe removed the code cache", scope)
		}
	}
	if err := st.Wipe(context.Background(), identity.Signed("com.a", "k1"), appdata.Uninstall); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("com.a", k); ok {
		t.Fatal("the uninstalled app's entry survived")
	}
	if _, err := os.Stat(c.appDir("com.a")); !os.IsNotExist(err) {
		t.Fatalf("the app's folder survived: %v", err)
	}
	if _, ok := c.Get("com.b", k); !ok {
		t.Fatal("another app's entry went with it")
	}
}
