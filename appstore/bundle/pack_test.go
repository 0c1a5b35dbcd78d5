package bundle

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestRoundTrip: pack → open → verify → FS → extract gives back the files exactly.
func TestRoundTrip(t *testing.T) {
	key := testKey(t, 1)
	files := testFiles()
	z := packFiles(t, files, PackOptions{Key: key, MinShell: "0.5.0"})
	b, err := openBytes(z, Limits{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := b.Verify(key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	m := b.Manifest
	if m.AppID != "dev.test.app" || m.Version != "1.2.3" || m.MinShell != "0.5.0" || len(m.Files) != len(files) {
		t.Fatalf("manifest = %+v", m)
	}
	var names []string
	for p := range files {
		names = append(names, p)
	}
	if err := fstest.TestFS(b.FS(), names...); err != nil {
		t.Fatalf("FS: %v", err)
	}
	for p, want := range files {
		got, err := fs.ReadFile(b.FS(), p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("FS %s: %q, %v", p, got, err)
		}
	}

	dir := filepath.Join(t.TempDir(), "app")
	if err := b.Extract(dir); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	seen := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if fi.Mode().Perm() != 0o700 {
				t.Errorf("dir %s mode %v, want 0700", rel, fi.Mode().Perm())
			}
			return nil
		}
		seen++
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("file %s mode %v, want 0600", rel, fi.Mode().Perm())
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, files[filepath.ToSlash(rel)]) {
			t.Errorf("extracted %s differs", rel)
		}
		return nil
	})
	if err != nil || seen != len(files) {
		t.Fatalf("extracted %d files (%v), want %d", seen, err, len(files))
	}
}

// TestDeterministic: the same files give the same bytes, whatever their times, modes or
// the order the file system lists them; signing an unsigned bundle gives what packing
// with the key gives.
func TestDeterministic(t *testing.T) {
	key := testKey(t, 1)
	files := testFiles()
	dirA, dirB := writeTree(t, files), writeTree(t, files)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	filepath.WalkDir(dirB, func(p string, d fs.DirEntry, _ error) error {
		os.Chtimes(p, old, old)
		if !d.IsDir() {
			os.Chmod(p, 0o600)
		}
		return nil
	})
	pack := func(dir string, key ed25519.PrivateKey) []byte {
		var buf bytes.Buffer
		if _, err := Pack(dir, &buf, PackOptions{Key: key}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := pack(dirA, key), pack(dirB, key)
	if !bytes.Equal(a, b) {
		t.Fatal("packing the same files twice gave different bytes")
	}
	if again := pack(dirA, key); !bytes.Equal(a, again) {
		t.Fatal("packing the same directory twice gave different bytes")
	}
	unsigned := pack(dirA, nil)
	var signed bytes.Buffer
	if _, err := Sign(bytes.NewReader(unsigned), int64(len(unsigned)), &signed, key); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(signed.Bytes(), a) {
		t.Fatal("Sign(Pack unsigned) differs from Pack signed")
	}
}

func TestSignReplacesSigner(t *testing.T) {
	a, b := testKey(t, 1), testKey(t, 2)
	z := packFiles(t, testFiles(), PackOptions{Key: a})
	var out bytes.Buffer
	m, err := Sign(bytes.NewReader(z), int64(len(z)), &out, b)
	if err != nil {
		t.Fatal(err)
	}
	bpub := b.Public().(ed25519.PublicKey)
	if m.Signer != IDOf(bpub) {
		t.Errorf("Signer = %s", m.Signer)
	}
	got, err := openBytes(out.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Verify(bpub); err != nil {
		t.Errorf("Verify(new key): %v", err)
	}
	if err := got.Verify(a.Public().(ed25519.PublicKey)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("Verify(old key) = %v", err)
	}
	bad := bytes.Clone(z)
	bad[bytes.Index(bad, []byte("\x89PNG"))+5] ^= 0xff // inside the stored logo.png
	if _, err := Sign(bytes.NewReader(bad), int64(len(bad)), &out, b); err == nil {
		t.Error("Sign accepted a damaged bundle")
	}
	if _, err := Sign(bytes.NewReader(z), int64(len(z)), &out, nil); err == nil {
		t.Error("Sign without a key")
	}
}

func TestPackExcludesDotfiles(t *testing.T) {
	files := with(testFiles(), map[string][]byte{
		".git/config": []byte("[core]"), ".DS_Store": []byte("x"), "pages/.index.js.swp": []byte("x"),
	})
	b, err := openBytes(packFiles(t, files, PackOptions{}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range b.Manifest.Files {
		if strings.Contains(f.Path, "/.") || strings.HasPrefix(f.Path, ".") {
			t.Errorf("packed %s", f.Path)
		}
	}
	if len(b.Manifest.Files) != len(testFiles()) {
		t.Errorf("%d files packed, want %d", len(b.Manifest.Files), len(testFiles()))
	}
}

func TestPackRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(dir string)
		opts  PackOptions
		want  string
	}{
		{"symlink", func(dir string) { os.Symlink("/etc/passwd", filepath.Join(dir, "pw.js")) }, PackOptions{}, "pw.js: symlink"},
		{"symlinked directory", func(dir string) { os.Symlink("/etc", filepath.Join(dir, "etc")) }, PackOptions{}, "etc: symlink"},
		{"no app.json", func(dir string) { os.Remove(filepath.Join(dir, "app.json")) }, PackOptions{}, "no app.json"},
		{"no version", func(dir string) {
			os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"id":"dev.x"}`), 0o644)
		}, PackOptions{}, `"version" missing`},
		{"bad version", func(dir string) {
			os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"id":"dev.x","version":"1.0"}`), 0o644)
		}, PackOptions{}, `"version"`},
		{"no id", func(dir string) {
			os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"version":"1.0.0"}`), 0o644)
		}, PackOptions{}, `"id" missing`},
		{"broken app.json", func(dir string) {
			os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"id":`), 0o644)
		}, PackOptions{}, "app.json"},
		{"bad name", func(dir string) { os.WriteFile(filepath.Join(dir, "a*b.js"), nil, 0o644) }, PackOptions{}, "a*b.js"},
		{"names equal but for case", func(dir string) { os.WriteFile(filepath.Join(dir, "App.js"), nil, 0o644) }, PackOptions{}, "case-insensitive"},
		{"META directory", func(dir string) {
			os.Mkdir(filepath.Join(dir, "META"), 0o755)
			os.WriteFile(filepath.Join(dir, "META", "manifest.json"), nil, 0o644)
		}, PackOptions{}, "META/ is reserved"},
		{"fifo", func(dir string) { mkfifo(t, filepath.Join(dir, "pipe")) }, PackOptions{}, "pipe: symlink or special file"},
		{"bad minimum shell version", func(string) {}, PackOptions{MinShell: "new"}, "minimum shell version"},
		{"bad key", func(string) {}, PackOptions{Key: ed25519.PrivateKey(make([]byte, 64))}, "does not match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, testFiles())
			tc.setup(dir)
			var buf bytes.Buffer
			_, err := Pack(dir, &buf, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Pack = %v, want an error containing %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Pack wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

type fakeLinter struct {
	seen     []string
	blocking []string
}

func (l *fakeLinter) Lint(fsys fs.FS) ([]string, error) {
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			l.seen = append(l.seen, p)
		}
		return err
	})
	return l.blocking, nil
}

func TestPackLintCompileMinify(t *testing.T) {
	files := with(testFiles(), map[string][]byte{".eslintrc": []byte("{}")})
	dir := writeTree(t, files)

	block := &fakeLinter{blocking: []string{"app.js:1:1: no-eval: eval is not allowed"}}
	_, err := Pack(dir, &bytes.Buffer{}, PackOptions{Lint: block})
	if !errors.Is(err, ErrLint) || !strings.Contains(err.Error(), "no-eval") {
		t.Fatalf("blocking lint: %v", err)
	}
	if slices.Contains(block.seen, ".eslintrc") || len(block.seen) != len(testFiles()) {
		t.Errorf("linter saw %v", block.seen)
	}

	var compiled map[string]string
	compile := func(fsys fs.FS) error {
		compiled = map[string]string{}
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := fs.ReadFile(fsys, p)
				compiled[p] = string(data)
			}
			return err
		})
	}
	minJS := func(p string, src []byte) ([]byte, error) { return bytes.TrimSpace(src), nil }
	var buf bytes.Buffer
	if _, err := Pack(dir, &buf, PackOptions{Lint: &fakeLinter{}, Compile: compile, Minify: true, MinifyFile: minJS}); err != nil {
		t.Fatal(err)
	}
	if got := compiled["pages/index/index.json"]; got != `{"navigationBarTitleText":"Index"}` {
		t.Errorf("compile saw un-minified JSON %q", got)
	}
	if got := compiled["app.js"]; strings.HasSuffix(got, "\n") {
		t.Errorf("MinifyFile not applied to app.js: %q", got)
	}
	b, err := openBytes(buf.Bytes(), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := fs.ReadFile(b.FS(), "pages/index/index.json"); string(data) != compiled["pages/index/index.json"] {
		t.Errorf("bundle holds %q, not what Compile checked", data)
	}

	_, err = Pack(dir, &bytes.Buffer{}, PackOptions{Compile: func(fs.FS) error { return errors.New("index.wxml:3:5: unclosed <view>") }})
	if err == nil || !strings.Contains(err.Error(), "index.wxml:3:5") {
		t.Errorf("compile failure: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644)
	if _, err := Pack(dir, &bytes.Buffer{}, PackOptions{Minify: true}); err == nil || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("minify of broken JSON: %v", err)
	}
}

// TestPackHighlyCompressible: a file that deflate shrinks past the ratio limit is stored,
// so Pack never makes a bundle Open would take for a bomb.
func TestPackHighlyCompressible(t *testing.T) {
	files := with(testFiles(), map[string][]byte{"data/blank.json": make([]byte, 2<<20)})
	for i := range 30 { // each under the per-file slack, together past the archive ratio
		files[fmt.Sprintf("data/small%02d.txt", i)] = make([]byte, 60<<10)
	}
	z := packFiles(t, files, PackOptions{})
	if _, err := openBytes(z, Limits{}); err != nil {
		t.Fatalf("Open: %v", err)
	}
}

func TestExtractRefuses(t *testing.T) {
	b, err := openBytes(packFiles(t, testFiles(), PackOptions{}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()

	full := filepath.Join(tmp, "full")
	os.Mkdir(full, 0o700)
	os.WriteFile(filepath.Join(full, "keep"), []byte("mine"), 0o600)
	if err := b.Extract(full); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty dir: %v", err)
	}
	if ents, _ := os.ReadDir(full); len(ents) != 1 {
		t.Errorf("refused extract changed the dir: %v", ents)
	}

	target := filepath.Join(tmp, "target")
	os.Mkdir(target, 0o700)
	link := filepath.Join(tmp, "link")
	os.Symlink(target, link)
	if err := b.Extract(link); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("symlinked dir: %v", err)
	}
	if ents, _ := os.ReadDir(target); len(ents) != 0 {
		t.Errorf("extract followed the symlink: %v", ents)
	}

	file := filepath.Join(tmp, "file")
	os.WriteFile(file, nil, 0o600)
	if err := b.Extract(file); err == nil {
		t.Error("extract into a file")
	}
	if err := b.Extract(filepath.Join(tmp, "no", "parent")); err == nil {
		t.Error("extract with a missing parent")
	}

	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o755)
	if err := b.Extract(empty); err != nil {
		t.Fatalf("empty existing dir: %v", err)
	}
	if fi, _ := os.Stat(empty); fi.Mode().Perm() != 0o700 {
		t.Errorf("existing dir left mode %v", fi.Mode().Perm())
	}
}

// TestExtractCleansUp: a write failing half way leaves nothing behind: a directory
// Extract made is gone, an empty one it was given is empty again.
func TestExtractCleansUp(t *testing.T) {
	b, err := openBytes(packFiles(t, testFiles(), PackOptions{}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	writeFile = func(root *os.Root, name string, data []byte) error {
		if n++; n == 4 {
			return errors.New("disk full")
		}
		return writeNew(root, name, data)
	}
	defer func() { writeFile = writeNew }()

	made := filepath.Join(t.TempDir(), "app")
	if err := b.Extract(made); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Extract = %v", err)
	}
	if _, err := os.Lstat(made); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("half-extracted dir left behind: %v", err)
	}

	n = 0
	given := t.TempDir()
	if err := b.Extract(given); err == nil {
		t.Fatal("Extract succeeded")
	}
	if ents, _ := os.ReadDir(given); len(ents) != 0 {
		t.Errorf("left %v in the given dir", ents)
	}
}
