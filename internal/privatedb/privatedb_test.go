package privatedb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenMakesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b?#c")
	path := filepath.Join(dir, "x.db")
	db, abs, err := Open(path, Normal)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q, %v", mode, err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, abs: 0o600} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != want {
			t.Fatalf("%s: mode %v, %v; want %v", p, st.Mode().Perm(), err, want)
		}
	}
}

func TestOpenTightensAndRefuses(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "loose.db")
	os.WriteFile(loose, nil, 0o644)
	db, _, err := Open(loose, Full)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, _ := os.Stat(loose); st.Mode().Perm() != 0o600 {
		t.Fatalf("loose file left %v", st.Mode().Perm())
	}
	if _, _, err := Open(dir, Normal); err == nil || !strings.Contains(err.Error(), "regular file") && !strings.Contains(err.Error(), "directory") {
		t.Fatalf("a directory as database: %v", err)
	}
	if _, _, err := Open("", Normal); err == nil {
		t.Fatal("empty path accepted")
	}
}
