package privatedb

import (
	"context"
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

// TestScrubLeavesNoDeletedRow deletes the rows naming one app from a WITHOUT ROWID
// table big enough to have interior pages, and finds the app's name nowhere in the
// database's files afterwards: not in a free page, a divider key or the WAL.
func TestScrubLeavesNoDeletedRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db, abs, err := Open(path, Normal)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sd int
	if err := db.QueryRow("PRAGMA secure_delete").Scan(&sd); err != nil || sd != 1 {
		t.Fatalf("secure_delete = %d, %v; want 1", sd, err)
	}
	if _, err := db.Exec("CREATE TABLE t (app TEXT, n INTEGER, v TEXT, PRIMARY KEY (app, n)) WITHOUT ROWID"); err != nil {
		t.Fatal(err)
	}
	const gone = "dev.example.gone@unverified"
	for i := 0; i < 2000; i++ {
		app := "dev.example.kept@unverified"
		if i%3 == 0 {
			app = gone
		}
		if _, err := db.Exec("INSERT INTO t VALUES (?, ?, ?)", app, i, strings.Repeat("v", 40)); err != nil {
			t.Fatal(err)
		}
	}
	residue := func() int {
		n := 0
		for _, p := range []string{abs, abs + "-wal"} {
			raw, _ := os.ReadFile(p)
			n += strings.Count(string(raw), gone)
		}
		return n
	}
	if residue() == 0 {
		t.Fatal("the scan finds nothing before the delete: it cannot fail")
	}
	if _, err := db.Exec("DELETE FROM t WHERE app = ?", gone); err != nil {
		t.Fatal(err)
	}
	if busy, err := Scrub(context.Background(), db); err != nil || busy {
		t.Fatalf("Scrub: busy %v, %v", busy, err)
	}
	if n := residue(); n != 0 {
		t.Fatalf("%d copies of %s left in the files", n, gone)
	}
	var kept int
	if err := db.QueryRow("SELECT count(*) FROM t").Scan(&kept); err != nil || kept != 1333 {
		t.Fatalf("kept %d rows, %v", kept, err)
	}
}

// BenchmarkDeleteAndScrub is what a wipe costs one of the shell's small databases:
// a delete and a Scrub, on a table of 200 rows.
func BenchmarkDeleteAndScrub(b *testing.B) {
	for _, sync := range []Sync{Normal, Full} {
		b.Run(string(sync), func(b *testing.B) {
			db, _, err := Open(filepath.Join(b.TempDir(), "x.db"), sync)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.Exec("CREATE TABLE t (app TEXT, n INTEGER, PRIMARY KEY (app, n)) WITHOUT ROWID")
			for i := 0; i < 200; i++ {
				db.Exec("INSERT INTO t VALUES ('kept', ?)", i)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				db.Exec("INSERT INTO t VALUES ('gone', ?)", i)
				db.Exec("DELETE FROM t WHERE app = 'gone'")
				if _, err := Scrub(context.Background(), db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
