package host

import (
	"context"
	"errors"

	"github.com/sandframe/sandframe/appinfo"
)

// UpdateSource answers for the catalog an installed app came from (the launcher).
type UpdateSource interface {
	// CheckUpdate is the newer version the catalog offers of app id ("" none).
	CheckUpdate(ctx context.Context, id string) (string, error)
	// ApplyUpdate installs it and restarts the app on it.
	ApplyUpdate(ctx context.Context, id string) error
}

var _ appinfo.Updates = apiHost{}

// CheckUpdate implements appinfo.Updates. Only an app installed from a signed bundle
// has a catalog to be updated from.
func (h apiHost) CheckUpdate(ctx context.Context) (string, error) {
	s := h.s
	if s.opts.Updates == nil || !s.app.Verified {
		return "", nil
	}
	return s.opts.Updates.CheckUpdate(ctx, s.appID)
}

// ApplyUpdate implements appinfo.Updates.
func (h apiHost) ApplyUpdate(ctx context.Context) error {
	s := h.s
	if s.opts.Updates == nil || !s.app.Verified {
		return errors.New("no update")
	}
	return s.opts.Updates.ApplyUpdate(ctx, s.appID)
}
