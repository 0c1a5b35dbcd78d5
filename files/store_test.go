package files

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

const appKey = "dev.example.notes@unverified"

func newStore(t *testing.T, cfg Config) *Store {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(t.TempDir(), "files")
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var bundle = fstest.MapFS{"images/logo.png": {Data: pngBytes(4, 2)}, "app.json": {Data: []byte(`{}`)}}

func pngBytes(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// errText is the failure's text, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestFileSystemRoundTrip: the FileSystemManager's methods through the registry, each
// with the app's own folder, the encodings, and WeChat's texts for what fails.
func TestFileSystemRoundTrip(t *testing.T) {
	s := newStore(t, Config{})
	h := &fakeHost{af: s.App(appKey, AppOptions{Bundle: bundle, Limit: 1 << 20})}
	must := func(name, args string) map[string]any {
		t.Helper()
		res, err := call(t, h, name, args)
		if err != nil {
			t.Fatalf("%s %s: %v", name, args, err)
		}
		return res
	}
	must("fs.mkdir", `{"dirPath":"wxfile://usr/a/b","recursive":true}`)
	must("fs.writeFile", `{"filePath":"wxfile://usr/a/b/note.txt","data":"héllo"}`)
	must("fs.appendFile", `{"filePath":"wxfile://usr/a/b/note.txt","data":"IQ==","encoding":"base64"}`)
	for enc, want := range map[string]string{"utf8": "héllo!", "utf-8": "héllo!", "base64": "aMOpbGxvIQ==",
		"hex": "68c3a96c6c6f21", "binary": "h\u00c3\u00a9llo!"} {
		if got := must("fs.readFile", `{"filePath":"wxfile://usr/a/b/note.txt","encoding":"`+enc+`"}`)["data"]; got != want {
			t.Errorf("readFile %s = %q, want %q", enc, got, want)
		}
	}
	// No encoding: an ArrayBuffer, which crosses as base64.
	if got := must("fs.readFileSync", `{"filePath":"wxfile://usr/a/b/note.txt","position":1,"length":2}`)["data"]; got != "w6k=" {
		t.Errorf("readFile range = %q", got)
	}
	st := must("fs.stat", `{"path":"wxfile://usr/a/b/note.txt"}`)["stats"].(map[string]any)
	if st["size"] != int64(7) || st["dir"] != false {
		t.Errorf("stat = %v", st)
	}
	rec := must("fs.stat", `{"path":"wxfile://usr/a","recursive":true}`)["stats"].([]map[string]any)
	if len(rec) != 3 || rec[0]["path"] != "/" || rec[2]["path"] != "/b/note.txt" {
		t.Errorf("recursive stat = %v", rec)
	}
	if got := must("fs.readdir", `{"dirPath":"wxfile://usr/a/b"}`)["files"].([]string); len(got) != 1 || got[0] != "note.txt" {
		t.Errorf("readdir = %v", got)
	}
	must("fs.copyFile", `{"srcPath":"/images/logo.png","destPath":"wxfile://usr/logo.png"}`)
	must("fs.rename", `{"oldPath":"wxfile://usr/logo.png","newPath":"wxfile://usr/a/logo.png"}`)
	must("fs.access", `{"path":"wxfile://usr/a/logo.png"}`)
	sum := md5.Sum([]byte("héllo!"))
	if got := must("getFileInfo", `{"filePath":"wxfile://usr/a/b/note.txt"}`); got["size"] != 7 || got["digest"] != hex.EncodeToString(sum[:]) {
		t.Errorf("getFileInfo = %v", got)
	}
	if got := must("fs.readdir", `{"dirPath":"/images"}`)["files"].([]string); len(got) != 1 || got[0] != "logo.png" {
		t.Errorf("readdir of the bundle = %v", got)
	}

	for _, tc := range []struct{ name, args, want string }{
		{"fs.readFile", `{"filePath":"wxfile://usr/none.txt"}`, "no such file or directory, open wxfile://usr/none.txt"},
		{"fs.readFile", `{}`, "parameter error: parameter.filePath should be String instead of Undefined;"},
		{"fs.readFile", `{"filePath":"wxfile://usr/a"}`, "illegal operation on a directory, open wxfile://usr/a"},
		{"fs.readFile", `{"filePath":"wxfile://usr/a/b/note.txt","encoding":"utf32"}`, `invalid encoding "utf32"`},
		{"fs.mkdir", `{"dirPath":"wxfile://usr/a"}`, "file already exists, mkdir wxfile://usr/a"},
		{"fs.mkdir", `{"dirPath":"wxfile://usr/x/y"}`, "no such file or directory, mkdir wxfile://usr/x/y"},
		{"fs.rmdir", `{"dirPath":"wxfile://usr/a"}`, "directory not empty, rmdir wxfile://usr/a"},
		{"fs.unlink", `{"filePath":"wxfile://usr/a"}`, "operation not permitted, unlink wxfile://usr/a"},
		{"fs.access", `{"path":"wxfile://usr/nope"}`, "no such file or directory, access wxfile://usr/nope"},
		{"fs.writeFile", `{"filePath":"wxfile://usr/x/y.txt","data":"1"}`, "no such file or directory, open wxfile://usr/x/y.txt"},
		{"fs.writeFile", `{"filePath":"wxfile://usr","data":"1"}`, "permission denied, open wxfile://usr"},
		{"fs.writeFile", `{"filePath":"wxfile://usr/a.txt","data":{}}`, "parameter error: parameter.data should be String instead of Object;"},
	} {
		_, err := call(t, h, tc.name, tc.args)
		if errText(err) != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.name, tc.args, errText(err), tc.want)
		}
	}
	must("fs.unlink", `{"filePath":"wxfile://usr/a/b/note.txt"}`)
	must("fs.rmdir", `{"dirPath":"wxfile://usr/a","recursive":true}`)
	if got := must("fs.readdir", `{"dirPath":"wxfile://usr"}`)["files"].([]string); len(got) != 0 {
		t.Errorf("after rmdir: %v", got)
	}
}

// TestNoPathEscapes: "..", absolute paths, other schemes and symbolic links name
// nothing outside the app's folder; another app's paths are not this app's.
func TestNoPathEscapes(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(root, "secret.txt")
	os.WriteFile(secret, []byte("secret"), 0o600)
	s := newStore(t, Config{Dir: filepath.Join(root, "files")})
	a := s.App(appKey, AppOptions{Bundle: bundle})
	b := s.App("dev.example.other@unverified", AppOptions{})
	if err := a.WriteFile("wxfile://usr/mine.txt", []byte("mine"), false); err != nil {
		t.Fatal(err)
	}
	// A link planted in the app's folder (the app cannot make one) leads nowhere.
	if err := os.Symlink(secret, filepath.Join(s.cfg.Dir, folder(appKey), "usr", "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(s.cfg.Dir, folder(appKey), "usr", "dirlink")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"wxfile://usr/../../secret.txt", "wxfile://usr/a/../../../secret.txt", "../secret.txt",
		"/../../secret.txt", "file://" + secret, "http://example.com/x", "wxfile://usr/link", "wxfile://usr/dirlink/secret.txt"} {
		if got, err := a.ReadFile(p); err == nil || !strings.HasPrefix(err.Error(), ReasonPermission) {
			t.Errorf("read %s: %q, %v; want permission denied", p, got, err)
		}
	}
	for _, p := range []string{secret, "/etc/passwd", "wxfile://tmp_../../secret.txt", "wxfile://other/x", "wxfile://usrx"} {
		if got, err := a.ReadFile(p); err == nil || !strings.HasPrefix(err.Error(), ReasonNotExist) {
			t.Errorf("read %s: %q, %v; want no such file", p, got, err)
		}
	}
	for _, p := range []string{secret, "/etc/x", "wxfile://usr/../x", "wxfile://tmp_x.png", "wxfile://store_x", "wxfile://usr/dirlink/x"} {
		if err := a.WriteFile(p, []byte("x"), false); err == nil || !strings.HasPrefix(err.Error(), ReasonPermission) && !strings.HasPrefix(err.Error(), ReasonNotExist) {
			t.Errorf("write %s: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "x")); err == nil {
		t.Error("a write reached outside the app's folder")
	}
	if raw, _ := os.ReadFile(secret); string(raw) != "secret" {
		t.Error("the secret changed")
	}
	if _, err := b.ReadFile("wxfile://usr/mine.txt"); err == nil {
		t.Error("another app read this app's file")
	}
	tmp, err := a.WriteTemp(".png", pngBytes(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReadFile(tmp); err == nil {
		t.Error("another app read this app's temporary file")
	}
	// No file or folder name in the store names the app.
	filepath.WalkDir(s.cfg.Dir, func(p string, d fs.DirEntry, _ error) error {
		if strings.Contains(p, "notes") {
			t.Errorf("%s names the app", p)
		}
		return nil
	})
}

// TestQuota: user and saved files count against the app's storage quota together with
// what its storage holds; temporary files have their own bounds, the oldest going first.
func TestQuota(t *testing.T) {
	s := newStore(t, Config{MaxTempFiles: 3, MaxTempBytes: 1 << 20})
	kv := int64(40)
	a := s.App(appKey, AppOptions{Limit: 100, Used: func() int64 { return kv }})
	if err := a.WriteFile("wxfile://usr/a", make([]byte, 50), false); err != nil {
		t.Fatal(err)
	}
	err := a.WriteFile("wxfile://usr/b", make([]byte, 11), false)
	if err == nil || err.Error() != ReasonQuota {
		t.Fatalf("past the quota: %v", err)
	}
	if _, err := call(t, &fakeHost{af: a}, "fs.appendFile", `{"filePath":"wxfile://usr/a","data":"0123456789ab"}`); err == nil || err.Error() != ReasonQuota {
		t.Errorf("append past the quota: %v", err)
	}
	if err := a.WriteFile("wxfile://usr/a", make([]byte, 60), false); err != nil {
		t.Errorf("rewriting a file counts its new size only: %v", err)
	}
	kv = 0
	var temps []string
	for i := 0; i < 5; i++ {
		p, err := a.WriteTemp(".bin", make([]byte, 30))
		if err != nil {
			t.Fatal(err)
		}
		temps = append(temps, p)
	}
	for i, p := range temps {
		_, err := a.ReadFile(p)
		if (err == nil) != (i >= 2) {
			t.Errorf("temp %d: %v (the three newest stay)", i, err)
		}
	}
	// Saving a temporary file makes it count.
	kv = 40
	if _, err := a.SaveFile(temps[4], ""); err == nil || err.Error() != ReasonQuota {
		t.Errorf("save past the quota: %v", err)
	}
	if a.Usage() != 60 {
		t.Errorf("usage %d", a.Usage())
	}
}

// TestSavedFilesAndWipe: saveFile moves a temporary file into the saved files; the
// session's end clears temp only; the one wipe removes everything of that app only.
func TestSavedFilesAndWipe(t *testing.T) {
	s := newStore(t, Config{})
	a := s.App(appKey, AppOptions{})
	other := s.App("dev.example.other@unverified", AppOptions{})
	h := &fakeHost{af: a}
	tmp, _ := a.WriteTemp(".txt", []byte("saved"))
	res, err := call(t, h, "saveFile", `{"tempFilePath":"`+tmp+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	saved := res["savedFilePath"].(string)
	if !strings.HasPrefix(saved, "wxfile://store_") || !strings.HasSuffix(saved, ".txt") {
		t.Errorf("saved as %s", saved)
	}
	if _, err := a.ReadFile(tmp); err == nil {
		t.Error("the temporary file is still there")
	}
	list, _ := call(t, h, "getSavedFileList", `{}`)
	if fl := list["fileList"].([]SavedFile); len(fl) != 1 || fl[0].FilePath != saved || fl[0].Size != 5 {
		t.Errorf("saved list %v", fl)
	}
	if _, err := call(t, h, "fs.saveFile", `{"tempFilePath":"wxfile://usr/x"}`); err == nil || !strings.HasPrefix(err.Error(), ReasonPermission) {
		t.Errorf("saving a user file: %v", err)
	}
	tmp2, _ := a.WriteTemp(".txt", []byte("temp"))
	other.WriteFile("wxfile://usr/keep", []byte("keep"), false)
	a.WriteFile("wxfile://usr/mine", []byte("mine"), false)

	if err := s.EndSession(appKey); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadFile(tmp2); err == nil {
		t.Error("the session ended, its temporary file stayed")
	}
	if _, err := a.ReadFile(saved); err != nil {
		t.Errorf("the session's end took a saved file: %v", err)
	}
	if _, err := call(t, h, "removeSavedFile", `{"filePath":"`+saved+`"}`); err != nil {
		t.Error(err)
	}
	for _, scope := range []appdata.Scope{appdata.Session, appdata.Data, appdata.Uninstall} {
		a.WriteFile("wxfile://usr/mine", []byte("mine"), false)
		if err := s.AppData().Wipe(context.Background(), identity.Unverified("dev.example.notes"), scope); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(s.cfg.Dir, folder(appKey))); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s wipe left the app's folder: %v", scope, err)
		}
	}
	if b, err := other.ReadFile("wxfile://usr/keep"); err != nil || string(b) != "keep" {
		t.Errorf("another app lost its file: %q %v", b, err)
	}
}

func TestEncodings(t *testing.T) {
	for _, enc := range []string{"utf8", "base64", "hex", "latin1", "ascii", "ucs2", ""} {
		in := []byte("h\x00i\x7f")
		got, err := decodeData(encodeData(in, enc), enc)
		if err != nil || (!bytes.Equal(got, in) && enc != "utf8") {
			t.Errorf("%s: %q %v", enc, got, err)
		}
	}
	if b, _ := decodeData("hé", "ucs2"); !bytes.Equal(b, []byte{'h', 0, 0xe9, 0}) {
		t.Errorf("ucs2 %v", b)
	}
	if _, err := json.Marshal(encodeData([]byte{0xff}, "utf8")); err != nil {
		t.Error(err)
	}
}
