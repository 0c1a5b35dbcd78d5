package installer

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
)

var quiet = slog.New(slog.DiscardHandler)

// key returns a fixed key pair, different for each seed.
func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

const testApp = "dev.test.app"

// app is a bundle to pack.
type app struct {
	id, version string
	key         ed25519.PrivateKey // nil: unsigned
	minShell    string
	appJSON     string            // "": a default with the id and version
	extra       map[string][]byte // more files, or replacements
}

// pack writes the app's tree and packs it into dir, returning the bundle's path.
func (a app) pack(t testing.TB, dir string) string {
	t.Helper()
	if a.id == "" {
		a.id = testApp
	}
	appJSON := a.appJSON
	if appJSON == "" {
		appJSON = fmt.Sprintf(`{"id": %q, "name": "Test App", "version": %q, "pages": ["pages/index/index"]}`, a.id, a.version)
	}
	files := map[string][]byte{
		"app.json":               []byte(appJSON),
		"app.js":                 []byte("App({})\n"),
		"pages/index/index.js":   []byte("Page({data: {v: 1}})\n"),
		"pages/index/index.wxml": []byte("<view>{{v}}</view>\n"),
	}
	for p, d := range a.extra {
		files[p] = d
	}
	src := t.TempDir()
	for p, data := range files {
		full := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := bundle.Pack(src, &buf, bundle.PackOptions{Key: a.key, MinShell: a.minShell}); err != nil {
		t.Fatalf("pack %s %s: %v", a.id, a.version, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.sfa", a.id, a.version, time.Now().UnixNano()))
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// env is one temporary home: a trust store trusting key(1) as "Acme" and key(2) as the
// catalog, a registry, and an installer over them.
type env struct {
	root  string
	trust *trust.Store
	defs  *lint.Definitions
	in    *Installer
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{root: t.TempDir()}
	ts, err := trust.Open(filepath.Join(e.root, "config", "trust.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Add("Acme", pub(key(1))); err != nil {
		t.Fatal(err)
	}
	if err := ts.Add("Catalog", pub(key(2))); err != nil {
		t.Fatal(err)
	}
	e.trust = ts
	e.in = New(Config{
		OpenRegistry: func() (*registry.Registry, error) {
			return registry.Open(registry.Config{Dir: filepath.Join(e.root, "data", "apps"), DB: filepath.Join(e.root, "data", "apps.db"),
				Trust: ts, ShellVersion: "1.0.0", Logger: quiet})
		},
		Trust:        ts,
		Defs:         func() (*lint.Definitions, error) { return e.defs, nil },
		Block:        []lint.Severity{lint.SeverityError},
		CacheDir:     filepath.Join(e.root, "cache"),
		MachineID:    func() string { return "machine-1" },
		ShellVersion: "1.0.0",
		Logger:       quiet,
	})
	return e
}

// installed lists the installed apps as "id version".
func (e *env) installed(t testing.TB) []string {
	t.Helper()
	reg, err := e.in.OpenRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	apps, err := reg.List()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range apps {
		out = append(out, a.ID+" "+a.Version)
	}
	sort.Strings(out)
	return out
}

// steps records progress reports.
type steps struct {
	mu   sync.Mutex
	list []Step
}

func (s *steps) progress(st Step) {
	s.mu.Lock()
	s.list = append(s.list, st)
	s.mu.Unlock()
}

// stages lists the distinct (app, stage, done==total) transitions, in order.
func (s *steps) stages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, st := range s.list {
		mark := fmt.Sprintf("%s %s %v", st.App, st.Stage, st.Total > 0 && st.Done == st.Total)
		if len(out) == 0 || out[len(out)-1] != mark {
			out = append(out, mark)
		}
	}
	return out
}

// publish adds bundle files to a catalog folder, signed with key(2).
func publish(t testing.TB, dir string, bundles ...string) {
	t.Helper()
	for _, b := range bundles {
		f, err := os.Open(b)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		_, err = catalog.AddWith(dir, f, fi.Size(), key(2), catalog.PublishOptions{Logger: quiet})
		f.Close()
		if err != nil {
			t.Fatalf("publish %s: %v", b, err)
		}
	}
}

// serve serves a catalog folder on loopback and returns its URL.
func serve(t testing.TB, dir string) string {
	t.Helper()
	srv := httptest.NewServer(catalog.Handler(dir))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}
