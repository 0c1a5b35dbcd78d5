//go:build unix

// Package filelock serializes changes to a file between processes with an exclusive
// flock on a lock file beside it.
package filelock

import (
	"errors"
	"os"
	"syscall"
)

// Lock takes an exclusive flock on path (created with perm) and returns its release.
func Lock(path string, perm os.FileMode) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
