package storage

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func wrappedKey(t *testing.T, s *Store, app string) []byte {
	t.Helper()
	var w []byte
	if err := rawDB(t, s, app).QueryRow("SELECT wrapped FROM meta").Scan(&w); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWipeLeavesNoResidue: after Wipe, nothing under the data, config and cache folders
// belongs to the app: no name holds its id, no file holds its id, a key name, a value
// or a ciphertext of it, or its wrapped key.
func TestWipeLeavesNoResidue(t *testing.T) {
	const app = "dev.example.wipeme"
	d := newDirs(t)
	os.MkdirAll(d.cache, 0o700) // the host's cache folder: storage must leave nothing there either
	s := openStore(t, d, nil)
	a := appStore(t, s, app)
	keep := appStore(t, s, "dev.example.keeper")
	secrets := []string{"wipeme-key-name", "wipeme-value-text", "ключ-удалить", "値を消す"}
	mustSet(t, a, secrets[0], `"`+secrets[1]+`"`)
	mustSet(t, a, secrets[2], `{"v":"`+secrets[3]+`"}`)
	for i := range 50 {
		mustSet(t, a, strings.Repeat("x", i), `"filler"`)
	}
	if err := s.RotateKey(app); err != nil { // two key versions' worth of history
		t.Fatal(err)
	}
	mustSet(t, keep, "mine", `"keeper's value"`)
	wrapped := wrappedKey(t, s, app)
	row := rowOf(t, s, app, secrets[0])

	// At rest, no key name or value is in plaintext anywhere.
	for p, content := range allFiles(t, d.data, d.config, d.cache) {
		for _, sec := range secrets {
			if bytes.Contains(content, []byte(sec)) {
				t.Errorf("%s holds %q in plaintext", p, sec)
			}
		}
	}
	// Before the wipe the scan must find the app, or it proves nothing.
	needles := [][]byte{[]byte(app), wrapped, row.value, row.name}
	for _, sec := range secrets {
		needles = append(needles, []byte(sec))
	}
	if !residue(t, d, app, needles) {
		t.Fatal("the scan finds nothing of the app before the wipe")
	}

	if err := s.Wipe(app); err != nil {
		t.Fatal(err)
	}
	if residue(t, d, app, needles) {
		t.Error("residue after Wipe")
	}
	if got := mustGet(t, keep, "mine"); got != `"keeper's value"` {
		t.Errorf("the other app lost data: %s", got)
	}
	if u, _ := s.Usage(); len(u) != 1 || u[0].App != "dev.example.keeper" {
		t.Errorf("Usage after wipe = %+v", u)
	}
	if ks, err := a.Keys(); err != nil || len(ks) != 0 {
		t.Errorf("the app's handle after Wipe: %v, %v", ks, err)
	}
	if err := s.Wipe(app); err != nil {
		t.Errorf("second Wipe: %v", err)
	}
	// The handle still works and starts from a new key.
	mustSet(t, a, "again", `1`)
	if bytes.Equal(wrappedKey(t, s, app), wrapped) {
		t.Error("the app's old key came back")
	}
}

// residue reports (and logs) every trace of the app under the three folders.
func residue(t *testing.T, d testDirs, app string, needles [][]byte) bool {
	t.Helper()
	found := false
	folder, _ := dirName(app)
	for _, root := range []string{d.data, d.config, d.cache} {
		filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if strings.Contains(e.Name(), app) || strings.Contains(e.Name(), folder) {
				t.Logf("name: %s", p)
				found = true
			}
			return nil
		})
	}
	for p, content := range allFiles(t, d.data, d.config, d.cache) {
		for _, n := range needles {
			if bytes.Contains(content, n) {
				t.Logf("content of %s holds %.40q", p, n)
				found = true
			}
		}
	}
	return found
}

func TestInterruptedWipeFinishedAtOpen(t *testing.T) {
	d := newDirs(t)
	s := openStore(t, d, nil)
	mustSet(t, appStore(t, s, "a"), "k", `1`)
	s.Close()
	// A crash after the rename and before the removal leaves a tombstone.
	if err := os.Rename(filepath.Join(d.data, "a"), filepath.Join(d.data, tombstonePrefix+"x")); err != nil {
		t.Fatal(err)
	}
	openStore(t, d, nil)
	if entries, _ := os.ReadDir(d.data); len(entries) != 1 || entries[0].Name() != checkFile {
		t.Errorf("left after Open: %v", entries)
	}
}

func TestRotateKey(t *testing.T) {
	const app = "dev.example.rotate"
	d := newDirs(t)
	s := openStore(t, d, nil)
	a := appStore(t, s, app)
	values := map[string]string{"a": `1`, "b": `"two"`, "ü": `{"x":[1,2]}`}
	for k, v := range values {
		mustSet(t, a, k, v)
	}
	oldWrapped := wrappedKey(t, s, app)
	oldRow := rowOf(t, s, app, "b")
	before, _ := a.Info()
	if err := s.RotateKey(app); err != nil {
		t.Fatal(err)
	}
	for k, v := range values {
		if got := mustGet(t, a, k); got != v {
			t.Errorf("%s after rotation = %s, want %s", k, got, v)
		}
	}
	if after, _ := a.Info(); after.CurrentSize != before.CurrentSize || len(after.Keys) != len(before.Keys) {
		t.Errorf("Info changed: %+v → %+v", before, after)
	}
	var version int64
	rawDB(t, s, app).QueryRow("SELECT key_version FROM meta").Scan(&version)
	if version != 2 {
		t.Errorf("key version %d, want 2", version)
	}
	newRow := rowOf(t, s, app, "b")
	if bytes.Equal(newRow.h, oldRow.h) {
		t.Error("the look-up hash did not change: the name key was not rotated")
	}
	// The old key and the old ciphertexts are gone from every file (WAL included).
	for p, content := range allFiles(t, d.data) {
		for _, old := range [][]byte{oldWrapped, oldRow.value, oldRow.name} {
			if bytes.Contains(content, old) {
				t.Errorf("%s still holds old key material or ciphertext", p)
			}
		}
	}
	// Another process sees the new key.
	s2 := openStore(t, d, nil)
	if got := mustGet(t, appStore(t, s2, app), "ü"); got != values["ü"] {
		t.Errorf("after reopen: %s", got)
	}
	if err := s.RotateKey("dev.example.none"); err == nil {
		t.Error("RotateKey of an app with no data succeeded")
	}
}

// A rotation that meets a row it cannot open changes nothing.
func TestRotateKeyAbortsOnTampering(t *testing.T) {
	const app = "dev.example.rotate"
	s := openStore(t, newDirs(t), nil)
	a := appStore(t, s, app)
	mustSet(t, a, "good", `1`)
	mustSet(t, a, "bad", `2`)
	r := rowOf(t, s, app, "bad")
	r.value[20] ^= 1
	putRow(t, s, app, r)
	wrapped := wrappedKey(t, s, app)
	if err := s.RotateKey(app); err == nil {
		t.Fatal("rotation over a tampered row succeeded")
	}
	if !bytes.Equal(wrappedKey(t, s, app), wrapped) {
		t.Error("a failed rotation changed the key")
	}
	if got := mustGet(t, a, "good"); got != "1" {
		t.Errorf("good row after a failed rotation: %s", got)
	}
}
