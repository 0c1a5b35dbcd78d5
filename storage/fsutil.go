package storage

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
)

// mkdirPrivate creates dir (and parents) 0700 and tightens an existing dir that others
// can enter.
func mkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a directory")
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

func randomSuffix() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (it panics if it could)
	return hex.EncodeToString(b)
}
