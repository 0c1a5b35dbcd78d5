package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

const (
	// format names this encryption layout; it is part of every associated data, so data
	// sealed under another layout never decrypts as this one.
	format = "sf-storage/1"

	masterKeyLen = 32               // AES-256
	materialLen  = 2 * masterKeyLen // an app's data key followed by its name-hash key
)

// aad builds associated data from a purpose and fields, each length-prefixed so that no
// two different field lists give the same bytes ("ab"+"c" vs "a"+"bc").
func aad(purpose string, fields ...[]byte) []byte {
	n := len(format) + len(purpose) + 8
	for _, f := range fields {
		n += 4 + len(f)
	}
	out := make([]byte, 0, n)
	out = append(out, format...)
	out = append(out, 0)
	out = append(out, purpose...)
	out = append(out, 0)
	for _, f := range fields {
		out = binary.BigEndian.AppendUint32(out, uint32(len(f)))
		out = append(out, f...)
	}
	return out
}

func versionBytes(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts plain under a fresh random 96-bit nonce: nonce || ciphertext || tag.
func seal(aead cipher.AEAD, plain, ad []byte) ([]byte, error) {
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return aead.Seal(out, out, plain, ad), nil
}

// errAuth is a ciphertext that failed authentication: wrong key, tampered, or moved.
var errAuth = errors.New("authentication failed")

func unseal(aead cipher.AEAD, sealed, ad []byte) ([]byte, error) {
	ns := aead.NonceSize()
	if len(sealed) < ns+aead.Overhead() {
		return nil, errAuth
	}
	plain, err := aead.Open(nil, sealed[:ns], sealed[ns:], ad)
	if err != nil {
		return nil, errAuth
	}
	return plain, nil
}

// masterKey wraps and unwraps the apps' keys.
type masterKey struct {
	aead  cipher.AEAD
	check []byte // HMAC of a constant: recognises the key without revealing it
}

func newMasterKey(raw []byte) (*masterKey, error) {
	if len(raw) != masterKeyLen {
		return nil, fmt.Errorf("master key is %d bytes, want %d", len(raw), masterKeyLen)
	}
	aead, err := newGCM(raw)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, raw)
	mac.Write([]byte(format + " master key check"))
	return &masterKey{aead: aead, check: mac.Sum(nil)}, nil
}

// wrap seals an app's key material, bound to the app and the key version, so a wrapped
// key copied into another app's database (or replayed as another version) fails.
func (m *masterKey) wrap(app string, version int64, material []byte) ([]byte, error) {
	return seal(m.aead, material, aad("wrap", []byte(app), versionBytes(version)))
}

func (m *masterKey) unwrap(app string, version int64, wrapped []byte) ([]byte, error) {
	material, err := unseal(m.aead, wrapped, aad("wrap", []byte(app), versionBytes(version)))
	if err != nil {
		return nil, err
	}
	if len(material) != materialLen {
		return nil, fmt.Errorf("app key material is %d bytes, want %d", len(material), materialLen)
	}
	return material, nil
}

// newMaterial draws a new random data key and name-hash key.
func newMaterial() ([]byte, error) {
	m := make([]byte, materialLen)
	if _, err := rand.Read(m); err != nil {
		return nil, fmt.Errorf("app key: %w", err)
	}
	return m, nil
}

// appKeys are one app's keys at one version: the AES-256-GCM data key that seals names
// and values, and the separate HMAC key that turns names into look-up hashes.
type appKeys struct {
	app     []byte
	version int64
	vbytes  []byte
	aead    cipher.AEAD
	nameKey []byte
}

func newAppKeys(app string, version int64, material []byte) (*appKeys, error) {
	if len(material) != materialLen {
		return nil, fmt.Errorf("app key material is %d bytes, want %d", len(material), materialLen)
	}
	aead, err := newGCM(material[:masterKeyLen])
	if err != nil {
		return nil, err
	}
	return &appKeys{
		app: []byte(app), version: version, vbytes: versionBytes(version), aead: aead,
		nameKey: append([]byte(nil), material[masterKeyLen:]...),
	}, nil
}

// nameHash is the row's look-up key: equal names give equal hashes within one app and
// key version, and nothing about the name without the key.
func (k *appKeys) nameHash(name string) []byte {
	mac := hmac.New(sha256.New, k.nameKey)
	mac.Write([]byte(name))
	return mac.Sum(nil)
}

// The name is bound to its row's hash, the value to its name: a value moved under another
// name, a name moved to another row, or either moved into another app fails to open.
func (k *appKeys) nameAD(h []byte) []byte { return aad("name", k.app, k.vbytes, h) }
func (k *appKeys) valueAD(name string) []byte {
	return aad("value", k.app, k.vbytes, []byte(name))
}

func (k *appKeys) sealName(h []byte, name string) ([]byte, error) {
	return seal(k.aead, []byte(name), k.nameAD(h))
}

func (k *appKeys) openName(h, sealed []byte) (string, error) {
	b, err := unseal(k.aead, sealed, k.nameAD(h))
	return string(b), err
}

func (k *appKeys) sealValue(name string, value []byte) ([]byte, error) {
	return seal(k.aead, value, k.valueAD(name))
}

func (k *appKeys) openValue(name string, sealed []byte) ([]byte, error) {
	return unseal(k.aead, sealed, k.valueAD(name))
}
