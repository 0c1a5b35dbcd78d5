package perms

import (
	"context"
	"fmt"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// AppData is the grant store in the one wipe (internal/appdata): a session wipe
// forgets the identity's one-time grants; clearing its data keeps its decisions; an
// uninstall forgets every decision about it, and scrubs the database.
func (s *Store) AppData() appdata.Store { return appData{s} }

type appData struct{ s *Store }

func (appData) Name() string { return "permission decisions" }

func (d appData) Wipe(ctx context.Context, app identity.App, scope appdata.Scope) error {
	switch scope {
	case appdata.Session:
		if _, err := d.s.db.ExecContext(ctx, `DELETE FROM grants WHERE app = ? AND signer = ? AND decision = 'once'`,
			app.ID, app.Signer); err != nil {
			return fmt.Errorf("grant store %s: forget the one-time grants of %s: %w", d.s.path, app.Key(), err)
		}
	case appdata.Uninstall:
		if err := d.s.ResetIdentity(app); err != nil {
			return err
		}
	default:
		return nil
	}
	if _, err := privatedb.Scrub(ctx, d.s.db); err != nil {
		return fmt.Errorf("grant store %s: %w", d.s.path, err)
	}
	return nil
}

// AppData is the manager's store in the one wipe: an uninstall drops the app id's
// prompt slot (one per id, made at its first prompt), unless a prompt holds it.
func (m *Manager) AppData() appdata.Store { return promptSlots{m} }

type promptSlots struct{ m *Manager }

func (promptSlots) Name() string { return "prompt slots" }

func (d promptSlots) Wipe(_ context.Context, app identity.App, scope appdata.Scope) error {
	if scope != appdata.Uninstall {
		return nil
	}
	d.m.mu.Lock()
	defer d.m.mu.Unlock()
	if g, ok := d.m.gates[app.ID]; ok && len(g) == 0 {
		delete(d.m.gates, app.ID)
	}
	return nil
}
