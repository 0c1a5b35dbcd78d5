package perms

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/internal/identity"
)

func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := OpenStore(filepath.Join(t.TempDir(), "perms", "grants.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustGet(t testing.TB, s *Store, app, signer, cp string) Decision {
	t.Helper()
	d, err := s.Get(app, signer, cp)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStoreReopenPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "grants.db")
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := mustGet(t, s, "dev.todo", "acme", "clipboard:read"); d != DecisionAsk {
		t.Fatalf("fresh store: %q, want ask", d)
	}
	for cp, d := range map[string]Decision{"clipboard:read": DecisionGranted, "location:read": DecisionDenied, "file:pick": DecisionOnce} {
		if err := s.Set("dev.todo", "acme", cp, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for cp, want := range map[string]Decision{"clipboard:read": DecisionGranted, "location:read": DecisionDenied,
		"file:pick": DecisionOnce, "file:save": DecisionAsk} {
		if got := mustGet(t, s, "dev.todo", "acme", cp); got != want {
			t.Errorf("after reopen %s = %q, want %q", cp, got, want)
		}
	}
}

func TestStoreFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "grants.db")
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Set("x", "", "clipboard:read", DecisionGranted); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700}, {filepath.Dir(dir), 0o700}, {path, 0o600}, {path + "-wal", 0o600}, {path + "-shm", 0o600}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != c.want {
			t.Errorf("%s mode %v, want %v", c.path, fi.Mode().Perm(), c.want)
		}
	}
}

func TestStoreTightensLooseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grants.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestStorePerSigner(t *testing.T) {
	s := openTestStore(t)
	if err := s.Set("dev.todo", "acme", "clipboard:read", DecisionGranted); err != nil {
		t.Fatal(err)
	}
	if d := mustGet(t, s, "dev.todo", "evil", "clipboard:read"); d != DecisionAsk {
		t.Errorf("another signer sees %q, want ask", d)
	}
	if d := mustGet(t, s, "dev.todo", "", "clipboard:read"); d != DecisionAsk {
		t.Errorf("the unsigned build sees %q, want ask", d)
	}
	if d := mustGet(t, s, "dev.other", "acme", "clipboard:read"); d != DecisionAsk {
		t.Errorf("another app sees %q, want ask", d)
	}
	if d := mustGet(t, s, "dev.todo", "acme", "clipboard:read"); d != DecisionGranted {
		t.Errorf("same signer sees %q, want granted", d)
	}
}

func TestStoreListResetAndForget(t *testing.T) {
	s := openTestStore(t)
	set := func(app, signer, cp string, d Decision) {
		t.Helper()
		if err := s.Set(app, signer, cp, d); err != nil {
			t.Fatal(err)
		}
	}
	set("b.app", "k2", "location:read", DecisionDenied)
	set("a.app", "k1", "clipboard:write", DecisionGranted)
	set("a.app", "k1", "clipboard:read", DecisionOnce)
	set("a.app", "k0", "clipboard:read", DecisionGranted)
	set("a.app", "k1", "clipboard:read", DecisionGranted) // update, not a second row

	key := func(gs []Grant) string {
		var b strings.Builder
		for _, g := range gs {
			fmt.Fprintf(&b, "%s/%s/%s=%s;", g.App, g.Signer, g.Capability, g.Decision)
			if g.Updated.IsZero() || time.Since(g.Updated) > time.Hour {
				t.Errorf("%+v: Updated not set", g)
			}
		}
		return b.String()
	}
	all, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := key(all), "a.app/k0/clipboard:read=granted;a.app/k1/clipboard:read=granted;a.app/k1/clipboard:write=granted;b.app/k2/location:read=denied;"; got != want {
		t.Errorf("List(\"\") = %s\nwant %s", got, want)
	}
	one, err := s.List("b.app")
	if err != nil {
		t.Fatal(err)
	}
	if got := key(one); got != "b.app/k2/location:read=denied;" {
		t.Errorf("List(b.app) = %s", got)
	}

	set("a.app", "k1", "clipboard:write", DecisionAsk) // ask forgets
	if d := mustGet(t, s, "a.app", "k1", "clipboard:write"); d != DecisionAsk {
		t.Errorf("after Set(ask): %q", d)
	}
	if err := s.Reset("a.app"); err != nil {
		t.Fatal(err)
	}
	rest, _ := s.List("")
	if got := key(rest); got != "b.app/k2/location:read=denied;" {
		t.Errorf("after Reset(a.app): %s", got)
	}
	if err := s.Reset(""); err == nil {
		t.Error("Reset(\"\") succeeded")
	}
}

func TestStoreRejectsBadKeys(t *testing.T) {
	s := openTestStore(t)
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"empty app", s.Set("", "k", "clipboard:read", DecisionGranted), "app id is empty"},
		{"unknown capability", s.Set("a", "k", "fs:read", DecisionGranted), `unknown capability "fs:read"`},
		{"bad decision", s.Set("a", "k", "clipboard:read", "maybe"), `invalid decision "maybe"`},
		{"get unknown", func() error { _, err := s.Get("a", "k", "x"); return err }(), `unknown capability "x"`},
		{"take unknown", func() error { _, err := s.TakeOnce("a", "k", "x"); return err }(), `unknown capability "x"`},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, tt.err, tt.want)
		}
	}
}

func TestStoreOpenErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, []byte(strings.Repeat("this is not a database\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	isDir := filepath.Join(dir, "adir")
	if err := os.Mkdir(isDir, 0o700); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tt := range []struct {
		name, path, want string
	}{
		{"corrupt", corrupt, "not a database"},
		{"parent is a file", filepath.Join(notDir, "grants.db"), "not a directory"},
		{"path is a directory", isDir, "is a directory"},
		{"newer schema", newer, "schema version 99 is newer"},
		{"empty", "", "empty path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := OpenStore(tt.path)
			if err == nil {
				s.Close()
				t.Fatalf("OpenStore(%q) succeeded", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
				t.Fatalf("OpenStore(%q) = %q, want the path and %q", tt.path, err, tt.want)
			}
		})
	}
	// The corrupt file is left as it was.
	b, _ := os.ReadFile(corrupt)
	if !strings.HasPrefix(string(b), "this is not a database") {
		t.Error("the corrupt file was changed")
	}
}

func TestStoreConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grants.db")
	a, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenStore(path) // a second handle, as another process would have
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	caps := []string{"clipboard:read", "clipboard:write", "location:read", "file:pick"}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 8; w++ {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func(w int, s *Store) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				cp := caps[(w+i)%len(caps)]
				app := fmt.Sprintf("app%d", i%3)
				d := []Decision{DecisionGranted, DecisionDenied, DecisionOnce, DecisionAsk}[(w*i)%4]
				if err := s.Set(app, "k", cp, d); err != nil {
					errs <- err
					return
				}
				if _, err := s.Get(app, "k", cp); err != nil {
					errs <- err
					return
				}
				if _, err := s.List(app); err != nil {
					errs <- err
					return
				}
			}
		}(w, s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestStoreTakeOnceExactlyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "grants.db")
	a, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for round := 0; round < 5; round++ {
		if err := a.Set("x", "k", "location:read", DecisionOnce); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		took := 0
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			s := []*Store{a, b}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.TakeOnce("x", "k", "location:read")
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					took++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if took != 1 {
			t.Fatalf("round %d: %d callers took the once grant", round, took)
		}
		if d := mustGet(t, a, "x", "k", "location:read"); d != DecisionAsk {
			t.Fatalf("after take: %q", d)
		}
	}
	// A grant that is not "once" cannot be taken.
	if err := a.Set("x", "k", "location:read", DecisionGranted); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.TakeOnce("x", "k", "location:read"); ok {
		t.Fatal("took a permanent grant")
	}
}

// TestStoreIdentities: resetting one identity of an id leaves the others' decisions
// (an unsigned twin's reset does not touch the signed app's standing, nor the reverse),
// and Rekey moves decisions kept under a publisher's name to its key id.
func TestStoreIdentities(t *testing.T) {
	s := openTestStore(t)
	const key = "0123456789abcdef"
	signed, twin := identity.Signed("dev.a", key), identity.Unverified("dev.a")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Set("dev.a", "Acme", "clipboard:write", DecisionGranted)) // an older shell's row
	must(s.Set("dev.a", key, "location:read", DecisionDenied))
	must(s.Set("dev.a", "", "clipboard:write", DecisionDenied))
	must(s.Rekey(signed, "Acme"))
	if d, _ := s.Get("dev.a", key, "clipboard:write"); d != DecisionGranted {
		t.Errorf("after Rekey: %q", d)
	}
	if list, _ := s.List("dev.a"); len(list) != 3 {
		t.Errorf("rows after Rekey: %+v", list)
	}
	must(s.ResetIdentity(twin))
	if d, _ := s.Get("dev.a", key, "location:read"); d != DecisionDenied {
		t.Errorf("the twin's reset took the signed app's decision: %q", d)
	}
	if d, _ := s.Get("dev.a", "", "clipboard:write"); d != DecisionAsk {
		t.Errorf("the twin's decision survived its reset: %q", d)
	}
	must(s.ResetIdentity(signed))
	if list, _ := s.List("dev.a"); len(list) != 0 {
		t.Errorf("rows after both resets: %+v", list)
	}
}

// TestStorePoolIsBounded: a burst of concurrent checks does not grow the connection
// pool past maxConns, and the connections it keeps stay open (the soak found closed
// extras leaving descriptors behind).
func TestStorePoolIsBounded(t *testing.T) {
	s, err := OpenStore(filepath.Join(t.TempDir(), "perms.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := s.Get(fmt.Sprintf("app%d", i%8), "k", "location:read"); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	st := s.db.Stats()
	if st.MaxOpenConnections != maxConns || st.OpenConnections > maxConns {
		t.Fatalf("pool: %d open, limit %d; want at most %d", st.OpenConnections, st.MaxOpenConnections, maxConns)
	}
	if st.MaxIdleClosed != 0 {
		t.Fatalf("%d connections were closed for being idle beyond the limit", st.MaxIdleClosed)
	}
}
