package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuarantinePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data?#dir", "quarantine.db") // URI characters in the path
	q, err := OpenQuarantine(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range [][2]string{{"dev.a", ReasonDenied}, {"dev.b", ReasonViolations}, {"dev.a", ReasonRateLimited}} {
		if err := q.Quarantine(e[0], e[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Quarantine("", ReasonDenied); err == nil {
		t.Error("Quarantine with an empty app id succeeded")
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened (a new shell run): still quarantined, latest reason wins.
	q, err = OpenQuarantine(path)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for _, tc := range []struct {
		app, reason string
		ok          bool
	}{
		{"dev.a", ReasonRateLimited, true},
		{"dev.b", ReasonViolations, true},
		{"dev.c", "", false},
	} {
		if reason, ok := q.Quarantined(tc.app); reason != tc.reason || ok != tc.ok {
			t.Errorf("Quarantined(%s) = %q, %v; want %q, %v", tc.app, reason, ok, tc.reason, tc.ok)
		}
	}
	list, err := q.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].App != "dev.b" || list[1].App != "dev.a" || list[1].Since.IsZero() {
		t.Errorf("List = %+v, want dev.b then dev.a (re-quarantined later)", list)
	}

	if err := q.Release("dev.a"); err != nil {
		t.Fatal(err)
	}
	if err := q.Release("dev.never"); err != nil {
		t.Errorf("Release of an app not quarantined: %v", err)
	}
	if _, ok := q.Quarantined("dev.a"); ok {
		t.Error("dev.a still quarantined after Release")
	}

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", fi.Mode().Perm())
	}
	var mode string
	if err := q.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
}

func TestQuarantineFailsClosed(t *testing.T) {
	q, err := OpenQuarantine(filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	reason, ok := q.Quarantined("dev.a")
	if !ok || !strings.Contains(reason, "unreadable") {
		t.Errorf("Quarantined on a closed store = %q, %v; want quarantined with the error", reason, ok)
	}
}

func TestOpenQuarantineErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenQuarantine(""); err == nil {
		t.Error("empty path accepted")
	}
	if _, err := OpenQuarantine(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("a directory as the database: %v", err)
	}
}

// TestQuarantineRekey: an entry kept under a bare id moves to the app's identity key,
// and an unsigned twin's identity stays free.
func TestQuarantineRekey(t *testing.T) {
	q, err := OpenQuarantine(filepath.Join(t.TempDir(), "quarantine.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	const signed, twin = "dev.a@0123456789abcdef", "dev.a@unverified"
	if err := q.Quarantine("dev.a", ReasonDenied); err != nil {
		t.Fatal(err)
	}
	if err := q.Rekey("dev.a", signed); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Quarantined("dev.a"); ok {
		t.Error("the bare id is still quarantined")
	}
	if r, ok := q.Quarantined(signed); !ok || r != ReasonDenied {
		t.Errorf("identity: %q, %v", r, ok)
	}
	if _, ok := q.Quarantined(twin); ok {
		t.Error("the twin's identity is quarantined")
	}
}
