//go:build !unix

// Package filelock serializes changes to a file between processes with an exclusive
// flock on a lock file beside it.
package filelock

import "os"

// Lock is a no-op where there is no flock; callers still serialize within a process.
func Lock(string, os.FileMode) (func(), error) { return func() {}, nil }
