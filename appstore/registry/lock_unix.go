//go:build unix

package registry

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an flock on path (created 0600): shared by installs, exclusive by the
// sweeps that remove version directories no row names. An install renames its directory
// into place before its transaction commits, so a sweep in another process must not run
// in between and take that directory for a leftover. With wait false, an exclusive lock
// somebody else holds gives ok false.
func lockDir(path string, exclusive, wait bool) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}
