// Command shell is Sandframe's desktop shell: it runs mini-apps. It only parses flags,
// loads configuration and wires packages; everything else lives in them.
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/sandframe/sandframe/internal/sessionbus"
	"github.com/sandframe/sandframe/isolate"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// GTK and WebKit must be driven from the process's main thread: keep main there.
func init() { runtime.LockOSThread() }

func main() {
	// The shell is also the child process that runs an isolated mini-app's logic.
	if len(os.Args) > 1 && os.Args[1] == isolate.ChildArg {
		os.Exit(isolate.ServeChild(os.Stdin, os.Stdout, nil))
	}
	// Without a desktop session GLib would try to start a session bus, in vain, as GTK
	// and WebKit start: a fork and a round of execs each time.
	sessionbus.SkipAutolaunch()
	err := newRootCmd().Execute()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "shell:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

// usageError marks bad input (a missing directory, a broken app.json, a bad config):
// exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// shutdownGrace bounds the shutdown a signal starts. Stopping an app's logic is
// already bounded (logic.StopGrace abandons a loop stuck in a native call); this is
// the last word, so that SIGTERM always ends the shell.
const shutdownGrace = 5 * time.Second

// exitIfShutdownHangs exits the process if it is still running shutdownGrace from now.
func exitIfShutdownHangs(log *slog.Logger) {
	time.AfterFunc(shutdownGrace, func() {
		log.Error("shell: shutdown did not finish in time; exiting", "after", shutdownGrace)
		os.Exit(1)
	})
}
