package share

import (
	"context"
	"fmt"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// AppData is the share store in the one wipe (internal/appdata): what the app
// published and every consent naming it, in every scope (a consent means nothing
// without the values it lets through), with the consent database scrubbed.
func (s *Store) AppData() appdata.Store { return appData{s} }

type appData struct{ s *Store }

func (appData) Name() string { return "shares" }

func (d appData) Wipe(ctx context.Context, app identity.App, _ appdata.Scope) error {
	if err := d.s.Wipe(app); err != nil {
		return err
	}
	if _, err := privatedb.Scrub(ctx, d.s.db); err != nil {
		return fmt.Errorf("share store %s: %w", d.s.path, err)
	}
	return nil
}
