package installer

import (
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/apptest"
)

var quiet = slog.New(slog.DiscardHandler)

// key returns a fixed key pair, different for each seed.
func key(seed byte) ed25519.PrivateKey { return apptest.Key(seed) }

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
	files := apptest.MinimalApp()
	files["app.json"] = []byte(appJSON)
	for p, d := range a.extra {
		files[p] = d
	}
	return apptest.Pack(t, dir, apptest.Tree(t, files), bundle.PackOptions{Key: a.key, MinShell: a.minShell})
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
	apptest.Publish(t, dir, key(2), bundles...)
}

// serve serves a catalog folder on loopback and returns its URL.
func serve(t testing.TB, dir string) string { return apptest.Serve(t, dir) }
