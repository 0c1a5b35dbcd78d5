package main

import "github.com/sandframe/sandframe/host"

// loadDir loads a mini-app folder for `shell run`: every subpackage of a sideloaded
// folder is there (docs/subpackages.md). A test build may hold some back to exercise
// loading on demand (subpackages_testhooks.go).
func loadDir(path string) (*host.App, error) {
	if testSubpackages != nil {
		if app, ok, err := testSubpackages(path); ok {
			return app, err
		}
	}
	return host.LoadDir(path)
}

// testSubpackages, set only in test builds, loads path with a fetcher.
var testSubpackages func(path string) (*host.App, bool, error)
