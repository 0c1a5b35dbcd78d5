package storage

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/sessionbus"
	gokeyring "github.com/zalando/go-keyring"
)

// Keyring keeps secrets by (service, user). Get and Delete return ErrNotFound (possibly
// wrapped) when there is no such secret.
type Keyring interface {
	Get(service, user string) ([]byte, error)
	Set(service, user string, secret []byte) error
	Delete(service, user string) error
}

// ErrNotFound is a Keyring's answer for a secret it does not hold.
var ErrNotFound = errors.New("secret not found in keyring")

// Where the master key is kept in a keyring.
const (
	KeyringService = "sandframe"
	KeyringUser    = "storage-master-key"
)

// Keyring names recorded in Dir/master.check, so that a later Open looks where the key
// was put instead of making a new one elsewhere.
const (
	keyringSecretService = "secret-service"
	keyringFile          = "file"
)

// keyringName says which kind of keyring kr is, for the record and for messages.
func keyringName(kr Keyring) string {
	switch k := kr.(type) {
	case secretService:
		return keyringSecretService
	case *FileKeyring:
		return keyringFile
	case interface{ Name() string }:
		return k.Name()
	}
	return "custom"
}

// describeKeyring tells a person where the master key is, for error messages.
func describeKeyring(kr Keyring) string {
	switch k := kr.(type) {
	case secretService:
		return fmt.Sprintf("the desktop keyring (Secret Service item service=%q user=%q)", KeyringService, KeyringUser)
	case *FileKeyring:
		return "the key file " + k.path(KeyringService, KeyringUser)
	}
	return "the configured keyring (" + keyringName(kr) + ")"
}

// FileKeyring keeps each secret base64-encoded in its own 0600 file in Dir (created
// 0700): the fallback when there is no desktop keyring. It protects the key only as well
// as the file permissions do, which is why Open logs a warning when it is used.
type FileKeyring struct {
	Dir string
}

func (k *FileKeyring) path(service, user string) string {
	safe := func(s string) string {
		n, err := dirName(s)
		if err != nil {
			return "_"
		}
		return n
	}
	return filepath.Join(k.Dir, safe(service)+"."+safe(user)+".key")
}

// Get reads the secret; a file readable by others is tightened to 0600 first.
func (k *FileKeyring) Get(service, user string) ([]byte, error) {
	p := k.path(service, user)
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("key file %s: %w", p, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", p, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", p, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s: not a regular file", p)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return nil, fmt.Errorf("key file %s: tighten to 0600: %w", p, err)
		}
	}
	text, err := readAll(f, 4096)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", p, err)
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil {
		return nil, fmt.Errorf("key file %s: not base64: %w", p, err)
	}
	return secret, nil
}

// Set writes the secret atomically (temporary file, fsync, rename, fsync of the folder):
// a crash leaves the old key or the new one, never half of one.
func (k *FileKeyring) Set(service, user string, secret []byte) error {
	p := k.path(service, user)
	if err := os.MkdirAll(k.Dir, 0o700); err != nil {
		return fmt.Errorf("key file %s: %w", p, err)
	}
	text := base64.StdEncoding.EncodeToString(secret) + "\n"
	if err := atomicfile.Write(p, []byte(text), 0o600); err != nil {
		return fmt.Errorf("key file %s: %w", p, err)
	}
	return nil
}

// Delete removes the secret's file.
func (k *FileKeyring) Delete(service, user string) error {
	p := k.path(service, user)
	err := os.Remove(p)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("key file %s: %w", p, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("key file %s: %w", p, err)
	}
	return atomicfile.SyncDir(k.Dir)
}

// secretService is the freedesktop Secret Service (GNOME Keyring, KWallet) over the D-Bus
// session bus, through github.com/zalando/go-keyring. It stores strings: secrets go in
// base64.
type secretService struct{}

func (secretService) Get(service, user string) ([]byte, error) {
	s, err := gokeyring.Get(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return nil, fmt.Errorf("secret service: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("secret service: %w", err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("secret service item %s/%s: not base64: %w", service, user, err)
	}
	return b, nil
}

func (secretService) Set(service, user string, secret []byte) error {
	if err := gokeyring.Set(service, user, base64.StdEncoding.EncodeToString(secret)); err != nil {
		return fmt.Errorf("secret service: %w", err)
	}
	return nil
}

func (secretService) Delete(service, user string) error {
	err := gokeyring.Delete(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return fmt.Errorf("secret service: %w", ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("secret service: %w", err)
	}
	return nil
}

// secretServiceProbe bounds the first question to the Secret Service: a session bus
// with no keyring daemon behind it can take D-Bus's own long timeout to say so.
const secretServiceProbe = 5 * time.Second

// SecretServiceKeyring returns the desktop keyring if a session bus is there and the
// Secret Service answers a look-up. It fails fast with no session bus: it never lets
// D-Bus autolaunch a bus (dbus-launch) of its own.
func SecretServiceKeyring() (Keyring, error) {
	if !sessionbus.Available() {
		return nil, errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset or " + sessionbus.Disabled + ", no $XDG_RUNTIME_DIR/bus)")
	}
	done := make(chan error, 1) // buffered: a probe that answers late does not block forever
	go func() {
		_, err := secretService{}.Get(KeyringService, KeyringUser)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return secretService{}, nil
	case <-time.After(secretServiceProbe):
		return nil, fmt.Errorf("secret service: no answer within %v", secretServiceProbe)
	}
}

// DefaultKeyring is the desktop keyring when one answers, else a FileKeyring in
// configDir, with a warning in the log saying why.
func DefaultKeyring(configDir string, log *slog.Logger) Keyring {
	if log == nil {
		log = slog.Default()
	}
	kr, err := SecretServiceKeyring()
	if err == nil {
		return kr
	}
	fk := &FileKeyring{Dir: configDir}
	file := fk.path(KeyringService, KeyringUser)
	// Said once, when the key file is about to be made; after that, every command
	// would repeat what the user already knows.
	level := slog.LevelWarn
	if _, serr := os.Stat(file); serr == nil {
		level = slog.LevelDebug
	}
	log.Log(context.Background(), level, "storage: no desktop keyring; the storage master key is kept in a file protected only by its permissions",
		"file", file, "reason", err.Error())
	return fk
}

// readAll reads at most limit bytes, failing on more.
func readAll(f *os.File, limit int) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if n > int64(limit) {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return buf.Bytes(), nil
}
