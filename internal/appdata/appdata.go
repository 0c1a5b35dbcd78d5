// Package appdata is the one owner of "everything an app has": a list of stores, each
// able to wipe what it keeps of one app identity. Uninstall, clearing an app's data
// and the kiosk's idle wipe all go through one List, so a store added to the list is
// wiped by all three, and a store left out of it is left out of all three (the shell's
// test fails then: see cmd/shell's TestUninstallLeavesNothing).
//
// A Store decides, per Scope, what of the app it removes; docs/storage.md ("One wipe")
// has the table.
package appdata

import (
	"context"
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/internal/identity"
)

// Scope is how much of an app a wipe removes.
type Scope int

// Scopes, each including what the one before it removes (Session aside: it also takes
// one-time grants, which Data keeps).
const (
	// Session makes the app start fresh for the next person at a kiosk: its storage,
	// what it shared, its one-time grants, its cookies and cached images. Standing
	// decisions and the quarantine stay: they are the operator's, not the user's.
	Session Scope = iota + 1
	// Data is "clear the app's data" (`shell storage clear`, the launcher's clear):
	// its storage, what it shared and the consents naming it, its cookies and cached
	// images. Permission decisions and the quarantine stay.
	Data
	// Uninstall removes everything the shell keeps of the app but the audit log: Data
	// and its permission decisions, its quarantine entry, its cached bundles.
	Uninstall
)

func (s Scope) String() string {
	switch s {
	case Session:
		return "session"
	case Data:
		return "data"
	case Uninstall:
		return "uninstall"
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// Store is one place that keeps something of apps. Wipe removes what it keeps of app
// for scope, leaving no residue (a database zeroes the freed rows: see
// internal/privatedb), and leaves the other identities of the same id alone. Wiping an
// app it holds nothing of succeeds.
type Store interface {
	Name() string
	Wipe(ctx context.Context, app identity.App, scope Scope) error
}

// Owner is a service that keeps something per app: AppData is its store for the List.
type Owner interface {
	AppData() Store
}

// List is every store of one shell process.
type List []Store

// Wipe wipes app from every store for scope. A store that fails does not stop the
// others; the errors are joined, each naming its store.
func (l List) Wipe(ctx context.Context, app identity.App, scope Scope) error {
	if app.ID == "" {
		return errors.New("appdata: wipe: no app")
	}
	var errs []error
	for _, s := range l {
		if err := s.Wipe(ctx, app, scope); err != nil {
			errs = append(errs, fmt.Errorf("wipe %s of %s: %w", s.Name(), app.Key(), err))
		}
	}
	return errors.Join(errs...)
}

// WipeAll wipes every identity in apps (the identities an uninstalled id was installed
// under).
func (l List) WipeAll(ctx context.Context, apps []identity.App, scope Scope) error {
	var errs []error
	for _, a := range apps {
		errs = append(errs, l.Wipe(ctx, a, scope))
	}
	return errors.Join(errs...)
}

// Names are the stores' names, in order.
func (l List) Names() []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.Name()
	}
	return out
}
