package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/identity/verify"
	appid "github.com/sandframe/sandframe/internal/identity"
)

// Code is a login code for app signed by key, issued at now and valid for
// verify.Lifetime: a JWT whose header carries the public key and whose sub is its
// thumbprint (identity/verify).
func Code(key ed25519.PrivateKey, app appid.App, now time.Time) (string, error) {
	if app.ID == "" {
		return "", fmt.Errorf("login: no app")
	}
	pub := key.Public().(ed25519.PublicKey)
	b64 := base64.RawURLEncoding
	h, err := json.Marshal(verify.Header{Alg: verify.Alg, Typ: verify.Type,
		JWK: verify.JWK{Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(pub)}})
	if err != nil {
		return "", err
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	p, err := json.Marshal(verify.Claims{Issuer: verify.Issuer, Audience: app.ID, Subject: verify.Thumbprint(pub),
		App: app.Key(), IssuedAt: now.Unix(), Expires: now.Add(verify.Lifetime).Unix(), ID: b64.EncodeToString(jti)})
	if err != nil {
		return "", err
	}
	signing := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	return signing + "." + b64.EncodeToString(ed25519.Sign(key, []byte(signing))), nil
}
