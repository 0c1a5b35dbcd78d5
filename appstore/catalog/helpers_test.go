package catalog

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
)

// key returns a fixed key pair, different for each seed.
func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

const testApp = "dev.test.app"

// quiet is the logger of tests: refusals are asserted, not printed.
var quiet = slog.New(slog.DiscardHandler)

// packApp packs a small app signed with k; extra files are added (or replace defaults).
func packApp(t testing.TB, id, version string, k ed25519.PrivateKey, extra map[string][]byte) []byte {
	t.Helper()
	files := map[string][]byte{
		"app.json":               fmt.Appendf(nil, `{"id": %q, "name": "Test & <App>", "version": %q, "pages": ["pages/index/index"]}`, id, version),
		"app.js":                 []byte("App({})\n"),
		"pages/index/index.js":   []byte("Page({data: {v: '" + version + "'}})\n"),
		"pages/index/index.wxml": []byte("<view>{{v}}</view>\n"),
	}
	for p, d := range extra {
		files[p] = d
	}
	dir := t.TempDir()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := bundle.Pack(dir, &buf, bundle.PackOptions{Key: k}); err != nil {
		t.Fatalf("Pack %s %s: %v", id, version, err)
	}
	return buf.Bytes()
}

// fixedNow makes index times deterministic.
func fixedNow() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func publish(t testing.TB, dir string, sfa []byte, k ed25519.PrivateKey, o PublishOptions) *Index {
	t.Helper()
	o.Now = fixedNow
	o.Logger = quiet
	idx, err := AddWith(dir, bytes.NewReader(sfa), int64(len(sfa)), k, o)
	if err != nil {
		t.Fatalf("AddWith: %v", err)
	}
	return idx
}

// trustStore is a fresh trust store trusting the given keys.
func trustStore(t testing.TB, keys ...ed25519.PrivateKey) *trust.Store {
	t.Helper()
	s, err := trust.Open(filepath.Join(t.TempDir(), "trust", "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if err := s.Add(fmt.Sprintf("publisher %d", i), pub(k)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// server serves dir on 127.0.0.1 and counts requests.
type server struct {
	*httptest.Server
	requests atomic.Int64
}

func serveDir(t testing.TB, dir string) *server {
	t.Helper()
	return serveHandler(t, Handler(dir))
}

func serveHandler(t testing.TB, h http.Handler) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func newClient(t testing.TB, base string, ts *trust.Store, cache string) *Client {
	t.Helper()
	return NewClient(ClientConfig{BaseURL: base, Trust: ts, CacheDir: cache, MachineID: "machine-1", Logger: quiet})
}

// cacheLeftovers lists the bundle files and partial downloads in a cache directory.
func cacheLeftovers(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".sfa") || strings.Contains(e.Name(), ".partial-") {
			out = append(out, e.Name())
		}
	}
	return out
}
