//go:build !unix

package catalog

import "os"

// lockFile is a no-op where there is no flock; changes within one process are still
// serialized by the callers' mutexes.
func lockFile(string, os.FileMode) (func(), error) { return func() {}, nil }
