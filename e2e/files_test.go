package e2e

import (
	"bytes"
	"encoding/pem"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func filesPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{0, 120, 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// TestFileAPIs: the FileSystemManager in the app's own folder (round trip, escapes
// refused, the quota), downloadFile from a loopback https server shown in <image>
// through the shell's scheme, uploadFile received by that server, chooseImage through
// the shell's chooser (answered by the test hook), and nothing of the app's files left
// once it is uninstalled.
func TestFileAPIs(t *testing.T) {
	needDisplay(t)
	pic := filesPNG(6, 4)
	uploads := make(chan string, 1)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/picture.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(pic)
		case "/upload":
			f, fh, err := r.FormFile("picture")
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(f)
			uploads <- fh.Filename + " " + r.FormValue("from") + " " + itoaE2E(len(b))
			io.WriteString(w, "stored")
		}
	}))
	defer srv.Close()
	// The shell trusts the test server's certificate (Go reads SSL_CERT_FILE); dev mode
	// allows loopback without declaring it.
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	extra := append([]string{}, "SSL_CERT_FILE="+certFile, "SANDFRAME_NETWORK_DEVMODE=true",
		"SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow", "SANDFRAME_STORAGE_MAXAPPBYTES=1048576")
	r := launchEnv(t, "e2e/testdata/files", extra)
	ctx := ctxT(t)
	c := r.client
	step := func(tap, want string) {
		t.Helper()
		if err := c.Tap(ctx, tap); err != nil {
			t.Fatal(err)
		}
		if err := c.WaitText(ctx, "#out", want); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitText(ctx, "#out", "ready"); err != nil {
		t.Fatal(err)
	}
	step("#fs", "hello true 5 b gone")
	step("#escape", "readFileSync:fail permission denied, open wxfile://usr/../../etc/passwd | "+
		"readFileSync:fail no such file or directory, open /etc/passwd | "+
		"readFileSync:fail permission denied, open file:///etc/passwd | "+
		"writeFileSync:fail permission denied, open wxfile://usr/../x")
	step("#quota", "10 writeFileSync:fail the maximum size of the file storage limit is exceeded")

	if err := c.Input(ctx, "#url", srv.URL); err != nil {
		t.Fatal(err)
	}
	step("#download", "200 wxfile://tmp_ 100")
	if err := c.WaitText(ctx, "#img-state", "loaded 6x4"); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "files-download.png")); err != nil {
		t.Fatal(err)
	}
	step("#upload", "200 stored")
	if got := <-uploads; !strings.HasPrefix(got, "tmp_") || !strings.HasSuffix(got, ".png e2e "+itoaE2E(len(pic))) {
		t.Errorf("the server got %q", got)
	}

	chosen := filepath.Join(t.TempDir(), "chosen.png")
	os.WriteFile(chosen, filesPNG(3, 5), 0o600)
	if err := c.Tap(ctx, "#choose"); err != nil {
		t.Fatal(err)
	}
	if err := waitDialogs(ctx, c, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(ctx, "test.answerFiles", map[string]string{"path": chosen}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#out", "chose 3x5 png"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#img-state", "loaded 3x5"); err != nil {
		t.Fatal(err)
	}
	r.stop(t)

	// The session ended: its temporary files went; uninstalling (here: clearing the
	// app's data, the same one wipe) leaves none of its files.
	filesDir := filepath.Join(r.dataDir(), "files")
	var tmp, usr int
	filepath.WalkDir(filesDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(filesDir, p)
			if strings.Contains(filepath.ToSlash(rel), "/tmp/") {
				tmp++
			} else {
				usr++
			}
		}
		return nil
	})
	if tmp != 0 || usr != 10 {
		t.Errorf("after the session: %d temporary and %d user files, want 0 and 10", tmp, usr)
	}
	r.shellCmd(t, "storage", "clear", "test.files")
	filepath.WalkDir(filesDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != filesDir {
			t.Errorf("left after clearing the app: %s", p)
		}
		return nil
	})
}

func itoaE2E(n int) string {
	var b []byte
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
