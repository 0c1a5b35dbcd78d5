package host

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// storageWorld is a world with storage, and two copies of the notes app under two ids.
func storageWorld(t *testing.T) *world {
	t.Helper()
	return storageWorldWith(t, monitorBudgetsNone())
}

// storageWorldWith is storageWorld with these budgets.
func storageWorldWith(t *testing.T, budgets monitor.Budgets) *world {
	t.Helper()
	w := newWorld(t, budgets)
	st, err := storage.Open(storage.Config{Dir: w.cfg.StoragePath(), ConfigDir: w.cfg.Paths.Config, Keyring: &storage.FileKeyring{Dir: w.cfg.Paths.Config}})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := share.Open(st, filepath.Join(w.dir, "shares.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sh.Close(); st.Close() })
	w.storage, w.shares = st, sh
	return w
}

func TestStorageRoundTripsEveryType(t *testing.T) {
	w := storageWorld(t)
	s, page, _ := w.run("testdata/notes")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("roundTrip")
	got := result(t, s)
	for _, k := range []string{"number", "negative", "yes", "no", "nothing", "text", "unicode", "list", "nested", "empty", "emptyList"} {
		if !strings.Contains(got, `"`+k+`":"ok"`) {
			t.Errorf("%s did not round-trip: %s", k, got)
		}
	}
	if !strings.Contains(got, `"unicodeKey":"unicode key"`) {
		t.Errorf("unicode key: %s", got)
	}
}

func TestStorageSyncAPIs(t *testing.T) {
	w := storageWorld(t)
	s, page, _ := w.run("testdata/notes")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("sync")
	if got, want := result(t, s), `{"n":1} | "" | "" | []`; got != want {
		t.Fatalf("sync APIs gave %q, want %q", got, want)
	}
}

func TestStorageLimitsAndInfo(t *testing.T) {
	w := storageWorld(t)
	s, page, _ := w.run("testdata/notes")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("tooBig")
	if got := result(t, s); got != "setStorage:fail exceed storage item max length" {
		t.Fatalf("1 MiB value: %q", got)
	}
	clearResult(t, s, page)
	page.tapDetail("write", map[string]any{"key": "a", "value": "12345"})
	if got := result(t, s); got != "setStorage:ok" {
		t.Fatal(got)
	}
	clearResult(t, s, page)
	page.tap("info")
	if got := result(t, s); !strings.Contains(got, `"keys":["a"]`) || !strings.Contains(got, `"limitSize":10240`) || !strings.Contains(got, `"currentSize":1`) {
		t.Fatalf("info: %s", got)
	}
}

// Two apps with the same key names never see each other's data: the namespace comes
// from the stamped sender.
func TestStorageIsolatesApps(t *testing.T) {
	w := storageWorld(t)
	other := copyApp(t, "testdata/notes", "test.other")
	a, pa, _ := w.run("testdata/notes")
	b, pb, _ := w.run(other)
	waitData(t, a, func(d map[string]any) bool { return true })
	waitData(t, b, func(d map[string]any) bool { return true })
	pa.tapDetail("write", map[string]any{"key": "secret", "value": "alice's"})
	if got := result(t, a); got != "setStorage:ok" {
		t.Fatal(got)
	}
	pb.tapDetail("readOther", map[string]any{"key": "secret"})
	if got := result(t, b); got != "getStorage:fail data not found" {
		t.Fatalf("app B read %q", got)
	}
	clearResult(t, a, pa)
	pa.tapDetail("readOther", map[string]any{"key": "secret"})
	if got := result(t, a); got != `read: "alice's"` {
		t.Fatalf("app A read %q", got)
	}
	if _, err := filepath.Abs(other); err != nil {
		t.Fatal(err)
	}
}

// Sharing: A publishes for B; B reads only after consent (here the policy answers, as in
// a kiosk); C, not named, reads nothing; a denial is remembered; every read is audited.
func TestSharingNeedsConsent(t *testing.T) {
	for _, c := range []struct {
		prompts     string
		first, then string
	}{
		{"allow", `shared: {"title":"hello"}`, `shared: {"title":"hello"}`},
		{"deny", "shareRead:fail auth deny", "shareRead:fail auth denied"},
	} {
		t.Run(c.prompts, func(t *testing.T) {
			w := storageWorld(t)
			w.cfg.Permissions.Prompts = c.prompts
			// Both apps were granted their share capabilities.
			for _, g := range []struct{ app, capability string }{{"test.notes", "share:publish"}, {"test.b", "share:read"}, {"test.c", "share:read"}} {
				if err := w.perms.Grant(perms.App{ID: g.app}, g.capability); err != nil {
					t.Fatal(err)
				}
			}
			a, pa, _ := w.run("testdata/notes")
			b, pb, _ := w.run(copyApp(t, "testdata/notes", "test.b"))
			cc, pc, _ := w.run(copyApp(t, "testdata/notes", "test.c"))
			for _, s := range []*Session{a, b, cc} {
				waitData(t, s, func(d map[string]any) bool { return true })
			}
			pa.tapDetail("publish", map[string]any{"name": "note", "value": map[string]any{"title": "hello"}, "to": []string{"test.b"}})
			if got := result(t, a); got != "sharePublish:ok" {
				t.Fatal(got)
			}
			read := map[string]any{"from": "test.notes", "name": "note"}
			pb.tapDetail("readShared", read)
			if got := result(t, b); got != c.first {
				t.Fatalf("first read: %q, want %q", got, c.first)
			}
			clearResult(t, b, pb)
			pb.tapDetail("readShared", read)
			if got := result(t, b); got != c.then {
				t.Fatalf("second read: %q, want %q", got, c.then)
			}
			if c.prompts == "allow" {
				pc.tapDetail("readShared", read)
				if got := result(t, cc); got != "shareRead:fail data not found" {
					t.Fatalf("an app not named read %q", got)
				}
			}
			e := w.waitAudit("test.b", func(e bridge.AuditEntry) bool { return e.Kind == "share" })
			if e.Capability != "share:read" || e.API != "shareRead" {
				t.Fatalf("audit line %+v", e)
			}
		})
	}
}
