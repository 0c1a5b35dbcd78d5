package verify

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strconv"
	"testing"
	"time"
)

// The thumbprint is RFC 7638's, as RFC 8037 A.3 computes it for its example key.
func TestThumbprintRFC8037(t *testing.T) {
	x, err := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	if err != nil {
		t.Fatal(err)
	}
	if got := Thumbprint(ed25519.PublicKey(x)); got != "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" {
		t.Errorf("thumbprint %s", got)
	}
}

// sign makes a token of header and payload JSON, signed by key.
func sign(key ed25519.PrivateKey, header, payload string) string {
	b := base64.RawURLEncoding
	s := b.EncodeToString([]byte(header)) + "." + b.EncodeToString([]byte(payload))
	return s + "." + b.EncodeToString(ed25519.Sign(key, []byte(s)))
}

// A token written by hand to the format verifies; members the format does not have,
// a lifetime over the maximum, another alg or a sub that is not the key's are refused
// even when signed right.
func TestHandMadeTokens(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := key.Public().(ed25519.PublicKey)
	x := base64.RawURLEncoding.EncodeToString(pub)
	sub := Thumbprint(pub)
	header := `{"alg":"EdDSA","typ":"sandframe-login+jwt","jwk":{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}}`
	now := time.Unix(1_800_000_000, 0)
	payload := func(sub string, exp int64, extra string) string {
		return `{"iss":"sandframe","aud":"dev.a","sub":"` + sub + `","app":"dev.a@unverified","iat":1800000000,"exp":` +
			strconv.FormatInt(exp, 10) + `,"jti":"j"` + extra + `}`
	}
	ok := sign(key, header, payload(sub, now.Unix()+300, ""))
	if r, err := Verify(ok, Options{App: "dev.a", Now: now}); err != nil || r.Subject != sub || r.Key != x {
		t.Fatalf("%+v %v", r, err)
	}
	for name, tok := range map[string]string{
		"extra claim":   sign(key, header, payload(sub, now.Unix()+300, `,"admin":true`)),
		"long lifetime": sign(key, header, payload(sub, now.Unix()+3600, "")),
		"other sub":     sign(key, header, payload("someone-else", now.Unix()+300, "")),
		"alg none":      sign(key, `{"alg":"none","typ":"sandframe-login+jwt","jwk":{"kty":"OKP","crv":"Ed25519","x":"`+x+`"}}`, payload(sub, now.Unix()+300, "")),
	} {
		if _, err := Verify(tok, Options{App: "dev.a", Now: now}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Verify(ok, Options{App: "dev.a", Now: now.Add(-2 * time.Minute)}); !errors.Is(err, ErrMalformed) {
		t.Errorf("issued in the future: %v", err)
	}
}
