//go:build !unix

package registry

// lockDir is a no-op where there is no flock: within one process the registry's per-app
// locks still keep a sweep off an install of the same app, and a sweep at Open runs
// before any install.
func lockDir(string, bool, bool) (func(), bool, error) { return func() {}, true, nil }
