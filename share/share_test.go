package share

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/storage"
)

var u = identity.Unverified

const keyA, keyB = "0123456789abcdef", "fedcba9876543210"

// An unsigned twin that declares a signed app's id neither reads what was shared with
// the signed app under its consent, nor publishes into its namespace, nor loses
// anything when the twin is wiped.
func TestIdentitiesAreSeparate(t *testing.T) {
	s, _, _ := open(t)
	pub, reader, twin := identity.Signed("pub", keyA), identity.Signed("reader", keyB), u("reader")
	if err := s.Publish(pub, "card", json.RawMessage(`1`), []string{"reader"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConsent(reader, pub, Granted); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Consent(twin, pub); d != Ask {
		t.Fatalf("the twin inherits the signed reader's consent: %q", d)
	}
	// A twin of the publisher has its own (empty) namespace.
	if _, err := s.Read(reader, u("pub"), "card"); !errors.Is(err, ErrNotShared) {
		t.Fatalf("the publisher's twin serves its values: %v", err)
	}
	if err := s.Publish(u("pub"), "card", json.RawMessage(`2`), []string{"reader"}); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Read(reader, pub, "card"); err != nil || string(v) != "1" {
		t.Fatalf("the twin's publish reached the signed publisher: %s, %v", v, err)
	}
	s.SetConsent(twin, pub, Denied)
	if err := s.Wipe(twin); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Consent(reader, pub); d != Granted {
		t.Fatalf("wiping the twin took the signed reader's consent: %q", d)
	}
}

func open(t *testing.T) (*Store, *storage.Store, string) {
	t.Helper()
	dir := t.TempDir()
	data, err := storage.Open(storage.Config{Dir: filepath.Join(dir, "storage"), ConfigDir: filepath.Join(dir, "config"),
		Keyring: &storage.FileKeyring{Dir: filepath.Join(dir, "config")}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(data, filepath.Join(dir, "shares.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); data.Close() })
	return s, data, dir
}

func TestPublishAndRead(t *testing.T) {
	s, _, _ := open(t)
	if err := s.Publish(u("a"), "card", json.RawMessage(`{"n":1}`), []string{"b"}); err != nil {
		t.Fatal(err)
	}
	v, err := s.Read(u("b"), u("a"), "card")
	if err != nil || string(v) != `{"n":1}` {
		t.Fatalf("b read %s, %v", v, err)
	}
	// Not named, not published, and withdrawn all look the same to a reader.
	for _, c := range []struct{ reader, name string }{{"c", "card"}, {"b", "other"}} {
		if _, err := s.Read(u(c.reader), u("a"), c.name); !errors.Is(err, ErrNotShared) {
			t.Errorf("%s reading %s: %v", c.reader, c.name, err)
		}
	}
	if err := s.Unpublish(u("a"), "card"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(u("b"), u("a"), "card"); !errors.Is(err, ErrNotShared) {
		t.Fatalf("after unpublish: %v", err)
	}
}

func TestPublishRefusals(t *testing.T) {
	s, _, _ := open(t)
	cases := []struct {
		name  string
		value string
		to    []string
		want  string
	}{
		{"", `1`, []string{"b"}, "a name is"},
		{strings.Repeat("x", MaxNameBytes+1), `1`, []string{"b"}, "a name is"},
		{"n", `1`, nil, "to must name"},
		{"n", `1`, []string{"a"}, "cannot be a reader"},
		{"n", `{`, []string{"b"}, "must be JSON"},
		{"n", `"` + strings.Repeat("x", MaxValueBytes) + `"`, []string{"b"}, "must be JSON"},
	}
	for _, c := range cases {
		if err := s.Publish(u("a"), c.name, json.RawMessage(c.value), c.to); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("publish %q to %v: %v, want %q", c.name, c.to, err, c.want)
		}
	}
}

func TestConsentsAndWipe(t *testing.T) {
	s, data, dir := open(t)
	if d, _ := s.Consent(u("b"), u("a")); d != Ask {
		t.Fatalf("default consent %q", d)
	}
	for _, d := range []Decision{Granted, Denied, Ask} {
		if err := s.SetConsent(u("b"), u("a"), d); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Consent(u("b"), u("a")); got != d {
			t.Fatalf("consent %q after setting %q", got, d)
		}
	}
	s.SetConsent(u("b"), u("a"), Granted)
	s.SetConsent(u("a"), u("c"), Denied)
	if err := s.Publish(u("a"), "secret-name", json.RawMessage(`"secret value"`), []string{"b"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Wipe(u("a")); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Consents(""); len(list) != 0 {
		t.Fatalf("consents left after wipe: %+v", list)
	}
	if _, err := s.Read(u("b"), u("a"), "secret-name"); !errors.Is(err, ErrNotShared) {
		t.Fatalf("read after wipe: %v", err)
	}
	if u, _ := data.Usage(); len(u) != 0 {
		t.Fatalf("storage left after wipe: %+v", u)
	}
	// No file anywhere names the app's share namespace or holds its names in the clear.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if strings.Contains(p, "a@unverified#shares") || strings.Contains(p, "a%40unverified%23shares") {
			t.Errorf("residue file %s", p)
		}
		raw, _ := os.ReadFile(p)
		if strings.Contains(string(raw), "secret-name") || strings.Contains(string(raw), "secret value") {
			t.Errorf("%s holds the share in the clear", p)
		}
		return nil
	})
}

// TestRekeyLegacy: consents kept under bare ids move to identities.
func TestRekeyLegacy(t *testing.T) {
	s, _, _ := open(t)
	if err := s.setConsent("reader", "pub", Granted); err != nil {
		t.Fatal(err)
	}
	legacy, err := s.Named()
	if err != nil || len(legacy) != 2 {
		t.Fatalf("Named = %v, %v", legacy, err)
	}
	pub, reader := identity.Signed("pub", keyA), u("reader")
	if err := s.Rekey("pub", pub); err != nil {
		t.Fatal(err)
	}
	if err := s.Rekey("reader", reader); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Consent(reader, pub); d != Granted {
		t.Errorf("consent after rekey: %q", d)
	}
	if named, _ := s.Named(); len(named) != 2 || !identity.IsKey(named[0]) || !identity.IsKey(named[1]) {
		t.Errorf("bare ids left: %v", named)
	}
}
