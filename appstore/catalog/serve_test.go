package catalog

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "catalog")
	publish(t, dir, packApp(t, testApp, "1.0.0", key(2), nil), key(1), PublishOptions{})
	// Things that must never be served.
	os.WriteFile(filepath.Join(parent, "secret.json"), []byte(`{"secret":1}`), 0o644)
	os.WriteFile(filepath.Join(dir, "catalog.key"), []byte("PRIVATE"), 0o600)
	os.WriteFile(filepath.Join(dir, ".hidden.json"), []byte(`{}`), 0o644)
	os.Symlink(filepath.Join(parent, "secret.json"), filepath.Join(dir, "out.json"))
	os.Mkdir(filepath.Join(dir, "dir.json"), 0o755)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	bundlePath := "/" + BundlePath(testApp, "1.0.0")

	cases := []struct {
		method, target string
		status         int
		ctype          string
	}{
		{"GET", "/index.json", 200, "application/json"},
		{"HEAD", "/index.json", 200, "application/json"},
		{"GET", "/index.json?x=1", 200, "application/json"},
		{"GET", bundlePath, 200, "application/zip"},
		{"POST", "/index.json", 405, ""},
		{"PUT", bundlePath, 405, ""},
		{"GET", "/", 404, ""},
		{"GET", "/bundles", 404, ""},
		{"GET", "/bundles/", 404, ""},
		{"GET", "/bundles/" + testApp + "/", 404, ""},
		{"GET", "/../secret.json", 404, ""},
		{"GET", "/bundles/../../secret.json", 404, ""},
		{"GET", "/%2e%2e/secret.json", 404, ""},
		{"GET", "/bundles/..%2f..%2fsecret.json", 404, ""},
		{"GET", "/bundles%5c..%5c..%5csecret.json", 404, ""},
		{"GET", "//secret.json", 404, ""},
		{"GET", "/out.json", 404, ""}, // symlink out of the catalog
		{"GET", "/catalog.key", 404, ""},
		{"GET", "/.lock", 404, ""},
		{"GET", "/.hidden.json", 404, ""},
		{"GET", "/dir.json", 404, ""},
		{"GET", "/fifo.json", 404, ""},
		{"GET", "/nothing.json", 404, ""},
	}
	h := Handler(dir)
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			// Straight to the handler, then over a real connection with the request line
			// exactly as written (no client-side cleaning of the path).
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.status {
				t.Fatalf("handler: status %d, want %d", rec.Code, tc.status)
			}
			status, ctype, body := rawRequest(t, srv.Listener.Addr().String(), tc.method, tc.target)
			if status != tc.status {
				t.Fatalf("server: status %d, want %d", status, tc.status)
			}
			if strings.Contains(body, "secret") || strings.Contains(body, "PRIVATE") {
				t.Fatalf("served something private: %q", body)
			}
			if tc.status == 200 {
				if ctype != tc.ctype {
					t.Fatalf("content type %q, want %q", ctype, tc.ctype)
				}
				if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
					t.Fatalf("X-Content-Type-Options = %q", got)
				}
			}
		})
	}

	// Ranges work (resumable downloads through proxies).
	req := httptest.NewRequest("GET", bundlePath, nil)
	req.Header.Set("Range", "bytes=0-3")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusPartialContent || rec.Body.String() != "PK\x03\x04" {
		t.Fatalf("range: %d %q", rec.Code, rec.Body.String())
	}
	if cc := rec.Header().Get("Cache-Control"); cc == "" {
		t.Fatal("no Cache-Control on a bundle")
	}
}

// rawRequest sends one HTTP/1.1 request with the target as given and returns the status,
// content type and body.
func rawRequest(t *testing.T, addr, method, target string) (int, string, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", method, target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

func TestServeLoopbackOnly(t *testing.T) {
	cases := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"127.1.2.3:8080", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.0.2.10:8080", false},
		{"catalog.example.com:80", false},
		{"127.0.0.1", false}, // no port
	}
	for _, tc := range cases {
		if err := checkLoopback(tc.addr); (err == nil) != tc.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
		}
	}
	dir := t.TempDir()
	publish(t, dir, packApp(t, testApp, "1.0.0", key(2), nil), key(1), PublishOptions{})
	if err := Serve(context.Background(), dir, "0.0.0.0:0"); err == nil || !strings.Contains(err.Error(), "not loopback") {
		t.Fatalf("Serve on all interfaces: %v", err)
	}
	if err := Serve(context.Background(), t.TempDir(), "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "not a catalog") {
		t.Fatalf("Serve of an empty dir: %v", err)
	}
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	publish(t, dir, packApp(t, testApp, "1.0.0", key(2), nil), key(1), PublishOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ServeWith(ctx, dir, "127.0.0.1:0", ServeOptions{Listening: func(a net.Addr) { addrs <- a }})
	}()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}
	c := newClient(t, "http://"+addr.String(), trustStore(t, key(1), key(2)), t.TempDir())
	idx, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Resolve(idx, testApp, Stable)
	if _, err := c.Download(ctx, r); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if _, err := net.Dial("tcp", addr.String()); err == nil {
		t.Fatal("still listening after cancel")
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Logf("dial after cancel: %v", err)
	}
}
