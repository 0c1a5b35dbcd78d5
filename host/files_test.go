package host

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
)

// startFiles runs testdata/fileapi headless with a file store, the network in dev mode
// (loopback over http) and network:request allowed by policy.
func startFiles(t *testing.T, quota int64, more ...func(*Options)) (*Session, *fakePage, *files.Store) {
	t.Helper()
	dir := t.TempDir()
	fst, err := files.Open(files.Config{Dir: filepath.Join(dir, "files")})
	if err != nil {
		t.Fatal(err)
	}
	store, err := perms.OpenStore(filepath.Join(dir, "perms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cl := netapi.New(netapi.Config{DevMode: true})
	t.Cleanup(cl.Close)
	s, page := startHeadless(t, "testdata/fileapi", func(o *Options) {
		o.Files, o.Network = fst, cl
		o.Perms = perms.NewManager(perms.Config{Store: store, Policy: perms.Policy{Allow: []string{"network:request"}}})
		o.Config.Storage.MaxAppBytes = quota
		for _, f := range more {
			f(o)
		}
	})
	waitData(t, s, func(map[string]any) bool { return true })
	return s, page, fst
}

// TestFileSystemManagerThroughTheBridge: the manager's Sync and async methods, as an
// app calls them, through logic, the bridge and the gateway into the app's folder.
func TestFileSystemManagerThroughTheBridge(t *testing.T) {
	s, page, _ := startFiles(t, 10<<20)
	page.tap("roundTrip")
	want := strings.Join([]string{
		"hello world", "binary ok", "true,false,11", "a.txt+b.bin",
		"readFileSync:fail no such file or directory, open wxfile://usr/notes/b.bin",
		"writeFileSync:fail permission denied, open wxfile://usr/../escape.txt",
		"accessSync:fail no such file or directory, access /etc/passwd",
		"aGVsbG8gd29ybGQ= readFile:ok",
		"/:true /a.txt:false",
		"readdir:fail no such file or directory, scandir /nope",
	}, " | ")
	if got := result(t, s); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	page.tap("canIUse")
	waitData(t, s, func(d map[string]any) bool { return d["result"] == "true,true,false,undefined" })
}

func TestFileQuotaThroughTheBridge(t *testing.T) {
	s, page, _ := startFiles(t, 200<<10)
	page.tap("quota")
	if got := result(t, s); got != "writeFileSync:fail the maximum size of the file storage limit is exceeded" {
		t.Errorf("quota: %s", got)
	}
}

// TestTransfersThroughTheBridge: downloadFile with onProgressUpdate, the downloaded
// temp file uploaded again, an abort from a progress callback, and the page's image
// scheme serving the app's temp file (and no other app's).
func TestTransfersThroughTheBridge(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64<<10)...)
	uploaded := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.Header().Set("Content-Length", itoa(len(png)))
			w.Write(png)
		case "/upload":
			f, fh, err := r.FormFile("file")
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(f)
			uploaded <- fh.Filename + " " + r.FormValue("who")
			io.WriteString(w, "got "+strings.Repeat("", 0)+itoa(len(b)))
		case "/slow":
			w.Header().Set("Content-Length", "100000")
			io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	s, page, fst := startFiles(t, 10<<20)
	page.tapDetail("transfer", map[string]any{"value": srv.URL})
	got := result(t, s)
	if !strings.HasPrefix(got, "200 progress 100/65544 got 65544 uploadFile:ok") {
		t.Errorf("transfer: %s", got)
	}
	select {
	case u := <-uploaded:
		if !strings.HasPrefix(u, "tmp_") || !strings.HasSuffix(u, ".png files") {
			t.Errorf("uploaded %s", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing uploaded")
	}
	// The temp file is the page's to show, through the image scheme.
	tmps, _ := fst.App(s.id, files.AppOptions{}).SavedFiles()
	_ = tmps
	af := fst.App(s.id, files.AppOptions{})
	p, err := af.WriteTemp(".png", png)
	if err != nil {
		t.Fatal(err)
	}
	data, typ, err := s.RemoteImage(context.Background(), s.appID, p)
	if err != nil || typ != "image/png" || len(data) != len(png) {
		t.Errorf("image scheme: %s %v", typ, err)
	}
	if _, _, err := s.RemoteImage(context.Background(), "test.other", p); err == nil {
		t.Error("the image scheme served a url naming another app")
	}
	if _, _, err := s.RemoteImage(context.Background(), s.appID, "wxfile://usr/../../x"); err == nil {
		t.Error("the image scheme served an escape")
	}

	page.tapDetail("abort", map[string]any{"value": srv.URL})
	waitData(t, s, func(d map[string]any) bool { return d["result"] == "downloadFile:fail abort" })
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestOpenDocument: without a window the permissions policy answers the prompt; an
// allowed open hands the app's own file (never a bundle path) to the desktop.
func TestOpenDocument(t *testing.T) {
	var opened []string
	old := openWith
	openWith = func(p string) error { opened = append(opened, p); return nil }
	t.Cleanup(func() { openWith = old })
	for _, policy := range []string{"deny", "allow"} {
		s, _, fst := startFiles(t, 10<<20, func(o *Options) { o.Config.Permissions.Prompts = policy })
		af := fst.App(s.id, files.AppOptions{})
		if err := af.WriteFile("wxfile://usr/report.pdf", []byte("%PDF-1.4"), false); err != nil {
			t.Fatal(err)
		}
		local, err := af.Local("wxfile://usr/report.pdf")
		if err != nil {
			t.Fatal(err)
		}
		err = apiHost{s}.OpenDocument(context.Background(), local, "report.pdf")
		switch policy {
		case "deny":
			if err == nil || err.Error() != "cancel" || len(opened) != 0 {
				t.Errorf("denied by policy: %v, opened %v", err, opened)
			}
		case "allow":
			if err != nil || len(opened) != 1 || opened[0] != local {
				t.Errorf("allowed: %v, opened %v", err, opened)
			}
		}
		if _, err := af.Local("/app.json"); err == nil {
			t.Error("a bundle path has a local path")
		}
	}
}
