package launcher

import (
	"context"
	"testing"

	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// recorder is a store of the one wipe that remembers what it was asked to wipe.
type recorder struct{ got []string }

func (r *recorder) Name() string { return "recorder" }

func (r *recorder) Wipe(_ context.Context, app identity.App, scope appdata.Scope) error {
	r.got = append(r.got, app.Key()+" "+scope.String())
	return nil
}

// TestClearGoesThroughAppData: the launcher's clear wipes through the integrator's one
// list with the data scope, for the installed identity, and nothing else wipes.
func TestClearGoesThroughAppData(t *testing.T) {
	f := newFixture(t, nil)
	in := f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	rec := &recorder{}
	cfg := f.svc.cfg
	cfg.AppData = appdata.List{rec}
	f.svc = New(cfg)
	st, err := f.storage.App(identity.Signed(notes, in.Signer).Key())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Set("k", []byte(`"v"`)); err != nil {
		t.Fatal(err)
	}
	f.must(t, "storage.clear", `{"id":"dev.test.notes"}`)
	if want := identity.Signed(notes, in.Signer).Key() + " data"; len(rec.got) != 1 || rec.got[0] != want {
		t.Fatalf("wiped %v, want [%s]", rec.got, want)
	}
	if _, err := st.Get("k"); err != nil {
		t.Fatalf("the storage was wiped outside the list: %v", err)
	}
}
