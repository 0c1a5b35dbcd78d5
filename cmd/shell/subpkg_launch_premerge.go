//go:build !sandframe_subfetch

// Until the shell's side of subpackages is merged (see subpkg_launch.go), an installed
// app loads as a folder: the subpackages not fetched yet are missing.

package main

import (
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
)

func loadInstalledApp(_ configs.Config, _ *registry.Registry, inst *registry.Installed) (*host.App, error) {
	return host.LoadDir(inst.Path)
}
