//go:build !unix

package trust

// lockFile is a no-op where there is no flock: changes within one process are still
// serialized by the store's mutex.
func lockFile(string) (func(), error) { return func() {}, nil }
