package launcher

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/apptest"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction(bridge.AuditMillGoroutine))
}

var quiet = slog.New(slog.DiscardHandler)

// key returns a fixed key pair, different for each seed: key(1) is trusted as "Acme",
// key(2) signs the test catalogs.
func key(seed byte) ed25519.PrivateKey { return apptest.Key(seed) }

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// Apps the tests install.
const (
	notes = "dev.test.notes"
	clock = "dev.test.clock"
)

// iconPNG is a small picture for app icons.
func iconPNG(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// app is a bundle to pack: notes declares capabilities and domains and has an icon.
type app struct {
	id, version string
	key         ed25519.PrivateKey // nil: unsigned
	extra       map[string][]byte
}

func (a app) pack(t testing.TB, dir string) string {
	t.Helper()
	appJSON := fmt.Sprintf(`{"id": %q, "name": "Clock", "version": %q, "pages": ["pages/index/index"]}`, a.id, a.version)
	files := apptest.MinimalApp()
	if a.id == notes {
		appJSON = fmt.Sprintf(`{"id": %q, "name": "Notes", "version": %q, "description": "Write things down.\nKeep them.",
			"icon": "images/icon.png", "pages": ["pages/index/index"],
			"capabilities": {"clipboard:write": {"reason": "Copy a note"}, "user:readProfile": {"reason": "Sign your notes"}},
			"network": {"domains": ["api.notes.example"]}}`, a.id, a.version)
		files["images/icon.png"] = iconPNG(t)
	}
	files["app.json"] = []byte(appJSON)
	for p, d := range a.extra {
		files[p] = d
	}
	return apptest.Pack(t, dir, apptest.Tree(t, files), bundle.PackOptions{Key: a.key})
}

// fakeRunner runs nothing: it remembers states and calls.
type fakeRunner struct {
	mu     sync.Mutex
	states map[string]string
	calls  []string
	fail   error
}

func (r *fakeRunner) Launch(ctx context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, "launch "+id)
	if r.fail != nil {
		return r.fail
	}
	r.states[id] = StateRunning
	return nil
}

func (r *fakeRunner) Stop(id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, "stop "+id)
	r.states[id] = StateStopped
	return nil
}

func (r *fakeRunner) State(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.states[id]; s != "" {
		return s
	}
	return StateStopped
}

func (r *fakeRunner) set(id, state string) {
	r.mu.Lock()
	r.states[id] = state
	r.mu.Unlock()
}

func (r *fakeRunner) called() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// fakePicker answers the file chooser with path ("" is a cancel).
type fakePicker struct {
	mu       sync.Mutex
	path     string
	patterns [][]string
}

func (p *fakePicker) PickFile(ctx context.Context, title string, patterns []string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.patterns = append(p.patterns, patterns)
	return p.path, nil
}

func (p *fakePicker) answer(path string) {
	p.mu.Lock()
	p.path = path
	p.mu.Unlock()
}

// fakePage records what is sent to the launcher page.
type fakePage struct {
	mu   sync.Mutex
	envs []bridge.Envelope
	got  chan struct{}
}

func newPage() *fakePage { return &fakePage{got: make(chan struct{}, 1024)} }

func (p *fakePage) Send(env bridge.Envelope) error {
	p.mu.Lock()
	p.envs = append(p.envs, env)
	p.mu.Unlock()
	p.got <- struct{}{}
	return nil
}

// events lists the events named name that were sent, with their data.
func (p *fakePage) events(name string) []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []map[string]any
	for _, env := range p.envs {
		if env.Kind != bridge.KindLauncherEvent {
			continue
		}
		var ev struct {
			Event string         `json:"event"`
			Data  map[string]any `json:"data"`
		}
		json.Unmarshal(env.Payload, &ev)
		if ev.Event == name {
			out = append(out, ev.Data)
		}
	}
	return out
}

// result waits for the answer to request id.
func (p *fakePage) result(t testing.TB, id uint64) resultPayload {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		p.mu.Lock()
		for _, env := range p.envs {
			var r resultPayload
			if env.Kind == bridge.KindLauncherResult && json.Unmarshal(env.Payload, &r) == nil && r.ID == id {
				p.mu.Unlock()
				return r
			}
		}
		p.mu.Unlock()
		select {
		case <-p.got:
		case <-deadline:
			t.Fatalf("no answer to request %d", id)
		}
	}
}

type resultPayload struct {
	ID     uint64          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// fixture is one temporary home with real stores, a fake desktop and the service.
type fixture struct {
	root    string
	dir     string // bundles are packed here
	cfg     configs.Config
	trust   *trust.Store
	grants  *perms.Store
	manager *perms.Manager
	storage *storage.Store
	audit   *bridge.AuditLog
	in      *installer.Installer
	runner  *fakeRunner
	picker  *fakePicker
	page    *fakePage
	svc     *Service
}

// newFixture builds a home; set changes the config first (the catalog, for one).
func newFixture(t testing.TB, set func(*configs.Config)) *fixture {
	t.Helper()
	f := &fixture{root: t.TempDir(), dir: t.TempDir(), runner: &fakeRunner{states: map[string]string{}}, picker: &fakePicker{}, page: newPage()}
	yaml := filepath.Join(f.root, "shell.yaml")
	if err := os.WriteFile(yaml, []byte("log:\n  level: info\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := configs.NewViper(yaml)
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range map[string]string{"paths.config": "config", "paths.data": "data", "paths.cache": "cache"} {
		v.Set(k, filepath.Join(f.root, d))
	}
	if f.cfg, err = configs.Load(v); err != nil {
		t.Fatal(err)
	}
	if set != nil {
		set(&f.cfg)
	}
	if f.trust, err = trust.Open(f.cfg.TrustPath()); err != nil {
		t.Fatal(err)
	}
	if err := f.trust.Add("Acme", pub(key(1))); err != nil {
		t.Fatal(err)
	}
	if err := f.trust.Add("Catalog", pub(key(2))); err != nil {
		t.Fatal(err)
	}
	if f.grants, err = perms.OpenStore(f.cfg.PermsPath()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.grants.Close() })
	f.manager = perms.NewManager(perms.Config{Store: f.grants, Prompter: perms.PolicyPrompter{Policy: perms.Policy{Prompts: perms.PromptsAllow}}, Logger: quiet})
	if f.storage, err = storage.Open(storage.Config{Dir: f.cfg.StoragePath(), ConfigDir: f.cfg.Paths.Config,
		Keyring: &storage.FileKeyring{Dir: f.cfg.Paths.Config}, Logger: quiet}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.storage.Close() })
	if f.audit, err = bridge.OpenAudit(f.cfg.AuditPath()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.audit.Close() })
	f.in = installer.New(installer.Config{
		OpenRegistry: func() (*registry.Registry, error) {
			return registry.Open(registry.Config{Dir: f.cfg.AppsPath(), DB: f.cfg.RegistryPath(), Trust: f.trust, ShellVersion: "1.0.0", Logger: quiet,
				OnUninstall: func(apps []identity.App) error {
					var errs []error
					for _, a := range apps {
						errs = append(errs, f.storage.Wipe(a.Key()), f.grants.ResetIdentity(a))
					}
					return errors.Join(errs...)
				}})
		},
		Trust: f.trust, Block: []lint.Severity{lint.SeverityError}, CacheDir: f.cfg.Paths.Cache,
		MachineID: func() string { return "machine-1" }, ShellVersion: "1.0.0", Logger: quiet,
	})
	f.svc = New(Config{Config: f.cfg, Installer: f.in, Perms: f.manager, Grants: f.grants, Storage: f.storage,
		Audit: f.audit, Runner: f.runner, Picker: f.picker, Logger: quiet, UpdateEvery: -1})
	f.svc.Attach(f.page)
	return f
}

// install installs a bundle file directly (not through the launcher).
func (f *fixture) install(t testing.TB, a app, o installer.Options) *registry.Installed {
	t.Helper()
	in, err := f.in.InstallFile(a.pack(t, f.dir), o)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// do runs one operation through Handle.
func (f *fixture) do(t testing.TB, op string, args string) (any, error) {
	t.Helper()
	var raw json.RawMessage
	if args != "" {
		raw = json.RawMessage(args)
	}
	return f.svc.Handle(context.Background(), bridge.LauncherRequest{ID: 1, Op: op, Args: raw})
}

// must runs one operation that must succeed.
func (f *fixture) must(t testing.TB, op string, args string) any {
	t.Helper()
	res, err := f.do(t, op, args)
	if err != nil {
		t.Fatalf("%s %s: %v", op, args, err)
	}
	return res
}

// auditLines reads the audit log lines of window "launcher".
func (f *fixture) auditLines(t testing.TB) []bridge.AuditEntry {
	t.Helper()
	entries, err := bridge.ReadAudit(f.cfg.AuditPath(), bridge.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []bridge.AuditEntry
	for _, e := range entries {
		if e.Window == "launcher" {
			out = append(out, e)
		}
	}
	return out
}

// lastAudit is the last launcher audit line.
func (f *fixture) lastAudit(t testing.TB) bridge.AuditEntry {
	t.Helper()
	lines := f.auditLines(t)
	if len(lines) == 0 {
		t.Fatal("no audit line")
	}
	return lines[len(lines)-1]
}

// decisionOf is the decision details shows for a capability.
func decisionOf(d Details, capability string) (string, bool) {
	for _, c := range d.Capabilities {
		if c.Name == capability {
			return c.Decision, true
		}
	}
	return "", false
}

// envelope wraps a launcher request as the page would post it.
func envelope(id uint64, op, args string) string {
	if args == "" {
		return fmt.Sprintf(`{"v":1,"kind":"launcher","payload":{"id":%d,"op":%q}}`, id, op)
	}
	return fmt.Sprintf(`{"v":1,"kind":"launcher","payload":{"id":%d,"op":%q,"args":%s}}`, id, op, args)
}
