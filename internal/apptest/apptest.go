// Package apptest makes mini-app bundles and catalogs for tests: the app's files in a
// folder, packed and signed into a bundle file, published into a catalog served on
// loopback.
package apptest

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
)

// Key returns a fixed key pair, a different one for each seed.
func Key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// MinimalApp is a one-page app's files without its app.json.
func MinimalApp() map[string][]byte {
	return map[string][]byte{
		"app.js":                 []byte("App({})\n"),
		"pages/index/index.js":   []byte("Page({data: {v: 1}})\n"),
		"pages/index/index.wxml": []byte("<view>{{v}}</view>\n"),
	}
}

// Tree writes files (slash-separated paths) into a new temporary folder and returns it.
func Tree(t testing.TB, files map[string][]byte) string {
	t.Helper()
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
	return dir
}

var packed atomic.Uint64

// Pack packs the app in src into a new bundle file in dir and returns its path.
func Pack(t testing.TB, dir, src string, o bundle.PackOptions) string {
	t.Helper()
	var buf bytes.Buffer
	m, err := bundle.Pack(src, &buf, o)
	if err != nil {
		t.Fatalf("pack %s: %v", src, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.sfa", m.AppID, m.Version, packed.Add(1)))
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Publish adds bundle files to the catalog folder dir, its index signed with key.
func Publish(t testing.TB, dir string, key ed25519.PrivateKey, bundles ...string) {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	for _, b := range bundles {
		f, err := os.Open(b)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		_, err = catalog.AddWith(dir, f, fi.Size(), key, catalog.PublishOptions{Logger: quiet})
		f.Close()
		if err != nil {
			t.Fatalf("publish %s: %v", b, err)
		}
	}
}

// Serve serves the catalog folder dir on loopback until the test ends; it returns the
// catalog's URL.
func Serve(t testing.TB, dir string) string {
	t.Helper()
	srv := httptest.NewServer(catalog.Handler(dir))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}
