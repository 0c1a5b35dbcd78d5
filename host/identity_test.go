package host

import (
	"errors"
	"testing"

	"github.com/sandframe/sandframe/monitor"
)

const publisherKey = "0123456789abcdef"

// runApp starts an already loaded app in this world on a fake page (run loads from a
// folder; these tests make the installed, signed twin of a folder themselves).
func (w *world) runApp(app *App) (*Session, *fakePage, *ended) {
	w.t.Helper()
	s, err := Start(app, w.options())
	if err != nil {
		w.t.Fatal(err)
	}
	return w.serve(s)
}

// signedCopy loads dir as the installed app signed by publisherKey would be.
func signedCopy(t *testing.T, dir string) *App {
	t.Helper()
	app, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	app.Signer, app.Verified, app.Publisher = publisherKey, true, "Acme"
	return app
}

// An unsigned folder that declares the id of an installed signed app runs in its own
// namespace: wx.getStorageSync and wx.getStorage find nothing of the signed app's, and
// what the twin writes does not reach the signed app.
func TestUnsignedTwinCannotReadSignedStorage(t *testing.T) {
	w := storageWorld(t)
	signed, ps, _ := w.runApp(signedCopy(t, "testdata/notes"))
	twin, pt, _ := w.run("testdata/notes") // the same id, unsigned
	if signed.ID() != "test.notes@"+publisherKey || twin.ID() != "test.notes@unverified" {
		t.Fatalf("identities %q and %q", signed.ID(), twin.ID())
	}
	waitData(t, signed, func(d map[string]any) bool { return true })
	waitData(t, twin, func(d map[string]any) bool { return true })
	ps.tapDetail("write", map[string]any{"key": "secret", "value": "alice's"})
	if got := result(t, signed); got != "setStorage:ok" {
		t.Fatal(got)
	}
	pt.tapDetail("readSync", map[string]any{"key": "secret"})
	if got := result(t, twin); got != `sync: ""` {
		t.Fatalf("the twin read the signed app's storage with getStorageSync: %q", got)
	}
	clearResult(t, twin, pt)
	pt.tapDetail("readOther", map[string]any{"key": "secret"})
	if got := result(t, twin); got != "getStorage:fail data not found" {
		t.Fatalf("the twin read the signed app's storage with getStorage: %q", got)
	}
	clearResult(t, twin, pt)
	pt.tapDetail("write", map[string]any{"key": "secret", "value": "mallory's"})
	if got := result(t, twin); got != "setStorage:ok" {
		t.Fatal(got)
	}
	clearResult(t, signed, ps)
	ps.tapDetail("readSync", map[string]any{"key": "secret"})
	if got := result(t, signed); got != `sync: "alice's"` {
		t.Fatalf("the signed app reads %q after the twin wrote", got)
	}
	if twin.title() != "Notes (unverified)" {
		t.Errorf("the twin's window title %q does not say unverified", twin.title())
	}
}

// A twin that misbehaves is quarantined under its own identity: the signed app it
// imitates keeps its standing and still starts.
func TestTwinMisbehaviourQuarantinesOnlyTheTwin(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	s, page, done := w.run(hostile) // unsigned, declaring test.hostile
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("deniedBurst")
	terminatedWith(t, done, monitor.ReasonDenied)
	if _, ok := w.quarantine.Quarantined("test.hostile@unverified"); !ok {
		t.Fatal("the twin is not quarantined")
	}
	if reason, ok := w.quarantine.Quarantined("test.hostile@" + publisherKey); ok {
		t.Fatalf("the signed app was quarantined for its twin: %s", reason)
	}
	if _, err := w.start(hostile); !errors.As(err, new(*QuarantinedError)) {
		t.Fatalf("the twin starts again: %v", err)
	}
	gs, _, _ := w.runApp(signedCopy(t, hostile)) // fails the test if refused as quarantined
	waitData(t, gs, func(d map[string]any) bool { return true })
}
