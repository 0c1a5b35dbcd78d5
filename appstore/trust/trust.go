// Package trust is the store of publisher keys a bundle may be signed by: which keys are
// trusted, under what name, and which are revoked (and why). It is one small JSON file,
// mode 0600, replaced atomically on every change and read afresh on every check, so a
// revocation made by `shell trust` reaches the next launch of any shell process.
package trust

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/internal/filelock"
)

// BuiltinPublisher is the key that signs the apps shipped with the shell. The lead sets it
// from an embedded key; while nil there is no built-in publisher. It is trusted in every
// store without being written to it, and can be revoked like any other key.
var BuiltinPublisher ed25519.PublicKey

// BuiltinName is the name the built-in publisher is listed under.
const BuiltinName = "Sandframe (built-in)"

// Status is how far a key is trusted.
type Status int

// Statuses.
const (
	Untrusted Status = iota // not in the store: the app runs only when sideloaded on purpose
	Trusted
	Revoked // was trusted; its apps are blocked
)

func (s Status) String() string {
	switch s {
	case Trusted:
		return "trusted"
	case Revoked:
		return "revoked"
	}
	return "untrusted"
}

// Key is one entry of the store.
type Key struct {
	ID        bundle.KeyID
	Name      string            // the publisher, as the user named it
	Public    ed25519.PublicKey // nil for a revocation of a key the store never held
	Added     time.Time
	Builtin   bool
	Revoked   bool
	RevokedAt time.Time
	Reason    string // why it was revoked
}

// Trust is the answer of Check.
type Trust struct {
	Status Status
	Key    Key // the entry; zero when Untrusted
}

func (t Trust) String() string {
	switch t.Status {
	case Trusted:
		return fmt.Sprintf("trusted (%s, key %s)", t.Key.Name, t.Key.ID)
	case Revoked:
		return fmt.Sprintf("revoked (key %s: %s)", t.Key.ID, t.Key.Reason)
	}
	return "untrusted"
}

// Errors.
var (
	ErrNotFound  = errors.New("key not in the trust store")
	ErrExists    = errors.New("key already in the trust store")
	ErrRevoked   = errors.New("key revoked")
	ErrUntrusted = errors.New("key not trusted")
	ErrCorrupt   = errors.New("trust store unreadable")
)

const (
	storeFormat  = "sandframe-trust-1"
	maxStoreSize = 4 << 20
	maxName      = 64
	maxReason    = 256
)

// Store is the trust store at one path. Safe for concurrent use; changes from several
// processes are serialized by a lock file beside the store (on Unix).
type Store struct {
	path string
	mu   sync.Mutex
	now  func() time.Time
}

// Open opens the store at path, reading it once to report a damaged or unsafe file now
// rather than at the first launch. A missing file is an empty store; it is created (0600,
// its directory 0700) by the first change.
func Open(path string) (*Store, error) {
	s := &Store{path: path, now: time.Now}
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// file is the store on disk.
type file struct {
	Format string   `json:"format"`
	Keys   []record `json:"keys"`
}

type record struct {
	ID      bundle.KeyID `json:"id"`
	Name    string       `json:"name,omitempty"`
	Public  string       `json:"public,omitempty"` // bundle.EncodePublicKey form
	Added   time.Time    `json:"added"`
	Revoked *revocation  `json:"revoked,omitempty"`
}

type revocation struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func (r record) key() Key {
	k := Key{ID: r.ID, Name: r.Name, Added: r.Added}
	k.Public, _ = bundle.DecodePublicKey(r.Public) // checked by load
	if r.Revoked != nil {
		k.Revoked, k.RevokedAt, k.Reason = true, r.Revoked.At, r.Revoked.Reason
	}
	if BuiltinPublisher != nil && r.ID == bundle.IDOf(BuiltinPublisher) {
		k.Builtin = true
		if k.Name == "" {
			k.Name = BuiltinName
		}
	}
	return k
}

func builtinKey() (Key, bool) {
	if len(BuiltinPublisher) != ed25519.PublicKeySize {
		return Key{}, false
	}
	return Key{ID: bundle.IDOf(BuiltinPublisher), Name: BuiltinName, Public: BuiltinPublisher, Builtin: true}, true
}

// load reads and checks the store file.
func (s *Store) load() ([]record, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("trust store: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("trust store %s: %w", s.path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("trust store %s: %w: not a regular file", s.path, ErrCorrupt)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("trust store %s: mode %#o lets group or others change which keys are trusted; run chmod 600 %s",
			s.path, fi.Mode().Perm(), s.path)
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxStoreSize+1))
	if err != nil {
		return nil, fmt.Errorf("trust store %s: %w", s.path, err)
	}
	if len(raw) > maxStoreSize {
		return nil, fmt.Errorf("trust store %s: %w: over %d bytes", s.path, ErrCorrupt, maxStoreSize)
	}
	var doc file
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("trust store %s: %w: %v", s.path, ErrCorrupt, err)
	}
	if doc.Format != storeFormat {
		return nil, fmt.Errorf("trust store %s: %w: format %q, want %q", s.path, ErrCorrupt, doc.Format, storeFormat)
	}
	seen := make(map[bundle.KeyID]bool, len(doc.Keys))
	for i, r := range doc.Keys {
		bad := func(field, format string, args ...any) error {
			return fmt.Errorf("trust store %s: %w: keys[%d].%s: %s", s.path, ErrCorrupt, i, field, fmt.Sprintf(format, args...))
		}
		if err := r.ID.Validate(); err != nil {
			return nil, bad("id", "%v", err)
		}
		if seen[r.ID] {
			return nil, bad("id", "%s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Public == "" && r.Revoked == nil {
			return nil, bad("public", "missing (only a revocation may omit the key)")
		}
		if r.Public != "" {
			pub, err := bundle.DecodePublicKey(r.Public)
			if err != nil {
				return nil, bad("public", "%v", err)
			}
			if bundle.IDOf(pub) != r.ID {
				return nil, bad("id", "%s is not the id of the key (%s)", r.ID, bundle.IDOf(pub))
			}
		}
		if r.Name != "" {
			if err := checkName(r.Name); err != nil {
				return nil, bad("name", "%v", err)
			}
		}
	}
	return doc.Keys, nil
}

// save replaces the store file atomically: a temporary file in the same directory,
// synced, renamed over the old one, and the directory synced.
func (s *Store) save(recs []record) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	raw, err := json.MarshalIndent(file{Format: storeFormat, Keys: recs}, "", "  ")
	if err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".*")
	if err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing there
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("trust store: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("trust store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// change runs fn on the records under both locks and saves what it returns.
func (s *Store) change(fn func([]record) ([]record, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("trust store: %w", err)
	}
	unlock, err := filelock.Lock(s.path+".lock", 0o600)
	if err != nil {
		return fmt.Errorf("trust store: lock: %w", err)
	}
	defer unlock()
	recs, err := s.load()
	if err != nil {
		return err
	}
	recs, err = fn(recs)
	if err != nil {
		return err
	}
	return s.save(recs)
}

func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) != name || name == "":
		return fmt.Errorf("name %q is empty or has leading or trailing space", name)
	case utf8.RuneCountInString(name) > maxName:
		return fmt.Errorf("name is over %d characters", maxName)
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return fmt.Errorf("name %q has a control or non-printing character", name)
	}
	return nil
}

// Add trusts pub under name. A key already present is an error (ErrExists), and so is a
// revoked one (ErrRevoked): revocation sticks until the key is removed on purpose.
func (s *Store) Add(name string, pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("trust add: public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if err := checkName(name); err != nil {
		return fmt.Errorf("trust add: %w", err)
	}
	id := bundle.IDOf(pub)
	return s.change(func(recs []record) ([]record, error) {
		for _, r := range recs {
			if r.ID == id {
				if r.Revoked != nil {
					return nil, fmt.Errorf("trust add %s: %w (%s); remove it first to trust it again", id, ErrRevoked, r.Revoked.Reason)
				}
				return nil, fmt.Errorf("trust add %s: %w as %q", id, ErrExists, r.Name)
			}
		}
		if b, ok := builtinKey(); ok && b.ID == id {
			return nil, fmt.Errorf("trust add %s: %w: it is the built-in publisher", id, ErrExists)
		}
		return append(recs, record{ID: id, Name: name, Public: bundle.EncodePublicKey(pub), Added: s.now().UTC()}), nil
	})
}

// Remove deletes the entry of id, revoked or not. Removing a revocation of the built-in
// key trusts it again; the built-in key itself cannot be removed (revoke it instead).
func (s *Store) Remove(id bundle.KeyID) error {
	return s.change(func(recs []record) ([]record, error) {
		i := slices.IndexFunc(recs, func(r record) bool { return r.ID == id })
		if i < 0 {
			if b, ok := builtinKey(); ok && b.ID == id {
				return nil, fmt.Errorf("trust remove %s: the built-in publisher cannot be removed; revoke it", id)
			}
			return nil, fmt.Errorf("trust remove %s: %w", id, ErrNotFound)
		}
		return slices.Delete(recs, i, i+1), nil
	})
}

// Revoke marks id revoked with a reason. The entry stays listed as revoked, and every app
// it signed is refused at its next launch. An id the store never held is recorded too, so
// a key can be blocked before anything signed by it arrives. Revoking twice keeps the
// first revocation.
func (s *Store) Revoke(id bundle.KeyID, reason string) error {
	if err := id.Validate(); err != nil {
		return fmt.Errorf("trust revoke: %w", err)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxReason {
		return fmt.Errorf("trust revoke %s: a reason of 1 to %d characters is required", id, maxReason)
	}
	return s.change(func(recs []record) ([]record, error) {
		rev := &revocation{At: s.now().UTC(), Reason: reason}
		for i := range recs {
			if recs[i].ID == id {
				if recs[i].Revoked == nil {
					recs[i].Revoked = rev
				}
				return recs, nil
			}
		}
		r := record{ID: id, Added: rev.At, Revoked: rev}
		if b, ok := builtinKey(); ok && b.ID == id {
			r.Name, r.Public = BuiltinName, bundle.EncodePublicKey(b.Public)
		}
		return append(recs, r), nil
	})
}

// List returns every entry: the built-in publisher first (when set), then by name and id.
func (s *Store) List() ([]Key, error) {
	recs, err := s.load()
	if err != nil {
		return nil, err
	}
	keys := make([]Key, 0, len(recs)+1)
	for _, r := range recs {
		keys = append(keys, r.key())
	}
	slices.SortFunc(keys, func(a, b Key) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	if b, ok := builtinKey(); ok {
		if i := slices.IndexFunc(keys, func(k Key) bool { return k.ID == b.ID }); i >= 0 {
			b = keys[i]
			keys = slices.Delete(keys, i, i+1)
		}
		keys = slices.Insert(keys, 0, b)
	}
	return keys, nil
}

// Check says how far id is trusted. An error means the store could not be read: callers
// must then treat every bundle as untrusted.
func (s *Store) Check(id bundle.KeyID) (Trust, error) {
	recs, err := s.load()
	if err != nil {
		return Trust{}, err
	}
	for _, r := range recs {
		if r.ID == id {
			k := r.key()
			if k.Revoked {
				return Trust{Status: Revoked, Key: k}, nil
			}
			return Trust{Status: Trusted, Key: k}, nil
		}
	}
	if b, ok := builtinKey(); ok && b.ID == id {
		return Trust{Status: Trusted, Key: b}, nil
	}
	return Trust{Status: Untrusted}, nil
}

// Verify is the launch and install check: b must be signed, by a key this store trusts
// and has not revoked, and the signature must hold for that very key (not merely one with
// the same id). The Trust is returned also on failure, for the report.
func (s *Store) Verify(b *bundle.Bundle) (Trust, error) {
	m := b.Manifest
	if !b.Signed {
		return Trust{Status: Untrusted}, fmt.Errorf("%s %s: %w", m.AppID, m.Version, bundle.ErrUnsigned)
	}
	t, err := s.Check(m.Signer)
	if err != nil {
		return Trust{Status: Untrusted}, err
	}
	switch t.Status {
	case Revoked:
		return t, fmt.Errorf("%s %s: signer %s: %w: %s", m.AppID, m.Version, m.Signer, ErrRevoked, t.Key.Reason)
	case Untrusted:
		return t, fmt.Errorf("%s %s: signer %s: %w", m.AppID, m.Version, m.Signer, ErrUntrusted)
	}
	if err := b.Verify(t.Key.Public); err != nil {
		return Trust{Status: Untrusted}, err
	}
	return t, nil
}
