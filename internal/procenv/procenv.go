// Package procenv keeps apart the environment variables the shell sets to tune its own
// process (GTK, WebKit, GLib: read by them and by the processes they start for the
// shell) and the environment the user started the shell with, which is what the
// desktop's own programs get: a document or a link handed to xdg-open must not start a
// viewer or a browser with the shell's tuning.
package procenv

import (
	"os"
	"strings"
	"sync"
)

var own struct {
	sync.Mutex
	keys map[string]bool
}

// SetDefault sets key to value in the process's environment unless it already has a
// non-empty value (the user's choice wins), and reports whether it set it.
func SetDefault(key, value string) bool {
	own.Lock()
	defer own.Unlock()
	if os.Getenv(key) != "" {
		return false
	}
	if os.Setenv(key, value) != nil {
		return false
	}
	if own.keys == nil {
		own.keys = map[string]bool{}
	}
	own.keys[key] = true
	return true
}

// Outside is the process's environment without what SetDefault set: for programs that
// are the desktop's, not the shell's.
func Outside() []string {
	own.Lock()
	defer own.Unlock()
	env := os.Environ()
	out := env[:0:0]
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !own.keys[k] {
			out = append(out, kv)
		}
	}
	return out
}
