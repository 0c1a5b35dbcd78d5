package bundle

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrivateKeyFile(t *testing.T) {
	pub, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "publisher.key")
	if err := WritePrivateKey(path, priv); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	got, err := ReadPrivateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, priv) || !bytes.Equal(got.Public().(ed25519.PublicKey), pub) {
		t.Fatal("read back a different key")
	}

	_, other, _ := GenerateKey()
	if err := WritePrivateKey(path, other); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("overwrite: %v", err)
	}
	if again, _ := ReadPrivateKey(path); !bytes.Equal(again, priv) {
		t.Fatal("the refused write changed the key file")
	}

	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPrivateKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("group-readable key: %v", err)
	}
	os.Chmod(path, 0o604)
	if _, err := ReadPrivateKey(path); err == nil {
		t.Error("world-readable key accepted")
	}
}

func TestReadPrivateKeyRefusesJunk(t *testing.T) {
	dir := t.TempDir()
	_, priv, _ := GenerateKey()
	good := filepath.Join(dir, "good")
	WritePrivateKey(good, priv)
	pemText, _ := os.ReadFile(good)
	for name, content := range map[string]string{
		"empty":          "",
		"not PEM":        "hello",
		"wrong type":     strings.Replace(string(pemText), "PRIVATE KEY", "PUBLIC KEY", 2),
		"trailing block": string(pemText) + string(pemText),
		"huge":           strings.Repeat("A", 5000),
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		os.WriteFile(p, []byte(content), 0o600)
		if _, err := ReadPrivateKey(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := WritePrivateKey(filepath.Join(dir, "short"), priv[:10]); err == nil {
		t.Error("short private key written")
	}
	if _, err := os.Stat(filepath.Join(dir, "short")); !os.IsNotExist(err) {
		t.Error("refused key left a file")
	}
}

func TestPublicKeyText(t *testing.T) {
	pub := testKey(t, 7).Public().(ed25519.PublicKey)
	s := EncodePublicKey(pub)
	if !strings.HasPrefix(s, "ed25519:") || len(s) != 52 {
		t.Fatalf("EncodePublicKey = %q", s)
	}
	back, err := DecodePublicKey(s)
	if err != nil || !bytes.Equal(back, pub) {
		t.Fatalf("DecodePublicKey: %v", err)
	}
	for _, bad := range []string{
		"", s[8:], "ED25519:" + s[8:], s + "=", s[:51], " " + s, s + "\n",
		"ed25519:" + strings.ReplaceAll(s[8:], "+", "-"),
		"ed25519:AAAA",
	} {
		if _, err := DecodePublicKey(bad); err == nil && bad != s {
			t.Errorf("DecodePublicKey(%q) accepted", bad)
		}
	}
	id := IDOf(pub)
	if err := id.Validate(); err != nil || len(id) != 16 {
		t.Errorf("IDOf = %q (%v)", id, err)
	}
	if IDOf(testKey(t, 8).Public().(ed25519.PublicKey)) == id {
		t.Error("two keys, one id")
	}
}
