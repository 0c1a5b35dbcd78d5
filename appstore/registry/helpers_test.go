package registry

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if root := os.Getenv(killChildEnv); root != "" {
		os.Exit(killChild(root))
	}
	goleak.VerifyTestMain(m)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// key returns a deterministic publisher key.
func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pub(seed byte) ed25519.PublicKey { return key(seed).Public().(ed25519.PublicKey) }

// app describes a bundle to pack.
type app struct {
	id, version string
	key         ed25519.PrivateKey // nil: unsigned
	minShell    string
	extra       map[string][]byte // more files
}

// pack writes the app's tree and packs it.
func pack(t testing.TB, a app) []byte {
	t.Helper()
	files := map[string][]byte{
		"app.json":               fmt.Appendf(nil, `{"id": %q, "version": %q, "pages": ["pages/index/index"]}`, a.id, a.version),
		"app.js":                 fmt.Appendf(nil, "App({onLaunch() { console.log(%q) }})\n", a.version),
		"pages/index/index.js":   fmt.Appendf(nil, "Page({data: {v: %q}})\n", a.version),
		"pages/index/index.wxml": []byte("<view>{{v}}</view>\n"),
	}
	for p, b := range a.extra {
		files[p] = b
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
	if _, err := bundle.Pack(dir, &buf, bundle.PackOptions{Key: a.key, MinShell: a.minShell}); err != nil {
		t.Fatalf("pack %s %s: %v", a.id, a.version, err)
	}
	return buf.Bytes()
}

// randomFiles returns n files of size bytes each that do not compress, seeded.
func randomFiles(n, size int, seed uint64) map[string][]byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make(map[string][]byte, n)
	for i := range n {
		b := make([]byte, size)
		for j := 0; j < size; j += 8 {
			v := rng.Uint64()
			for k := 0; k < 8 && j+k < size; k++ {
				b[j+k] = byte(v >> (8 * k))
			}
		}
		out[fmt.Sprintf("assets/d%02d/f%04d.bin", i%16, i)] = b
	}
	return out
}

// env is one temporary home: a trust store trusting key(1) and key(2), and the paths of
// a registry.
type env struct {
	root  string
	trust *trust.Store
	cfg   Config
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvAt(t, t.TempDir())
}

func newEnvAt(t testing.TB, root string) *env {
	t.Helper()
	ts, err := trust.Open(filepath.Join(root, "config", "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []byte{1, 2} {
		if err := ts.Add(fmt.Sprintf("publisher %d", seed), pub(seed)); err != nil && !errors.Is(err, trust.ErrExists) {
			t.Fatal(err)
		}
	}
	return &env{root: root, trust: ts, cfg: configAt(root, ts)}
}

// configAt is the registry configuration of the home at root.
func configAt(root string, ts *trust.Store) Config {
	return Config{
		Dir: filepath.Join(root, "data", "apps"), DB: filepath.Join(root, "data", "registry.db"),
		Trust: ts, Logger: quietLogger(),
	}
}

func (e *env) open(t testing.TB) *Registry {
	t.Helper()
	r, err := Open(e.cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func install(t testing.TB, r *Registry, b []byte, o InstallOptions) *Installed {
	t.Helper()
	in, err := r.Install(bytes.NewReader(b), int64(len(b)), o)
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	return in
}

func tryInstall(r *Registry, b []byte, o InstallOptions) (*Installed, error) {
	return r.Install(bytes.NewReader(b), int64(len(b)), o)
}

// tree lists every path under dir (relative, slash-separated), sorted; nil when dir is
// missing.
func tree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "." {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// versionDirs lists the version directories of an app.
func versionDirs(t testing.TB, r *Registry, id string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(r.dir, id))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, filepath.Join(r.dir, id, e.Name()))
	}
	return out
}

// wantDirs checks that the app's version directories are exactly those of in.
func wantDirs(t testing.TB, r *Registry, in *Installed) {
	t.Helper()
	want := []string{in.Path}
	if in.Previous != nil {
		want = append(want, in.Previous.Path)
	}
	slices.Sort(want)
	if got := versionDirs(t, r, in.ID); !slices.Equal(got, want) {
		t.Fatalf("version dirs of %s = %v, want %v", in.ID, got, want)
	}
}

func stagingEmpty(t testing.TB, r *Registry) {
	t.Helper()
	if got := tree(t, filepath.Join(r.dir, stagingDir)); len(got) != 0 {
		t.Fatalf("staging residue: %v", got)
	}
}

// sameInstalled compares two answers, their previous versions by value.
func sameInstalled(a, b *Installed) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.Previous, y.Previous = nil, nil
	if x != y || (a.Previous == nil) != (b.Previous == nil) {
		return false
	}
	return a.Previous == nil || *a.Previous == *b.Previous
}
