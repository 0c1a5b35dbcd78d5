package storage

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	goleak.VerifyTestMain(m)
}

// testDirs is one temporary "home": the data, config and cache folders of the shell.
type testDirs struct{ data, config, cache string }

func newDirs(t testing.TB) testDirs {
	root := t.TempDir()
	return testDirs{
		data:   filepath.Join(root, "data", "sandframe", "storage"),
		config: filepath.Join(root, "config", "sandframe"),
		cache:  filepath.Join(root, "cache", "sandframe"),
	}
}

func (d testDirs) config_(mod func(*Config)) Config {
	cfg := Config{
		Dir: d.data, ConfigDir: d.config, Keyring: &FileKeyring{Dir: d.config},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if mod != nil {
		mod(&cfg)
	}
	return cfg
}

func openStore(t testing.TB, d testDirs, mod func(*Config)) *Store {
	t.Helper()
	s, err := Open(d.config_(mod))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func appStore(t testing.TB, s *Store, app string) *AppStore {
	t.Helper()
	a, err := s.App(app)
	if err != nil {
		t.Fatalf("App(%q): %v", app, err)
	}
	return a
}

func mustSet(t testing.TB, a *AppStore, key, value string) {
	t.Helper()
	if err := a.Set(key, json.RawMessage(value)); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func mustGet(t testing.TB, a *AppStore, key string) string {
	t.Helper()
	v, err := a.Get(key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return string(v)
}

// rawDB opens an app's database file directly, as an attacker with the disk would.
func rawDB(t testing.TB, s *Store, app string) *sql.DB {
	t.Helper()
	name, err := dirName(app)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", dsn(filepath.Join(s.dir, name, dbFile), true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// allFiles reads every regular file under the roots: name → content.
func allFiles(t testing.TB, roots ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
			if os.IsNotExist(err) {
				return nil
			}
			if err != nil || !e.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			out[p] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}
