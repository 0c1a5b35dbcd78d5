package identity

import (
	"errors"
	"testing"
)

const keyA = "0123456789abcdef"

func TestKeyRoundTrip(t *testing.T) {
	for _, a := range []App{
		Signed("dev.example.todo", keyA),
		Unverified("dev.example.todo"),
		Unverified("odd@" + keyA), // an unsigned folder's id is not validated
		Unverified("x@unverified"),
	} {
		got, err := Parse(a.Key())
		if err != nil || got != a {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", a.Key(), got, err, a)
		}
	}
}

func TestKeysNeverCollide(t *testing.T) {
	// An unsigned app can choose any id; its key must still differ from every signed key.
	signed := Signed("a", keyA).Key()
	for _, id := range []string{"a", "a@" + keyA, "a@" + keyA + "@unverified"} {
		if k := Unverified(id).Key(); k == signed {
			t.Errorf("Unverified(%q).Key() = %q collides with a signed key", id, k)
		}
	}
	if Signed("a", keyA).Key() == Signed("a", "fedcba9876543210").Key() {
		t.Error("two signers share a key")
	}
	if IsKey("dev.example.todo") || IsKey("dev.example.todo#shares") {
		t.Error("a bare id counts as an identity key")
	}
}

func TestParseRefuses(t *testing.T) {
	for _, s := range []string{"", "a", "@" + keyA, "a@", "a@0123", "a@0123456789ABCDEF", "a@unverifie"} {
		if _, err := Parse(s); !errors.Is(err, ErrNotKey) {
			t.Errorf("Parse(%q) = %v, want ErrNotKey", s, err)
		}
	}
}

func TestResolve(t *testing.T) {
	r := Resolver{Installed: func(id string) (string, bool, error) {
		switch id {
		case "signed":
			return keyA, true, nil
		case "sideloaded":
			return "", true, nil
		}
		return "", false, nil
	}}
	for name, want := range map[string]App{
		"signed":                 Signed("signed", keyA),
		"sideloaded":             Unverified("sideloaded"),
		"absent":                 Unverified("absent"),
		"signed@unverified":      Unverified("signed"),
		"signed@" + keyA:         Signed("signed", keyA),
		"other@fedcba9876543210": Signed("other", "fedcba9876543210"),
	} {
		got, err := r.Resolve(name)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %+v, %v; want %+v", name, got, err, want)
		}
	}
	if _, err := r.Resolve("a@bad"); err == nil {
		t.Error("Resolve accepted a malformed key")
	}
}
