// Package appinfo declares the host APIs that tell a mini-app about itself: how it was
// launched and entered, and its account (id, version, release or development).
package appinfo

import (
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Launch is how the app was started: the page, its query, WeChat's scene number.
type Launch struct {
	Path  string
	Query map[string]string
	Scene int
}

// Info is what the session knows of its app.
type Info struct {
	ID       string // app.json "id" (the manifest's, not the identity key)
	Version  string // app.json "version"
	Verified bool   // from a bundle a trusted key signed (release), else develop
	Launch   Launch
}

// Host is what these APIs need from the running session.
type Host interface {
	AppInfo() Info
}

var _ = hostapi.Register(
	hostapi.Decl{Name: "getLaunchOptionsSync", Sync: true, Class: hostapi.ClassLocal, Handler: launchOptions},
	// Entering again (the window shown from the desktop) uses the launch's options: the
	// shell has no other way in (no share cards, no QR codes).
	hostapi.Decl{Name: "getEnterOptionsSync", Sync: true, Class: hostapi.ClassLocal, Handler: launchOptions},
	hostapi.Decl{Name: "getAccountInfoSync", Sync: true, Class: hostapi.ClassLocal, Handler: accountInfo},
)

func info(c hostapi.Call) (Info, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return Info{}, err
	}
	return h.AppInfo(), nil
}

func launchOptions(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	in, err := info(c)
	if err != nil {
		return nil, nil, err
	}
	q := map[string]string{}
	for k, v := range in.Launch.Query {
		q[k] = v
	}
	return map[string]any{
		"path": in.Launch.Path, "query": q, "scene": in.Launch.Scene,
		"referrerInfo": map[string]any{}, "forwardMaterials": []any{}, "chatType": 0, "apiCategory": "default",
	}, nil, nil
}

// accountInfo: a verified bundle is a release, anything else (a folder, an unsigned or
// untrusted bundle) is in development.
func accountInfo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	in, err := info(c)
	if err != nil {
		return nil, nil, err
	}
	env := "develop"
	if in.Verified {
		env = "release"
	}
	return map[string]any{
		"miniProgram": map[string]any{"appId": in.ID, "envVersion": env, "version": in.Version},
		"plugin":      map[string]any{},
	}, nil, nil
}
