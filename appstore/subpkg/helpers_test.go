package subpkg

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
)

// The mini-program interface the shell's side declares (miniapp.SubpackageFetcher);
// declared here so this package's tests compile without it.
type subpackageFetcher interface {
	Present(root string) bool
	Fetch(ctx context.Context, root string, progress func(done, total int64)) error
}

var (
	_ subpackageFetcher = (*Fetcher)(nil)
	_ subpackageFetcher = SubpackageFetcher(nil)
)

const appID = "dev.sandframe.shop"

func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// shopApp is a small app with two subpackages: packageA, and packageB (independent,
// declared with a trailing slash and the "subPackages" spelling when upper is set).
// subSize > 0 adds that many incompressible bytes to every subpackage and the core.
type shopApp struct {
	version string
	subs    int // number of subpackages: 2 by default; up to 4
	subSize int
	upper   bool
	marker  string // changes the subpackages' contents
}

func (a shopApp) files() map[string][]byte {
	n := a.subs
	if n == 0 {
		n = 2
	}
	key := "subpackages"
	if a.upper {
		key = "subPackages"
	}
	var list []string
	files := map[string][]byte{
		"app.js":                 []byte("App({})\n"),
		"pages/index/index.js":   []byte("Page({})\n"),
		"pages/index/index.wxml": []byte("<view>home</view>\n"),
	}
	for i := range n {
		root := fmt.Sprintf("package%c", 'A'+i)
		indep := i == 1
		suffix := ""
		if indep {
			suffix = "/"
		}
		list = append(list, fmt.Sprintf(`{"root": %q, "pages": ["pages/p/p"], "independent": %v}`, root+suffix, indep))
		files[root+"/pages/p/p.js"] = fmt.Appendf(nil, "Page({data: {v: %q, m: %q}})\n", a.version, a.marker)
		files[root+"/pages/p/p.wxml"] = []byte("<view>{{v}}</view>\n")
		if a.subSize > 0 {
			files[root+"/data.bin"] = noise(a.subSize, uint64(i+1))
		}
	}
	if a.subSize > 0 {
		files["data.bin"] = noise(a.subSize, 99)
	}
	files["app.json"] = fmt.Appendf(nil, `{"id": %q, "version": %q, "pages": ["pages/index/index"], %q: [%s]}`,
		appID, a.version, key, join(list))
	return files
}

func join(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

func noise(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func writeTree(t testing.TB, files map[string][]byte) string {
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

func packSet(t testing.TB, a shopApp, k ed25519.PrivateKey) *bundle.Set {
	t.Helper()
	set, err := bundle.PackSet(writeTree(t, a.files()), bundle.PackOptions{Key: k})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func subData(set *bundle.Set) [][]byte {
	var out [][]byte
	for _, s := range set.Subs {
		out = append(out, s.Data)
	}
	return out
}

// env is a catalog served over loopback TLS, a trust store, a registry and a client.
type env struct {
	catalogDir string
	srv        *httptest.Server
	requests   atomic.Int64
	trust      *trust.Store
	reg        *registry.Registry
	regCfg     registry.Config
	client     *catalog.Client
	cache      string
	pubKey     ed25519.PrivateKey
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{catalogDir: t.TempDir(), pubKey: key(1)}
	ts, err := trust.Open(filepath.Join(t.TempDir(), "trust", "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Add("publisher", e.pubKey.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	e.trust = ts
	h := catalog.Handler(e.catalogDir)
	e.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	data := t.TempDir()
	e.regCfg = registry.Config{Dir: filepath.Join(data, "apps"), DB: filepath.Join(data, "registry.db"), Trust: ts, Logger: quiet()}
	e.openRegistry(t)
	e.cache = filepath.Join(data, "cache")
	e.client = catalog.NewClient(catalog.ClientConfig{BaseURL: e.srv.URL, Trust: ts, CacheDir: e.cache, HTTP: e.srv.Client(), Logger: quiet()})
	return e
}

func (e *env) openRegistry(t testing.TB) {
	t.Helper()
	reg, err := registry.Open(e.regCfg)
	if err != nil {
		t.Fatal(err)
	}
	e.reg = reg
	t.Cleanup(func() { reg.Close() })
}

// publish packs a and publishes the set (the catalog key is the publisher key).
func (e *env) publish(t testing.TB, a shopApp) *bundle.Set {
	t.Helper()
	set := packSet(t, a, e.pubKey)
	if _, err := catalog.AddSet(e.catalogDir, bytes.NewReader(set.Core), int64(len(set.Core)), subData(set), e.pubKey, catalog.PublishOptions{Logger: quiet()}); err != nil {
		t.Fatal(err)
	}
	return set
}

// installFromCatalog resolves, downloads and installs the app's stable release (the core).
func (e *env) installFromCatalog(t testing.TB) *registry.Installed {
	t.Helper()
	ctx := context.Background()
	idx, err := e.client.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := e.client.Resolve(idx, appID, catalog.Stable)
	if err != nil {
		t.Fatal(err)
	}
	path, err := e.client.Download(ctx, rel)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := e.reg.Install(bytes.NewReader(raw), int64(len(raw)), registry.InstallOptions{Source: e.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// tree lists every file and directory under dir, relative, "/"-separated.
func tree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "." {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}
