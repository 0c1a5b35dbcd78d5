package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// KeyID names a publisher key: the first 16 lowercase hex digits (64 bits) of the SHA-256
// of the 32-byte ed25519 public key. It is a label for lookups and display, not a proof:
// verification always compares the whole public key, so a colliding id gains nothing.
type KeyID string

// Validate reports why id is not 16 lowercase hex digits.
func (id KeyID) Validate() error {
	if len(id) != 16 {
		return fmt.Errorf("key id %q is not 16 lowercase hex digits", string(id))
	}
	for _, c := range []byte(id) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Errorf("key id %q is not 16 lowercase hex digits", string(id))
		}
	}
	return nil
}

// IDOf returns the key id of pub.
func IDOf(pub ed25519.PublicKey) KeyID {
	sum := sha256.Sum256(pub)
	return KeyID(hex.EncodeToString(sum[:8]))
}

// GenerateKey makes a new publisher key pair.
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return pub, priv, nil
}

const pubPrefix = "ed25519:"

// EncodePublicKey is the one text form of a public key: "ed25519:" and the standard
// base64 of its 32 bytes (52 characters in all).
func EncodePublicKey(pub ed25519.PublicKey) string {
	return pubPrefix + base64.StdEncoding.EncodeToString(pub)
}

// DecodePublicKey parses EncodePublicKey's form, and only that form (no other padding,
// alphabet or whitespace).
func DecodePublicKey(s string) (ed25519.PublicKey, error) {
	b64, ok := strings.CutPrefix(s, pubPrefix)
	if !ok {
		return nil, fmt.Errorf("public key %.60q: want \"ed25519:\" and base64", s)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(raw) != ed25519.PublicKeySize || base64.StdEncoding.EncodeToString(raw) != b64 {
		return nil, fmt.Errorf("public key %.60q: not the base64 of %d bytes", s, ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}

const (
	pemPrivateType = "PRIVATE KEY" // PKCS #8, as openssl writes it
	maxKeyFile     = 4096
)

// checkPrivateKey refuses anything but a well-formed ed25519 private key (its public half
// must be the one its seed gives).
func checkPrivateKey(priv ed25519.PrivateKey) error {
	if len(priv) != ed25519.PrivateKeySize {
		return fmt.Errorf("private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	if !bytes.Equal(ed25519.NewKeyFromSeed(priv.Seed()), priv) {
		return errors.New("private key's public half does not match its seed")
	}
	return nil
}

// WritePrivateKey writes priv as a PKCS #8 PEM file (openssl reads it) created with mode
// 0600. An existing file is never overwritten: losing a publisher key is unrecoverable.
func WritePrivateKey(path string, priv ed25519.PrivateKey) (err error) {
	if err := checkPrivateKey(priv); err != nil {
		return fmt.Errorf("write private key %s: %w", path, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("write private key %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("write private key %s: the file exists; refusing to overwrite a key", path)
		}
		return fmt.Errorf("write private key: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write private key %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if err := pem.Encode(f, &pem.Block{Type: pemPrivateType, Bytes: der}); err != nil {
		return fmt.Errorf("write private key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write private key %s: %w", path, err)
	}
	return nil
}

// ReadPrivateKey reads a file written by WritePrivateKey. It refuses a file that its group
// or others may read or write (on systems with Unix permissions), anything but one PEM
// PKCS #8 ed25519 key, and files over 4 KiB.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read private key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read private key %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read private key %s: not a regular file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("read private key %s: mode %#o lets group or others at it; run chmod 600 %s",
			path, fi.Mode().Perm(), path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read private key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("read private key %s: over %d bytes, not a key file", path, maxKeyFile)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != pemPrivateType || len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("read private key %s: want one PEM %q block", path, pemPrivateType)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read private key %s: %w", path, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("read private key %s: a %T, want an ed25519 key", path, key)
	}
	if err := checkPrivateKey(priv); err != nil {
		return nil, fmt.Errorf("read private key %s: %w", path, err)
	}
	return priv, nil
}
