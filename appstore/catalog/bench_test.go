package catalog

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/internal/atomicfile"
)

// BenchmarkDownload5MB: fetch a 5 MB bundle from a loopback server, checking size and
// digest while streaming, then open and verify it and rename it into the cache.
func BenchmarkDownload5MB(b *testing.B) {
	f, r := benchFixture(b)
	ctx := context.Background()
	b.SetBytes(r.Size)
	b.ResetTimer()
	for i := range b.N {
		c := newClient(b, f.srv.URL, f.trust, filepath.Join(f.cache, fmt.Sprint(i)))
		if _, err := c.Download(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheHit5MB: the same bundle already cached (re-hashed and re-verified, no
// network).
func BenchmarkCacheHit5MB(b *testing.B) {
	f, r := benchFixture(b)
	ctx := context.Background()
	c := newClient(b, f.srv.URL, f.trust, f.cache)
	if _, err := c.Download(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(r.Size)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Download(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndex200Apps: fetch, verify and parse an index of 200 apps with 5 releases each.
func BenchmarkIndex200Apps(b *testing.B) {
	dir := b.TempDir()
	idx := &Index{Format: IndexFormat, Version: 7, Generated: fixedNow(), Apps: []App{}}
	for a := range 200 {
		app := App{ID: fmt.Sprintf("dev.bench.app%03d", a), Name: "Bench"}
		for v := range 5 {
			ver := fmt.Sprintf("1.%d.0", v)
			app.Versions = append(app.Versions, Release{Version: ver, SHA256: fmt.Sprintf("%064x", a*10+v), Path: BundlePath(app.ID, ver), Size: 1 << 20, MinShell: "0.0.0"})
		}
		app.Channels = []Channel{{Canary, "1.4.0", 10}, {Stable, "1.3.0", 100}}
		idx.Apps = append(idx.Apps, app)
	}
	data, err := signIndex(idx, key(1))
	if err != nil {
		b.Fatal(err)
	}
	atomicfile.WriteFrom(filepath.Join(dir, IndexFile), bytes.NewReader(data), 0o644)
	srv := serveDir(b, dir)
	c := newClient(b, srv.URL, trustStore(b, key(1)), b.TempDir())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		if _, err := c.Index(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFixture(b *testing.B) (*fixture, *Release) {
	b.Helper()
	big := make([]byte, 5<<20)
	rand.Read(big)
	f := &fixture{dir: b.TempDir(), catKey: key(1), pubKey: key(2), cache: b.TempDir()}
	f.v1 = packApp(b, testApp, "1.0.0", key(2), map[string][]byte{"images/big.png": big})
	idx := publish(b, f.dir, f.v1, key(1), PublishOptions{})
	f.srv = serveDir(b, f.dir)
	f.trust = trustStore(b, key(1), key(2))
	r := idx.App(testApp).Release("1.0.0").clone()
	return f, r
}
