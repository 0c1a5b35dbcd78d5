// Package verify checks a Sandframe login code: what wx.login hands a mini-app, and the
// app hands its own backend. The backend needs no server of Sandframe's: the code is a
// short-lived JSON Web Token (RFC 7519) signed with EdDSA (RFC 8037) by a key the shell
// keeps for this user in this app only, and carries that public key in its header
// ("jwk"). The user's id for the app ("sub") is the key's JWK thumbprint (RFC 7638), so
// a code cannot claim another user's id without that user's key; the backend trusts the
// key on first use, as an account key, and may pin it afterwards (Options.Key).
//
// Two apps get two unrelated keys, hence two unrelated ids: they cannot link one user.
// What a code does not prove: that a person, or Sandframe at all, made it. Anyone can
// make a key and a code for a fresh pseudonym; what nobody else can do is make one for
// a pseudonym whose key they do not hold. docs/identity-login.md has the format.
//
// This package imports nothing of the shell but the standard library, so a backend
// written in Go can vendor it alone.
package verify

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The format's fixed values.
const (
	Type   = "sandframe-login+jwt" // the header's "typ"
	Alg    = "EdDSA"               // the header's "alg"
	Issuer = "sandframe"           // the payload's "iss"
	// MaxLifetime bounds exp - iat: a code is for one exchange with the backend, not a
	// session token. The shell issues codes valid for Lifetime.
	MaxLifetime = 10 * time.Minute
	Lifetime    = 5 * time.Minute
	// MaxCodeBytes bounds what Verify reads.
	MaxCodeBytes = 4096
	// Skew is the clock difference tolerated between the user's machine and the backend.
	Skew = time.Minute
)

// Header is the token's JOSE header.
type Header struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	JWK JWK    `json:"jwk"`
}

// JWK is an Ed25519 public key as a JSON Web Key (RFC 8037).
type JWK struct {
	Kty string `json:"kty"` // "OKP"
	Crv string `json:"crv"` // "Ed25519"
	X   string `json:"x"`   // the 32-byte public key, base64url without padding
}

// Claims is the token's payload.
type Claims struct {
	Issuer   string `json:"iss"` // "sandframe"
	Audience string `json:"aud"` // the app id (app.json "id")
	Subject  string `json:"sub"` // the user's pseudonym for this app: Thumbprint of the key
	App      string `json:"app"` // the app's identity: "ID@KEYID" (signer key id) or "ID@unverified"
	IssuedAt int64  `json:"iat"` // Unix seconds
	Expires  int64  `json:"exp"` // Unix seconds
	ID       string `json:"jti"` // random, unique per code: a backend may refuse one it has seen
}

// Options say what the backend expects.
type Options struct {
	// App is the backend's app id: the code's aud must be it. "ID@KEYID" or
	// "ID@unverified" also requires the code's app (the identity that asked for it) to be
	// exactly that. Empty accepts any app: only for inspecting a code.
	App string
	// Key pins the user's key: the public key (base64url, as in the header's jwk.x) or
	// its thumbprint (the sub) recorded at the first login. Empty trusts the key the
	// code carries (first use).
	Key string
	// Now is the time to check expiry against; zero means time.Now().
	Now time.Time
}

// Result is a verified code.
type Result struct {
	Subject string // the pseudonymous user id: store accounts under it
	Key     string // the public key (jwk.x), to pin later logins with Options.Key
	Claims  Claims
}

// Errors Verify wraps, for a backend that answers differently.
var (
	ErrMalformed = errors.New("not a Sandframe login code")
	ErrSignature = errors.New("signature does not verify")
	ErrExpired   = errors.New("code expired")
	ErrAudience  = errors.New("code is for another app")
	ErrKey       = errors.New("code is signed by another key than the pinned one")
)

var b64 = base64.RawURLEncoding

// Thumbprint is the RFC 7638 thumbprint of an Ed25519 public key: base64url of the
// SHA-256 of {"crv":"Ed25519","kty":"OKP","x":"..."}. It is the code's sub.
func Thumbprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(pub) + `"}`))
	return b64.EncodeToString(sum[:])
}

// Verify checks code: its form, its signature by the key it carries, that the sub is
// that key's thumbprint, the issuer, the audience, the expiry (and a lifetime of at
// most MaxLifetime), and the pinned key if any.
func Verify(code string, o Options) (Result, error) {
	code = strings.TrimSpace(code)
	if len(code) > MaxCodeBytes {
		return Result{}, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxCodeBytes)
	}
	parts := strings.Split(code, ".")
	if len(parts) != 3 {
		return Result{}, fmt.Errorf("%w: want three dot-separated parts", ErrMalformed)
	}
	var h Header
	if err := decodePart(parts[0], &h); err != nil {
		return Result{}, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if h.Alg != Alg || h.Typ != Type || h.JWK.Kty != "OKP" || h.JWK.Crv != "Ed25519" {
		return Result{}, fmt.Errorf("%w: header: want alg %s, typ %s and an OKP Ed25519 jwk", ErrMalformed, Alg, Type)
	}
	pub, err := b64.DecodeString(h.JWK.X)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return Result{}, fmt.Errorf("%w: header: jwk.x is not a 32-byte key in base64url", ErrMalformed)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return Result{}, fmt.Errorf("%w: the signature is not 64 bytes in base64url", ErrMalformed)
	}
	if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		return Result{}, ErrSignature
	}
	var c Claims
	if err := decodePart(parts[1], &c); err != nil {
		return Result{}, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	sub := Thumbprint(pub)
	switch {
	case c.Issuer != Issuer:
		return Result{}, fmt.Errorf("%w: iss is %q, want %q", ErrMalformed, c.Issuer, Issuer)
	case c.Subject != sub:
		return Result{}, fmt.Errorf("%w: sub is not the thumbprint of the key", ErrMalformed)
	case c.Audience == "" || c.ID == "":
		return Result{}, fmt.Errorf("%w: aud or jti missing", ErrMalformed)
	case c.Expires <= c.IssuedAt || time.Duration(c.Expires-c.IssuedAt)*time.Second > MaxLifetime:
		return Result{}, fmt.Errorf("%w: lifetime exp-iat must be positive and at most %s", ErrMalformed, MaxLifetime)
	}
	if o.App != "" {
		id, _, full := strings.Cut(o.App, "@")
		if c.Audience != id || (full && c.App != o.App) {
			return Result{}, fmt.Errorf("%w: aud %q (app %q), want %q", ErrAudience, c.Audience, c.App, o.App)
		}
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if now.Unix() >= c.Expires+int64(Skew/time.Second) {
		return Result{}, fmt.Errorf("%w at %s", ErrExpired, time.Unix(c.Expires, 0).UTC().Format(time.RFC3339))
	}
	if now.Unix()+int64(Skew/time.Second) < c.IssuedAt {
		return Result{}, fmt.Errorf("%w: issued in the future (%s)", ErrMalformed, time.Unix(c.IssuedAt, 0).UTC().Format(time.RFC3339))
	}
	if o.Key != "" && o.Key != h.JWK.X && o.Key != sub {
		return Result{}, ErrKey
	}
	return Result{Subject: sub, Key: h.JWK.X, Claims: c}, nil
}

// decodePart decodes one base64url JSON part strictly: unknown fields and trailing
// data are refused.
func decodePart(part string, v any) error {
	raw, err := b64.DecodeString(part)
	if err != nil {
		return errors.New("not base64url")
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}
