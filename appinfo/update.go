package appinfo

import (
	"context"
	"errors"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Updates is what the update APIs need of the session: the catalog's newer release of
// this app, and installing it.
type Updates interface {
	// CheckUpdate is the version the catalog offers newer than the one running ("" when
	// none, or when the app was not installed from a catalog).
	CheckUpdate(ctx context.Context) (string, error)
	// ApplyUpdate installs that release and restarts the app on it.
	ApplyUpdate(ctx context.Context) error
}

// sf.update.check and sf.update.apply: Sandframe's own, and what wx.getUpdateManager's
// UpdateManager is built on (logic/js/framework.js).
var _ = hostapi.Register(
	hostapi.Decl{Name: "checkUpdate", Path: "update.check", Class: hostapi.ClassNetwork, Handler: checkUpdate},
	hostapi.Decl{Name: "applyUpdate", Path: "update.apply", Class: hostapi.ClassNetwork, Handler: applyUpdate},
)

func checkUpdate(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Updates](c)
	if err != nil {
		return nil, nil, err
	}
	v, err := h.CheckUpdate(c.Ctx)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"hasUpdate": v != "", "version": v}, nil, nil
}

func applyUpdate(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Updates](c)
	if err != nil {
		return nil, nil, err
	}
	v, err := h.CheckUpdate(c.Ctx)
	if err != nil {
		return nil, nil, err
	}
	if v == "" {
		return nil, nil, errors.New("no update")
	}
	return map[string]any{}, nil, h.ApplyUpdate(c.Ctx)
}
