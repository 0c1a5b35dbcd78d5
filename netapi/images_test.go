package netapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A 1x1 PNG.
var testPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

const testSVG = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>`

// imageServer serves images and counts what it was asked, with the headers it got.
type imageServer struct {
	srv     *httptest.Server
	port    string
	hits    atomic.Int64
	mu      sync.Mutex
	headers []http.Header
	release chan struct{} // /slow waits for it
	active  atomic.Int64
	maxSeen atomic.Int64
}

func newImageServer(t testing.TB) *imageServer {
	t.Helper()
	s := &imageServer{release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		q := r.URL.Query()
		http.SetCookie(w, &http.Cookie{Name: "track", Value: "1", Path: "/"})
		if q.Get("nostore") != "" {
			w.Header().Set("Cache-Control", "no-store")
		}
		switch r.URL.Path {
		case "/a.png", "/b.png":
			w.Header().Set("Content-Type", "application/octet-stream") // the type is sniffed, not believed
			w.Write(testPNG)
		case "/logo.svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			io.WriteString(w, testSVG)
		case "/page.html":
			w.Header().Set("Content-Type", "image/png") // lies
			io.WriteString(w, "<!doctype html><script>alert(1)</script>")
		case "/big.png":
			w.Write(testPNG)
			w.Write(bytes.Repeat([]byte{0}, 4096))
		case "/redirect":
			http.Redirect(w, r, q.Get("to"), http.StatusFound)
		case "/slow.png":
			n := s.active.Add(1)
			for m := s.maxSeen.Load(); n > m && !s.maxSeen.CompareAndSwap(m, n); m = s.maxSeen.Load() {
			}
			select {
			case <-s.release:
			case <-r.Context().Done():
			}
			s.active.Add(-1)
			w.Write(testPNG)
		default:
			http.NotFound(w, r)
		}
	})
	s.srv = httptest.NewUnstartedServer(mux)
	cert, _ := testCert(t)
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.StartTLS()
	t.Cleanup(func() {
		select {
		case <-s.release:
		default:
			close(s.release)
		}
		s.srv.Close()
	})
	s.port = fmt.Sprint(s.srv.Listener.Addr().(*net.TCPAddr).Port)
	return s
}

func (s *imageServer) url(host, path string) string { return "https://" + host + ":" + s.port + path }

// poolOf trusts cert. The fetchers' test names resolve to the loopback server through
// the tests' resolver and address policy: the loopback exception is a test seam, not a
// production path.
func poolOf(cert tls.Certificate) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return pool
}

func TestImagesRules(t *testing.T) {
	s := newImageServer(t)
	im := NewImages(ImageConfig{Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	declared := []string{"api.example.test:" + s.port}
	tests := []struct {
		name    string
		policy  ImagePolicy
		url     string
		typ     string // success: the sniffed type
		err     string // failure: a part of the reason
		refusal bool
	}{
		{"png from any host", ImagesAny, s.url("other.example.test", "/a.png"), "image/png", "", false},
		{"protocol-relative is https", ImagesAny, "//api.example.test:" + s.port + "/a.png", "image/png", "", false},
		{"svg by its declared type", ImagesAny, s.url("api.example.test", "/logo.svg"), "image/svg+xml", "", false},
		{"declared domain", ImagesDeclared, s.url("api.example.test", "/a.png"), "image/png", "", false},
		{"undeclared domain", ImagesDeclared, s.url("other.example.test", "/a.png"), "", "not declared", true},
		{"policy none", ImagesNone, s.url("api.example.test", "/a.png"), "", "remote images are off", true},
		{"plain http", ImagesAny, "http://api.example.test:" + s.port + "/a.png", "", "must use https", true},
		{"ip literal", ImagesAny, "https://127.0.0.1:" + s.port + "/a.png", "", "IP address hosts are not allowed", true},
		{"credentials", ImagesAny, "https://u:p@api.example.test:" + s.port + "/a.png", "", "user name", true},
		{"other scheme", ImagesAny, "file:///etc/passwd", "", "scheme", true},
		{"private address", ImagesAny, s.url("internal.example.test", "/a.png"), "", "private address", true},
		{"redirect to http", ImagesAny, s.url("api.example.test", "/redirect?to=http://api.example.test/a.png"), "", "redirect to", true},
		{"redirect to a private address", ImagesAny, s.url("api.example.test", "/redirect?to=https://internal.example.test/a.png"), "", "private address", true},
		{"redirect to an undeclared host", ImagesDeclared, s.url("api.example.test", "/redirect?to="+s.url("other.example.test", "/a.png")), "", "redirect to", true},
		{"redirect within the rules", ImagesAny, s.url("api.example.test", "/redirect?to="+s.url("other.example.test", "/b.png")), "image/png", "", false},
		{"html that says png", ImagesAny, s.url("api.example.test", "/page.html"), "", "not an image", true},
		{"not found", ImagesAny, s.url("api.example.test", "/missing.png"), "", "HTTP 404", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := ImageApp{ID: "dev.example.images", Domains: declared, Policy: tc.policy}
			img, err := im.Fetch(context.Background(), app, tc.url)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				if IsRefusal(err) != tc.refusal {
					t.Errorf("IsRefusal(%v) = %v, want %v", err, !tc.refusal, tc.refusal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if img.ContentType != tc.typ || len(img.Data) == 0 {
				t.Errorf("got %q (%d bytes), want %q", img.ContentType, len(img.Data), tc.typ)
			}
		})
	}
}

func TestImagesSendNoCookiesNoReferer(t *testing.T) {
	s := newImageServer(t)
	im := NewImages(ImageConfig{Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	app := ImageApp{ID: "dev.example.images", Policy: ImagesAny}
	for i := 0; i < 2; i++ { // the first answer sets a cookie; no-store keeps each a network fetch
		if _, err := im.Fetch(context.Background(), app, s.url("api.example.test", "/redirect?nostore=1&to=/a.png%3Fnostore=1")); err != nil {
			t.Fatal(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.headers) != 4 {
		t.Fatalf("server saw %d requests, want 4", len(s.headers))
	}
	for i, h := range s.headers {
		if h.Get("Cookie") != "" || h.Get("Referer") != "" {
			t.Errorf("request %d: Cookie %q, Referer %q; want neither", i, h.Get("Cookie"), h.Get("Referer"))
		}
	}
}

func TestImagesSizeLimit(t *testing.T) {
	s := newImageServer(t)
	im := NewImages(ImageConfig{MaxBytes: 1024, Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	_, err := im.Fetch(context.Background(), ImageApp{ID: "a", Policy: ImagesAny}, s.url("api.example.test", "/big.png"))
	if err == nil || !strings.Contains(err.Error(), "exceeds 1024 bytes") || !IsRefusal(err) {
		t.Fatalf("err = %v, want a refusal for size", err)
	}
}

func TestImagesCachePerApp(t *testing.T) {
	s := newImageServer(t)
	dir := t.TempDir()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	im := NewImages(ImageConfig{CacheDir: dir, Now: func() time.Time { return now },
		Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	a := ImageApp{ID: "dev.example.a", Policy: ImagesAny}
	b := ImageApp{ID: "dev.example.b", Policy: ImagesAny}
	u := s.url("api.example.test", "/a.png")
	fetch := func(app ImageApp, wantHits int64) {
		t.Helper()
		img, err := im.Fetch(context.Background(), app, u)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(img.Data, testPNG) || img.ContentType != "image/png" {
			t.Fatalf("got %q %x", img.ContentType, img.Data)
		}
		if got := s.hits.Load(); got != wantHits {
			t.Fatalf("server hits = %d, want %d", got, wantHits)
		}
	}
	fetch(a, 1)
	fetch(a, 1) // from a's cache
	fetch(b, 2) // b has a cache of its own
	now = now.Add(DefaultImageCacheTTL + time.Second)
	fetch(a, 3) // stale
	if _, err := os.Stat(imageCacheDir(dir, a.ID)); err != nil {
		t.Fatal(err)
	}
	if err := im.ForgetApp(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(imageCacheDir(dir, a.ID)); !os.IsNotExist(err) {
		t.Fatalf("a's cache survived ForgetApp: %v", err)
	}
	if _, err := os.Stat(imageCacheDir(dir, b.ID)); err != nil {
		t.Fatalf("b's cache went with a's: %v", err)
	}
	fetch(a, 4)
	if err := wipeImageCache(dir, b.ID); err != nil {
		t.Fatal(err)
	}
	fetch(b, 5)
}

func TestImagesCacheEviction(t *testing.T) {
	s := newImageServer(t)
	dir := t.TempDir()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := int64(len("image/png\n") + len(testPNG))
	im := NewImages(ImageConfig{CacheDir: dir, CacheBytes: 2 * entry, Now: func() time.Time { return now },
		Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	app := ImageApp{ID: "a", Policy: ImagesAny}
	for i := 0; i < 3; i++ {
		now = now.Add(time.Second)
		if _, err := im.Fetch(context.Background(), app, s.url("api.example.test", fmt.Sprintf("/a.png?v=%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(imageCacheDir(dir, app.ID))
	if len(entries) != 2 {
		t.Fatalf("cache holds %d files, want 2", len(entries))
	}
	if _, ok := im.cached(app.ID, cacheKey(s.url("api.example.test", "/a.png?v=0"))); ok {
		t.Error("the oldest entry was kept")
	}
	// A damaged file is fetched again, not served.
	p := filepath.Join(imageCacheDir(dir, app.ID), cacheKey(s.url("api.example.test", "/a.png?v=2")))
	if err := os.WriteFile(p, []byte("image/png\n<html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := im.cached(app.ID, cacheKey(s.url("api.example.test", "/a.png?v=2"))); ok {
		t.Error("a damaged cache file was served")
	}
}

func TestImagesRateLimit(t *testing.T) {
	s := newImageServer(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	im := NewImages(ImageConfig{PerMinute: 2, Now: func() time.Time { return now },
		Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	app := ImageApp{ID: "a", Policy: ImagesAny}
	get := func(app ImageApp, i int) error {
		_, err := im.Fetch(context.Background(), app, s.url("api.example.test", fmt.Sprintf("/a.png?v=%d", i)))
		return err
	}
	for i := 0; i < 2; i++ {
		if err := get(app, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := get(app, 2); err == nil || !IsRefusal(err) || !strings.Contains(err.Error(), "more than 2 remote images a minute") {
		t.Fatalf("third image: %v, want a rate refusal", err)
	}
	if err := get(ImageApp{ID: "b", Policy: ImagesAny}, 3); err != nil {
		t.Fatalf("another app's budget: %v", err)
	}
	now = now.Add(time.Minute)
	if err := get(app, 4); err != nil {
		t.Fatalf("next minute: %v", err)
	}
}

func TestImagesConcurrencyPerApp(t *testing.T) {
	s := newImageServer(t)
	im := NewImages(ImageConfig{Concurrent: 1, Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
	t.Cleanup(im.Close)
	app := ImageApp{ID: "a", Policy: ImagesAny}
	errs := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func(i int) {
			_, err := im.Fetch(context.Background(), app, s.url("api.example.test", fmt.Sprintf("/slow.png?v=%d", i)))
			errs <- err
		}(i)
	}
	// Wait until the three have taken their rate tokens: one is at the server, two wait
	// for the app's one slot.
	for {
		im.mu.Lock()
		n := im.apps["a"]
		count := 0
		if n != nil {
			count = n.count
		}
		im.mu.Unlock()
		if count == 3 && s.active.Load() == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(s.release)
	for i := 0; i < 3; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if m := s.maxSeen.Load(); m != 1 {
		t.Fatalf("%d fetches at once, want at most 1", m)
	}
}

// BenchmarkImagesFetch measures one image served from the app's disk cache and one
// fetched over https from the loopback server.
func BenchmarkImagesFetch(b *testing.B) {
	s := newImageServer(b)
	for _, cached := range []bool{true, false} {
		name := "network"
		if cached {
			name = "cache"
		}
		b.Run(name, func(b *testing.B) {
			now := time.Now()
			im := NewImages(ImageConfig{CacheDir: b.TempDir(), PerMinute: 1 << 30, Now: func() time.Time { return now },
				Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(s.srv.TLS.Certificates[0])}})
			defer im.Close()
			app := ImageApp{ID: "a", Policy: ImagesAny}
			u := s.url("api.example.test", "/a.png")
			for i := 0; i < b.N; i++ {
				if !cached {
					u = s.url("api.example.test", fmt.Sprintf("/a.png?nostore=1&v=%d", i))
				}
				if _, err := im.Fetch(context.Background(), app, u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
