// Package sessionbus says whether the desktop's D-Bus session bus can be reached and,
// where none can, keeps GLib from trying to start one at every turn.
package sessionbus

import (
	"os"
	"os/exec"
	"path/filepath"

	"github.com/sandframe/sandframe/internal/procenv"
)

// Disabled is the bus address SkipAutolaunch sets: GLib and godbus refuse it at once
// ("unsupported transport"), without starting anything.
const Disabled = "disabled:"

// Available reports whether a session bus is there, as godbus and GLib find one, minus
// autolaunch: DBUS_SESSION_BUS_ADDRESS, else the socket $XDG_RUNTIME_DIR/bus.
func Available() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" && a != Disabled {
		return true
	}
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" {
		if fi, err := os.Stat(filepath.Join(rt, "bus")); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return true
		}
	}
	return false
}

// SkipAutolaunch sets DBUS_SESSION_BUS_ADDRESS to Disabled when there is no session bus
// and no dbus-launch to start one, and reports whether it did. Then GLib's D-Bus (GTK,
// WebKit and dconf ask for the session bus as the shell starts) would try to autolaunch
// anyway, each time a fork of the process and an exec along every PATH entry that can
// only fail: three times in a `shell run` without a desktop session, about 100 ms of a
// cold start (docs/performance.md, "A cold start"). Call it first thing, before GTK; the
// processes the shell starts for itself inherit it, the desktop's programs do not
// (procenv.Outside). Where dbus-launch exists, autolaunch may start a bus, and the
// environment is left as it is.
func SkipAutolaunch() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" || Available() {
		return false
	}
	if _, err := exec.LookPath("dbus-launch"); err == nil {
		return false
	}
	return procenv.SetDefault("DBUS_SESSION_BUS_ADDRESS", Disabled)
}
