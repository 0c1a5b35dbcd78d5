package storage

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gokeyring "github.com/zalando/go-keyring"
)

func TestFileKeyring(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	k := &FileKeyring{Dir: dir}
	if _, err := k.Get("svc", "u"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of nothing = %v, want ErrNotFound", err)
	}
	secret := []byte{0, 1, 2, 255}
	if err := k.Set("svc", "u", secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get("svc", "u")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %v, %v", got, err)
	}
	p := k.path("svc", "u")
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("key folder mode %v, want 0700", fi.Mode().Perm())
	}
	os.Chmod(p, 0o644)
	if _, err := k.Get("svc", "u"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("loose key file not tightened: %v", fi.Mode().Perm())
	}
	if err := k.Delete("svc", "u"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("svc", "u"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	os.WriteFile(p, []byte("not base64!"), 0o600)
	if _, err := k.Get("svc", "u"); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("corrupt key file: %v, want an error naming %s", err, p)
	}
}

// The Secret Service adapter against go-keyring's in-memory provider: the same calls
// the D-Bus provider gets.
func TestSecretServiceAdapter(t *testing.T) {
	gokeyring.MockInit()
	var k Keyring = secretService{}
	if _, err := k.Get("svc", "u"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of nothing = %v, want ErrNotFound", err)
	}
	secret := []byte{0, 10, 200}
	if err := k.Set("svc", "u", secret); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("svc", "u"); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Get = %v, %v", got, err)
	}
	if err := k.Delete("svc", "u"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("svc", "u"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	gokeyring.MockInitWithError(errors.New("locked"))
	if _, err := k.Get("svc", "u"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a failing keyring's Get = %v, want an error other than ErrNotFound", err)
	}
}

func TestDefaultKeyringWithoutSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	kr := DefaultKeyring("/cfg", log)
	fk, ok := kr.(*FileKeyring)
	if !ok || fk.Dir != "/cfg" {
		t.Fatalf("DefaultKeyring = %#v, want a FileKeyring in /cfg", kr)
	}
	if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), "sandframe.storage-master-key.key") {
		t.Errorf("no warning naming the key file: %q", logged.String())
	}
}

// With no keyring configured, Open falls back to the key file (warning), and a later
// Open finds the key there through the check file.
func TestOpenDefaultKeyringFallsBackToFile(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	d := newDirs(t)
	nilKeyring := func(c *Config) { c.Keyring = nil }
	s := openStore(t, d, nilKeyring)
	if s.KeyringName() != "file" {
		t.Fatalf("keyring %q, want file", s.KeyringName())
	}
	mustSet(t, appStore(t, s, "a"), "k", `1`)
	s.Close()
	if _, err := os.Stat(filepath.Join(d.config, "sandframe.storage-master-key.key")); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, d, nilKeyring)
	if got := mustGet(t, appStore(t, s2, "a"), "k"); got != "1" {
		t.Errorf("after reopen: %s", got)
	}
}

// A check file that says the key is in the desktop keyring, with no keyring reachable:
// a clear error, and no new key in a file.
func TestOpenKeyringUnreachable(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	d := newDirs(t)
	s := openStore(t, d, func(c *Config) { c.Keyring = namedKeyring{&FileKeyring{Dir: d.config}, "secret-service"} })
	mustSet(t, appStore(t, s, "a"), "k", `1`)
	s.Close()
	os.Remove((&FileKeyring{Dir: d.config}).path(KeyringService, KeyringUser))
	before := allFiles(t, d.data, d.config)
	_, err := Open(d.config_(func(c *Config) { c.Keyring = nil }))
	if err == nil || !strings.Contains(err.Error(), "desktop keyring") || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Fatalf("Open = %v, want the keyring-unreachable error", err)
	}
	if !sameFiles(before, allFiles(t, d.data, d.config)) {
		t.Error("files changed")
	}
}

// namedKeyring is a keyring that reports another kind's name.
type namedKeyring struct {
	Keyring
	name string
}

func (n namedKeyring) Name() string { return n.name }

// The file-keyring warning is said when the key file is about to be made, not again by
// every later command.
func TestDefaultKeyringWarnsOnce(t *testing.T) {
	if _, err := SecretServiceKeyring(); err == nil {
		t.Skip("a desktop keyring answers here")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fk := DefaultKeyring(dir, log).(*FileKeyring)
	if !strings.Contains(buf.String(), "no desktop keyring") {
		t.Fatalf("first use said nothing: %q", buf.String())
	}
	if err := fk.Set(KeyringService, KeyringUser, []byte("0123456789abcdef0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	DefaultKeyring(dir, log)
	if buf.Len() != 0 {
		t.Fatalf("said again once the key file exists: %q", buf.String())
	}
}
