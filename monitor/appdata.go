package monitor

import (
	"context"
	"fmt"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// AppData is the quarantine in the one wipe (internal/appdata): only an uninstall
// removes the app's entry (and scrubs the database). A kiosk's session wipe or
// clearing the app's data does not release it: the quarantine is the shell's judgement
// of the app, not the app's data. An uninstall ends the app, as it ends its permission
// decisions; installing it again is a person's deliberate act, and the audit log keeps
// why it was quarantined.
func (q *Quarantine) AppData() appdata.Store { return quarantineData{q} }

type quarantineData struct{ q *Quarantine }

func (quarantineData) Name() string { return "quarantine" }

func (d quarantineData) Wipe(ctx context.Context, app identity.App, scope appdata.Scope) error {
	if scope != appdata.Uninstall {
		return nil
	}
	if err := d.q.Release(app.Key()); err != nil {
		return err
	}
	if _, err := privatedb.Scrub(ctx, d.q.db); err != nil {
		return fmt.Errorf("quarantine store %s: %w", d.q.path, err)
	}
	return nil
}
