package sessionbus

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestSkipAutolaunch(t *testing.T) {
	withBus := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(withBus, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	noBus := t.TempDir()
	launcher := t.TempDir() // a PATH entry with an executable dbus-launch
	if err := os.WriteFile(filepath.Join(launcher, "dbus-launch"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, addr, runtimeDir, path string
		skip, available              bool
	}{
		{"no bus, no dbus-launch", "", noBus, noBus, true, false},
		{"no bus, dbus-launch on PATH", "", noBus, launcher, false, false},
		{"the bus socket in XDG_RUNTIME_DIR", "", withBus, noBus, false, true},
		{"an address set", "unix:path=/run/user/1000/bus", noBus, noBus, false, true},
		{"autolaunch asked for", "autolaunch:", noBus, noBus, false, false},
		{"already disabled", Disabled, noBus, noBus, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", c.addr)
			t.Setenv("XDG_RUNTIME_DIR", c.runtimeDir)
			t.Setenv("PATH", c.path)
			if got := Available(); got != c.available {
				t.Errorf("Available() = %v, want %v", got, c.available)
			}
			if got := SkipAutolaunch(); got != c.skip {
				t.Errorf("SkipAutolaunch() = %v, want %v", got, c.skip)
			}
			want := c.addr
			if c.skip {
				want = Disabled
			}
			if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != want {
				t.Errorf("DBUS_SESSION_BUS_ADDRESS = %q, want %q", got, want)
			}
			if c.skip && Available() {
				t.Error("a disabled bus counts as available")
			}
		})
	}
}
