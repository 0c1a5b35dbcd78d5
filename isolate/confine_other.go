//go:build !linux

package isolate

import "errors"

var errParentGone = errors.New("isolate: the parent is gone")

// confine has nothing to apply outside Linux: the child runs with its limits only.
func confine(appDir string, parentPID int, readApp bool) (Confinement, error) {
	return Confinement{Warnings: []string{"confinement: not available on this system"}}, nil
}
