package device

import (
	"errors"

	"github.com/godbus/dbus/v5"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/sessionbus"
)

// Screen is what setKeepScreenOn needs of the session: keep the screen on (the
// screensaver inhibited) while the app runs, or no longer.
type Screen interface {
	KeepScreenOn(on bool) error
}

var _ = hostapi.Register(
	hostapi.Decl{Name: "setKeepScreenOn", Class: hostapi.ClassLocal, Handler: keepScreenOn,
		Args: []hostapi.Field{{Name: "keepScreenOn", Type: hostapi.Boolean, Required: true}}},
)

func keepScreenOn(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		On bool `json:"keepScreenOn"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	h, err := hostapi.HostAs[Screen](c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, h.KeepScreenOn(a.On)
}

// InhibitScreenSaver asks the desktop's screensaver (org.freedesktop.ScreenSaver on
// the session bus) not to start, for who and why, until release. The inhibition also
// ends with the connection, so a shell that dies leaves none behind. An error means
// there is nothing to inhibit (no session bus, no screensaver service).
func InhibitScreenSaver(who, why string) (release func(), err error) {
	if !sessionbus.Available() {
		return nil, errors.New("no session bus")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, err
	}
	obj := conn.Object("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver")
	var cookie uint32
	if err := obj.Call("org.freedesktop.ScreenSaver.Inhibit", 0, who, why).Store(&cookie); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		obj.Call("org.freedesktop.ScreenSaver.UnInhibit", 0, cookie)
		conn.Close()
	}, nil
}
