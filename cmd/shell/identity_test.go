package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

const notesID = "dev.example.notes"

// identityEnv is a shell home in temporary folders, with one trusted publisher key.
func identityEnv(t *testing.T) (configs.Config, ed25519.PrivateKey) {
	t.Helper()
	root := t.TempDir()
	for k, v := range map[string]string{"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "HOME": "home"} {
		t.Setenv(k, filepath.Join(root, v))
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	cfg, err := loadConfig(&globals{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := bundle.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := openTrust(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Add("Acme", pub); err != nil {
		t.Fatal(err)
	}
	return cfg, priv
}

// packNotes packs a minimal app, signed with key (nil: unsigned).
func packNotes(t *testing.T, version string, key ed25519.PrivateKey) string {
	t.Helper()
	src := t.TempDir()
	files := map[string]string{
		"app.json":               `{"id": "` + notesID + `", "version": "` + version + `", "pages": ["pages/index/index"]}`,
		"app.js":                 "App({})\n",
		"pages/index/index.js":   "Page({})\n",
		"pages/index/index.wxml": "<view>notes</view>\n",
	}
	for p, c := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755)
		if err := os.WriteFile(filepath.Join(src, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := bundle.Pack(src, &buf, bundle.PackOptions{Key: key}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "notes-"+version+".sfa")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func signerOf(key ed25519.PrivateKey) string {
	return string(bundle.IDOf(key.Public().(ed25519.PublicKey)))
}

// TestMigrateBareIDs: what an older shell kept under bare ids moves, once, to the
// installed signed app's identity (or the unverified one of an id not installed); the
// CLI then names the app by its id.
func TestMigrateBareIDs(t *testing.T) {
	cfg, key := identityEnv(t)
	if out, err := runCmd(t, "install", packNotes(t, "1.0.0", key)); err != nil {
		t.Fatal(out, err)
	}
	signed := identity.Signed(notesID, signerOf(key))

	// The stores as an older shell left them.
	raw, err := storage.Open(storage.Config{Dir: cfg.StoragePath(), ConfigDir: cfg.Paths.Config})
	if err != nil {
		t.Fatal(err)
	}
	// A folder whose id passed for the signed app's identity (an older shell allowed '@').
	plant := signed.Key()
	for ns, kv := range map[string][2]string{notesID: {"todos", `["milk"]`}, notesID + "#shares": {"card", `{"to":["x"],"value":1}`},
		"dev.example.folder": {"k", `1`}, plant: {"planted", `1`}} {
		a, _ := raw.App(ns)
		if err := a.Set(kv[0], json.RawMessage(kv[1])); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	q, _ := monitor.OpenQuarantine(cfg.QuarantinePath())
	q.Quarantine("dev.example.folder", monitor.ReasonDenied)
	q.Quarantine(plant, monitor.ReasonDenied)
	q.Close()
	ps, _ := perms.OpenStore(cfg.PermsPath())
	ps.Set(notesID, "Acme", "clipboard:write", perms.DecisionGranted) // under the publisher's name
	ps.Close()

	st, err := openStorage(cfg) // migrates
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Stored()
	want := []string{"dev.example.folder@unverified", plant, plant + "#shares", plant + "@unverified"}
	if strings.Join(stored, " ") != strings.Join(want, " ") {
		t.Errorf("namespaces after the migration %v, want %v", stored, want)
	}
	a, _ := st.App(signed.Key())
	if v, err := a.Get("todos"); err != nil || string(v) != `["milk"]` {
		t.Errorf("the installed app's data after the migration: %s, %v", v, err)
	}
	if _, err := a.Get("planted"); !errors.Is(err, storage.ErrNoKey) {
		t.Errorf("a planted namespace reached the signed app's data: %v", err)
	}
	// Once: what appears under a bare id later (an older shell run again) stays put.
	b, _ := st.App(notesID)
	b.Set("late", json.RawMessage(`1`))
	st.Close()
	st, err = openStorage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := st.Stored(); len(stored) != 5 {
		t.Errorf("the migration ran twice: %v", stored)
	}
	st.Wipe(notesID)
	st.Close()

	q, _ = monitor.OpenQuarantine(cfg.QuarantinePath())
	if _, ok := q.Quarantined("dev.example.folder@unverified"); !ok {
		t.Error("the quarantine entry did not move")
	}
	if _, ok := q.Quarantined(plant); ok {
		t.Error("a planted quarantine entry stands against the signed app")
	}
	q.Close()
	ps, _ = perms.OpenStore(cfg.PermsPath())
	if d, _ := ps.Get(notesID, signed.Signer, "clipboard:write"); d != perms.DecisionGranted {
		t.Errorf("the decision under the publisher's name did not move to the key: %q", d)
	}
	ps.Close()

	// The CLI names the installed app by its id, the twin by ID@unverified.
	if out, err := runCmd(t, "storage", "ls", notesID); err != nil || !strings.Contains(out, `"todos"`) {
		t.Errorf("storage ls %s: %s %v", notesID, out, err)
	}
	if out, err := runCmd(t, "storage", "ls", notesID+"@unverified"); err != nil || strings.Contains(out, "todos") {
		t.Errorf("storage ls of the twin: %s %v", out, err)
	}
}

// TestSignerPinning: A, then an unsigned sideload, then B is refused at every step;
// --allow-signer-change wipes A's data and writes an audit line.
func TestSignerPinning(t *testing.T) {
	cfg, keyA := identityEnv(t)
	_, keyB, _ := bundle.GenerateKey()
	ts, _ := openTrust(cfg)
	ts.Add("Other", keyB.Public().(ed25519.PublicKey))
	if out, err := runCmd(t, "install", packNotes(t, "1.0.0", keyA)); err != nil {
		t.Fatal(out, err)
	}
	st, err := openStorage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := st.App(identity.Signed(notesID, signerOf(keyA)).Key())
	a.Set("secret", json.RawMessage(`"A's"`))
	st.Close()

	out, err := runCmd(t, "install", "--sideload", packNotes(t, "1.1.0", nil))
	if err == nil || !strings.Contains(err.Error(), "--allow-signer-change") {
		t.Fatalf("unsigned sideload over A: %s %v", out, err)
	}
	if out, err := runCmd(t, "install", packNotes(t, "1.2.0", keyB)); err == nil {
		t.Fatalf("B after a refused sideload: %s", out)
	}
	out, err = runCmd(t, "install", "--allow-signer-change", packNotes(t, "1.2.0", keyB))
	if err != nil {
		t.Fatal(out, err)
	}
	st, err = openStorage(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, _ = st.App(identity.Signed(notesID, signerOf(keyA)).Key())
	if _, err := a.Get("secret"); !errors.Is(err, storage.ErrNoKey) {
		t.Errorf("A's data after the signer change: %v", err)
	}
	st.Close()
	entries, err := bridge.ReadAudit(cfg.AuditPath(), bridge.Filter{App: notesID})
	if err != nil || len(entries) != 1 || entries[0].Decision != "signer-changed" || !strings.Contains(entries[0].Reason, signerOf(keyA)) {
		t.Errorf("audit after the signer change: %+v, %v", entries, err)
	}
}
