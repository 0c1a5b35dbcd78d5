//go:build unix

package catalog

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on path (created with perm), so that two processes
// changing the same file do not lose each other's change.
func lockFile(path string, perm os.FileMode) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
