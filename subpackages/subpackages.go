// Package subpackages serves the host APIs of subpackages loaded on demand
// (docs/subpackages.md): wx.preDownloadSubpackage, the framework's wx.loadSubpackage
// and require.async, whose fetch is the hidden subpackage.load. The session does the
// work (fetch, verify through its fetcher, compile, hand to logic and the page).
package subpackages

import (
	"context"
	"errors"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the APIs need of the running session.
type Host interface {
	// LoadSubpackage makes the subpackage with this name or root present and loaded
	// (nothing to do for one that is); it reports the bytes fetched and expected.
	LoadSubpackage(ctx context.Context, name string) (done, total int64, err error)
}

var _ = hostapi.Register(
	// subpackage.load is require.async's and wx.loadSubpackage's fetch (logic/js/subpackages.js).
	hostapi.Decl{Name: "subpackage.load", Hidden: true, Class: hostapi.ClassLocal, Handler: load,
		Args: []hostapi.Field{{Name: "name", Type: hostapi.String, Required: true}}},
	// preDownloadSubpackage: WeChat's typings have it (packageType "normal" with name, as
	// WeChat's mini-games; "workers" is not supported here). Its task is the extension's.
	hostapi.Decl{Name: "preDownloadSubpackage", Class: hostapi.ClassLocal, Handler: preDownload,
		Args: []hostapi.Field{{Name: "packageType", Type: hostapi.String}, {Name: "name", Type: hostapi.String}}},
)

func load(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Name string `json:"name"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	return fetch(c, a.Name)
}

func preDownload(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		PackageType string `json:"packageType"`
		Name        string `json:"name"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if a.PackageType == "workers" {
		return nil, nil, errors.New("not supported on this platform")
	}
	if a.Name == "" {
		return nil, nil, errors.New("parameter error: parameter.name should be String instead of Undefined;")
	}
	return fetch(c, a.Name)
}

func fetch(c hostapi.Call, name string) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	done, total, err := h.LoadSubpackage(c.Ctx, name)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"totalBytesWritten": done, "totalBytesExpectedToWrite": total}, nil, nil
}
