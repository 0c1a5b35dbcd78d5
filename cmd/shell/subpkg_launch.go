// This file needs the shell's side of subpackages (host.LoadFetching, the submodel
// branch). When the branches are merged: delete the build line above and
// subpkg_launch_premerge.go.

package main

import (
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/subpkg"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
)

// loadInstalledApp loads the installed version inst. When some of its subpackages are
// not fetched yet it loads with their fetcher (the catalog it was installed from, which
// reg must stay open for while the app runs); else as a folder.
func loadInstalledApp(cfg configs.Config, reg *registry.Registry, inst *registry.Installed) (*host.App, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, err
	}
	client := subpkg.ClientFor(inst.Source, catalog.ClientConfig{Trust: ts, CacheDir: bundleCacheDir(cfg), ShellVersion: shellVersion()})
	fsys, f, err := subpkg.Open(reg, client, inst.ID)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return host.LoadDir(inst.Path)
	}
	app, err := host.LoadFetching(fsys, f)
	if err != nil {
		return nil, err
	}
	app.Dir = inst.Path // process isolation reads the folder (fetched subpackages land in it)
	return app, nil
}
