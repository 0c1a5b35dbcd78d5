package appdata

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/internal/identity"
)

type fake struct {
	name string
	err  error
	got  []string
}

func (f *fake) Name() string { return f.name }

func (f *fake) Wipe(_ context.Context, app identity.App, s Scope) error {
	f.got = append(f.got, app.Key()+" "+s.String())
	return f.err
}

// TestListWipe: every store is asked, in order, even after one fails; the errors name
// the store and the app.
func TestListWipe(t *testing.T) {
	broken := errors.New("disk on fire")
	a, b, c := &fake{name: "a"}, &fake{name: "b", err: broken}, &fake{name: "c"}
	l := List{a, b, c}
	app := identity.Signed("dev.example.x", "0123456789abcdef")
	err := l.WipeAll(context.Background(), []identity.App{app, identity.Unverified("dev.example.x")}, Uninstall)
	if !errors.Is(err, broken) || !strings.Contains(err.Error(), "wipe b of dev.example.x@0123456789abcdef") {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []*fake{a, b, c} {
		if len(f.got) != 2 || f.got[0] != "dev.example.x@0123456789abcdef uninstall" || f.got[1] != "dev.example.x@unverified uninstall" {
			t.Errorf("%s was asked %v", f.name, f.got)
		}
	}
	if err := l.Wipe(context.Background(), identity.App{}, Session); err == nil {
		t.Error("a wipe of no app succeeded")
	}
	if got := strings.Join(l.Names(), ","); got != "a,b,c" {
		t.Errorf("Names = %s", got)
	}
}
