//go:build !unix

package bundle

import "testing"

func mkfifo(t *testing.T, path string) { t.Skip("no FIFOs here") }
