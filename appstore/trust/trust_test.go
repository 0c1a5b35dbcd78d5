package trust

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

func key(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config", "trust.json")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

// signedBundle packs a tiny app signed with priv (nil: unsigned) and opens it.
func signedBundle(t *testing.T, priv ed25519.PrivateKey) *bundle.Bundle {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.json"), []byte(`{"id":"dev.t","version":"1.0.0"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "app.js"), []byte(`App({})`), 0o644)
	var buf bytes.Buffer
	if _, err := bundle.Pack(dir, &buf, bundle.PackOptions{Key: priv}); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAddCheckListRemove(t *testing.T) {
	s, path := openStore(t)
	pubA, _ := key(1)
	pubB, _ := key(2)
	idA, idB := bundle.IDOf(pubA), bundle.IDOf(pubB)

	if tr, err := s.Check(idA); err != nil || tr.Status != Untrusted {
		t.Fatalf("empty store: %v, %v", tr, err)
	}
	if err := s.Add("Acme", pubA); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("Beta Corp", pubB); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("store file: %v mode %v, want 0600", err, fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("store dir mode %v, want 0700", di.Mode().Perm())
	}
	tr, err := s.Check(idA)
	if err != nil || tr.Status != Trusted || tr.Key.Name != "Acme" || !bytes.Equal(tr.Key.Public, pubA) {
		t.Fatalf("Check(A) = %+v, %v", tr, err)
	}
	if !strings.Contains(tr.String(), "trusted (Acme") {
		t.Errorf("String = %q", tr.String())
	}
	if err := s.Add("Acme again", pubA); !errors.Is(err, ErrExists) {
		t.Errorf("Add twice = %v", err)
	}

	// A second Store on the same file (another process) sees the same keys.
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := s2.List()
	if err != nil || len(keys) != 2 || keys[0].Name != "Acme" || keys[1].Name != "Beta Corp" {
		t.Fatalf("List = %+v, %v", keys, err)
	}

	if err := s.Remove(idA); err != nil {
		t.Fatal(err)
	}
	if tr, _ := s2.Check(idA); tr.Status != Untrusted {
		t.Errorf("removed key: %v", tr)
	}
	if err := s.Remove(idA); !errors.Is(err, ErrNotFound) {
		t.Errorf("Remove twice = %v", err)
	}
	if tr, _ := s.Check(idB); tr.Status != Trusted {
		t.Errorf("other key after remove: %v", tr)
	}
}

func TestRevoke(t *testing.T) {
	s, _ := openStore(t)
	pub, priv := key(1)
	id := bundle.IDOf(pub)
	if err := s.Add("Acme", pub); err != nil {
		t.Fatal(err)
	}
	b := signedBundle(t, priv)
	if tr, err := s.Verify(b); err != nil || tr.Status != Trusted {
		t.Fatalf("Verify before revoking: %v, %v", tr, err)
	}
	if err := s.Revoke(id, ""); err == nil {
		t.Error("revoke without a reason")
	}
	if err := s.Revoke(id, "key leaked"); err != nil {
		t.Fatal(err)
	}
	tr, err := s.Check(id)
	if err != nil || tr.Status != Revoked || tr.Key.Reason != "key leaked" || tr.Key.RevokedAt.IsZero() {
		t.Fatalf("Check after revoke = %+v, %v", tr, err)
	}
	// The app signed by it is blocked at its next launch.
	if _, err := s.Verify(b); !errors.Is(err, ErrRevoked) || !strings.Contains(err.Error(), "key leaked") {
		t.Fatalf("Verify after revoking = %v", err)
	}
	// Revoked keys stay listed as revoked; adding them again is refused.
	keys, _ := s.List()
	if len(keys) != 1 || !keys[0].Revoked || keys[0].Name != "Acme" {
		t.Errorf("List = %+v", keys)
	}
	if err := s.Add("Acme", pub); !errors.Is(err, ErrRevoked) {
		t.Errorf("re-add revoked = %v", err)
	}
	if err := s.Revoke(id, "second reason"); err != nil {
		t.Fatal(err)
	}
	if tr, _ := s.Check(id); tr.Key.Reason != "key leaked" {
		t.Errorf("second revoke replaced the first: %q", tr.Key.Reason)
	}
	// Only a deliberate remove lifts it.
	if err := s.Remove(id); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("Acme", pub); err != nil {
		t.Errorf("add after remove: %v", err)
	}
}

func TestRevokeUnknownKey(t *testing.T) {
	s, _ := openStore(t)
	pub, priv := key(3)
	id := bundle.IDOf(pub)
	if err := s.Revoke(id, "known malicious"); err != nil {
		t.Fatal(err)
	}
	if tr, _ := s.Check(id); tr.Status != Revoked {
		t.Errorf("Check = %v", tr)
	}
	if _, err := s.Verify(signedBundle(t, priv)); !errors.Is(err, ErrRevoked) {
		t.Errorf("Verify = %v", err)
	}
	if err := s.Revoke("not-an-id", "x"); err == nil {
		t.Error("revoked a malformed id")
	}
}

func TestVerify(t *testing.T) {
	s, _ := openStore(t)
	pub, priv := key(1)
	_, stranger := key(2)
	s.Add("Acme", pub)

	if _, err := s.Verify(signedBundle(t, nil)); !errors.Is(err, bundle.ErrUnsigned) {
		t.Errorf("unsigned: %v", err)
	}
	if tr, err := s.Verify(signedBundle(t, stranger)); !errors.Is(err, ErrUntrusted) || tr.Status != Untrusted {
		t.Errorf("stranger: %v, %v", tr, err)
	}
	// A bundle naming the trusted id but carrying another key (an id collision, forged
	// here by editing the opened bundle) fails on the full key.
	b := signedBundle(t, stranger)
	b.Manifest.Signer = bundle.IDOf(pub)
	if _, err := s.Verify(b); !errors.Is(err, bundle.ErrWrongKey) {
		t.Errorf("colliding id: %v", err)
	}
	if tr, err := s.Verify(signedBundle(t, priv)); err != nil || tr.Key.Name != "Acme" {
		t.Errorf("trusted: %v, %v", tr, err)
	}
}

func TestBuiltinPublisher(t *testing.T) {
	pub, priv := key(9)
	BuiltinPublisher = pub
	defer func() { BuiltinPublisher = nil }()
	id := bundle.IDOf(pub)

	s, _ := openStore(t)
	tr, err := s.Check(id)
	if err != nil || tr.Status != Trusted || !tr.Key.Builtin {
		t.Fatalf("Check(builtin) = %+v, %v", tr, err)
	}
	if _, err := s.Verify(signedBundle(t, priv)); err != nil {
		t.Errorf("Verify(builtin-signed): %v", err)
	}
	keys, _ := s.List()
	if len(keys) != 1 || !keys[0].Builtin || keys[0].Name != BuiltinName {
		t.Errorf("List = %+v", keys)
	}
	if err := s.Add("x", pub); !errors.Is(err, ErrExists) {
		t.Errorf("Add(builtin) = %v", err)
	}
	if err := s.Remove(id); err == nil || !strings.Contains(err.Error(), "revoke it") {
		t.Errorf("Remove(builtin) = %v", err)
	}
	if err := s.Revoke(id, "compromised"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(signedBundle(t, priv)); !errors.Is(err, ErrRevoked) {
		t.Errorf("Verify after revoking the builtin = %v", err)
	}
	keys, _ = s.List()
	if len(keys) != 1 || !keys[0].Builtin || !keys[0].Revoked {
		t.Errorf("List after revoke = %+v", keys)
	}
}

func TestOpenRefusesDamagedOrUnsafeStore(t *testing.T) {
	pub, _ := key(1)
	good := `{"format":"sandframe-trust-1","keys":[{"id":"` + string(bundle.IDOf(pub)) + `","name":"A","public":"` + bundle.EncodePublicKey(pub) + `","added":"2026-01-01T00:00:00Z"}]}`
	pub2, _ := key(2)
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		want          string
	}{
		{"good", good, 0o600, ""},
		{"group-writable", good, 0o620, "chmod 600"},
		{"world-writable", good, 0o602, "chmod 600"},
		{"not JSON", "{", 0o600, "unreadable"},
		{"unknown field", strings.Replace(good, `"name"`, `"trusted":true,"name"`, 1), 0o600, "unknown field"},
		{"wrong format", strings.Replace(good, "trust-1", "trust-9", 1), 0o600, "format"},
		{"id not the key's", strings.Replace(good, string(bundle.IDOf(pub)), string(bundle.IDOf(pub2)), 1), 0o600, "not the id of the key"},
		{"bad key", strings.Replace(good, bundle.EncodePublicKey(pub), "ed25519:AAAA", 1), 0o600, "public"},
		{"duplicate", strings.Replace(good, `}]}`, `},`+good[strings.Index(good, `{"id"`):], 1), 0o600, "listed twice"},
		{"key missing", strings.Replace(good, `"public":"`+bundle.EncodePublicKey(pub)+`",`, ``, 1), 0o600, "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trust.json")
			os.WriteFile(path, []byte(tc.content), 0o600)
			os.Chmod(path, tc.mode)
			_, err := Open(path)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestConcurrentAdds: two stores on one file (two processes, in effect) adding at once
// lose nothing.
func TestConcurrentAdds(t *testing.T) {
	_, path := openStore(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			pub, _ := key(byte(10 + i))
			if err := s.Add("k", pub); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s, _ := Open(path)
	if keys, err := s.List(); err != nil || len(keys) != 16 {
		t.Fatalf("List: %d keys, %v", len(keys), err)
	}
}

func TestAddRefusesBadInput(t *testing.T) {
	s, _ := openStore(t)
	pub, _ := key(1)
	for _, name := range []string{"", " Acme", "Acme\n", strings.Repeat("x", 65)} {
		if err := s.Add(name, pub); err == nil {
			t.Errorf("Add(%q) accepted", name)
		}
	}
	if err := s.Add("Acme", pub[:5]); err == nil {
		t.Error("short key accepted")
	}
}
