package storage

import (
	"context"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// AppData is the storage's store in the one wipe (internal/appdata): the app's
// namespace, in every scope.
func (s *Store) AppData() appdata.Store { return appData{s} }

type appData struct{ s *Store }

func (appData) Name() string { return "storage" }

func (d appData) Wipe(_ context.Context, app identity.App, _ appdata.Scope) error {
	return d.s.Wipe(app.Key())
}
