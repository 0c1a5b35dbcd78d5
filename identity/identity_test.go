package identity

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/identity/verify"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/hostapi"
	appid "github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/storage"
)

// fakeHost is the session as these APIs see it: the shell's storage.
type fakeHost struct{ st *storage.Store }

func (h fakeHost) AppStorage(ns string) (*storage.AppStore, error) { return h.st.App(ns) }

func openStore(t *testing.T) *storage.Store {
	t.Helper()
	dir := t.TempDir()
	st, err := storage.Open(storage.Config{Dir: filepath.Join(dir, "storage"), ConfigDir: filepath.Join(dir, "config"),
		Keyring: &storage.FileKeyring{Dir: filepath.Join(dir, "config")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// call runs name through the registry, as the gateway does: schema, then handler.
func call(t *testing.T, st *storage.Store, app appid.App, name string) (map[string]any, error) {
	t.Helper()
	d, ok := hostapi.Lookup(name)
	if !ok || !d.Implemented() {
		t.Fatalf("%s is not declared", name)
	}
	if err := d.Check(json.RawMessage(`{}`)); err != nil {
		return nil, err
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: app.Key()},
		Args: json.RawMessage(`{}`), Host: fakeHost{st}})
	return res, err
}

func loginCode(t *testing.T, st *storage.Store, app appid.App) string {
	t.Helper()
	res, err := call(t, st, app, "login")
	if err != nil {
		t.Fatal(err)
	}
	code, _ := res["code"].(string)
	if code == "" {
		t.Fatalf("login gave %v", res)
	}
	return code
}

var (
	shop  = appid.Signed("dev.example.shop", "0123456789abcdef")
	notes = appid.Signed("dev.example.notes", "0123456789abcdef")
)

func TestLoginCodeVerifies(t *testing.T) {
	st := openStore(t)
	code := loginCode(t, st, shop)
	res, err := verify.Verify(code, verify.Options{App: "dev.example.shop"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Claims.App != shop.Key() || res.Claims.Audience != shop.ID || res.Subject == "" {
		t.Errorf("claims %+v", res.Claims)
	}
	// The same identity, stated in full, and the pinned key (or its sub) pass too.
	for _, o := range []verify.Options{{App: shop.Key()}, {App: shop.ID, Key: res.Key}, {App: shop.ID, Key: res.Subject}} {
		if _, err := verify.Verify(code, o); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	// A second login is the same user: same key, same pseudonym, a new code.
	again := loginCode(t, st, shop)
	res2, err := verify.Verify(again, verify.Options{App: shop.ID, Key: res.Key})
	if err != nil || res2.Subject != res.Subject || res2.Claims.ID == res.Claims.ID {
		t.Errorf("second login: %v, sub %q vs %q, jti %q vs %q", err, res2.Subject, res.Subject, res2.Claims.ID, res.Claims.ID)
	}
}

func TestLoginCodeRefused(t *testing.T) {
	st := openStore(t)
	code := loginCode(t, st, shop)
	parts := strings.Split(code, ".")
	b64 := base64.RawURLEncoding

	// Tampered: the payload says another app, the signature is the old one.
	var c verify.Claims
	raw, _ := b64.DecodeString(parts[1])
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	c.Audience = "dev.example.notes"
	forged, _ := json.Marshal(c)
	tampered := parts[0] + "." + b64.EncodeToString(forged) + "." + parts[2]

	other := loginCode(t, st, notes)
	otherKey, _ := verify.Verify(other, verify.Options{})

	twin := loginCode(t, st, appid.Unverified(shop.ID)) // an unsigned folder declaring the shop's id

	cases := []struct {
		name string
		code string
		o    verify.Options
		want error
	}{
		{"expired", code, verify.Options{App: shop.ID, Now: time.Now().Add(verify.Lifetime + verify.Skew + time.Second)}, verify.ErrExpired},
		{"tampered payload", tampered, verify.Options{App: "dev.example.notes"}, verify.ErrSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64.EncodeToString(make([]byte, 64)), verify.Options{App: shop.ID}, verify.ErrSignature},
		{"another app's backend", code, verify.Options{App: "dev.example.notes"}, verify.ErrAudience},
		{"another signer", twin, verify.Options{App: shop.Key()}, verify.ErrAudience},
		{"another pinned key", code, verify.Options{App: shop.ID, Key: otherKey.Key}, verify.ErrKey},
		{"not a code", "abc.def", verify.Options{}, verify.ErrMalformed},
	}
	for _, tc := range cases {
		if _, err := verify.Verify(tc.code, tc.o); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// A key swapped in by someone else: signed right, but the sub is not its thumbprint.
	if _, err := verify.Verify(resign(t, parts, otherKey.Key), verify.Options{}); !errors.Is(err, verify.ErrMalformed) && !errors.Is(err, verify.ErrSignature) {
		t.Errorf("swapped key: %v", err)
	}
}

// resign replaces the header's key with x without re-signing.
func resign(t *testing.T, parts []string, x string) string {
	b64 := base64.RawURLEncoding
	raw, _ := b64.DecodeString(parts[0])
	var h verify.Header
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	h.JWK.X = x
	hb, _ := json.Marshal(h)
	return b64.EncodeToString(hb) + "." + parts[1] + "." + parts[2]
}

func TestTwoAppsTwoPseudonyms(t *testing.T) {
	st := openStore(t)
	a, err := verify.Verify(loginCode(t, st, shop), verify.Options{App: shop.ID})
	if err != nil {
		t.Fatal(err)
	}
	b, err := verify.Verify(loginCode(t, st, notes), verify.Options{App: notes.ID})
	if err != nil {
		t.Fatal(err)
	}
	twin, err := verify.Verify(loginCode(t, st, appid.Unverified(shop.ID)), verify.Options{App: shop.ID})
	if err != nil {
		t.Fatal(err)
	}
	if a.Subject == b.Subject || a.Key == b.Key || a.Subject == twin.Subject {
		t.Errorf("pseudonyms shared: shop %s, notes %s, unsigned twin %s", a.Subject, b.Subject, twin.Subject)
	}
}

// checkSession holds while the key does; the one wipe takes it, in every scope, and
// the next login is a new pseudonym. The key is not in the app's own storage.
func TestSessionEndsWithTheWipe(t *testing.T) {
	st := openStore(t)
	if _, err := call(t, st, shop, "checkSession"); err == nil || !strings.Contains(err.Error(), "need relogin") {
		t.Fatalf("checkSession before any login: %v", err)
	}
	first, _ := verify.Verify(loginCode(t, st, shop), verify.Options{})
	if _, err := call(t, st, shop, "checkSession"); err != nil {
		t.Fatalf("checkSession after login: %v", err)
	}
	own, err := st.App(shop.Key())
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := own.Keys(); err != nil || len(keys) != 0 {
		t.Errorf("the app's own storage holds %v (%v)", keys, err)
	}
	if err := (appdata.List{AppData(st)}).Wipe(context.Background(), shop, appdata.Session); err != nil {
		t.Fatal(err)
	}
	if _, err := call(t, st, shop, "checkSession"); err == nil {
		t.Error("checkSession holds after the wipe")
	}
	second, _ := verify.Verify(loginCode(t, st, shop), verify.Options{})
	if second.Subject == first.Subject {
		t.Error("the wipe kept the pseudonym")
	}
}

func TestRunVerify(t *testing.T) {
	st := openStore(t)
	code := loginCode(t, st, shop)
	var out bytes.Buffer
	if err := RunVerify(&out, VerifyRequest{Code: "-", In: strings.NewReader(code + "\n"), App: shop.ID}); err != nil {
		t.Fatal(err)
	}
	res, _ := verify.Verify(code, verify.Options{})
	if strings.TrimSpace(out.String()) != res.Subject {
		t.Errorf("printed %q, want the sub %q", out.String(), res.Subject)
	}
	if err := RunVerify(&out, VerifyRequest{Code: code, App: notes.ID}); !errors.Is(err, verify.ErrAudience) {
		t.Errorf("another app: %v", err)
	}
}
