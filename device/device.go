// Package device declares the host APIs that read or touch the desktop the app runs on:
// system information, the clipboard, the configured location.
package device

import (
	"errors"
	"runtime"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Info is what the system information APIs report: the config's brand, model and
// window, and the shell's version.
type Info struct {
	Brand, Model, Language, Version string
	Width, Height                   int
	Theme                           string // "light" or "dark" ("" is light)
	// PixelRatio is the simulated device's (shell dev's presets); 0 is the desktop's 1.
	PixelRatio float64
}

func (in Info) pixelRatio() float64 {
	if in.PixelRatio > 0 {
		return in.PixelRatio
	}
	return 1
}

func (in Info) theme() string {
	if in.Theme == "dark" {
		return "dark"
	}
	return "light"
}

// Location is the location the user configured (a desktop has no GPS).
type Location struct {
	Latitude, Longitude, Accuracy float64
}

// Clipboard reaches the desktop clipboard (the window does).
type Clipboard interface {
	SetClipboard(text string) error
	Clipboard() (string, error)
}

// Host is what the device APIs need from the running session.
type Host interface {
	DeviceInfo() Info
	Location() Location
	// Clipboard is the window's clipboard; an error on a surface without one.
	Clipboard() (Clipboard, error)
}

// MaxClipboardBytes bounds what crosses the clipboard APIs.
const MaxClipboardBytes = 1 << 20

const capLocation = "location:read"

var _ = hostapi.Register(
	hostapi.Decl{Name: "getSystemInfo", Class: hostapi.ClassLocal, Handler: systemInfo},
	hostapi.Decl{Name: "getSystemInfoSync", Sync: true, Class: hostapi.ClassLocal, Handler: systemInfo},
	hostapi.Decl{Name: "getSystemInfoAsync", Class: hostapi.ClassLocal, Handler: systemInfo}, // deprecated, still called
	hostapi.Decl{Name: "setClipboardData", Capability: "clipboard:write", Class: hostapi.ClassClipboard, Handler: setClipboard,
		Args: []hostapi.Field{{Name: "data", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "getClipboardData", Capability: "clipboard:read", Class: hostapi.ClassClipboard, Handler: getClipboard},
	hostapi.Decl{Name: "getLocation", Capability: capLocation, Class: hostapi.ClassLocation, Handler: getLocation,
		Args: []hostapi.Field{{Name: "type", Type: hostapi.String}, {Name: "altitude", Type: hostapi.Boolean},
			{Name: "isHighAccuracy", Type: hostapi.Boolean}, {Name: "highAccuracyExpireTime", Type: hostapi.Number}}},
	// Planned: declared so that policy and lint know their capability.
	hostapi.Decl{Name: "getFuzzyLocation", Capability: capLocation, Class: hostapi.ClassLocation},
	hostapi.Decl{Name: "startLocationUpdate", Capability: capLocation, Class: hostapi.ClassLocation},
	hostapi.Decl{Name: "startLocationUpdateBackground", Capability: capLocation, Class: hostapi.ClassLocation},
)

func systemInfo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	return SystemInfo(h.DeviceInfo()), nil, nil
}

// SystemInfo is what wx.getSystemInfo reports on the desktop (the page's runtime gets the
// same at init).
func SystemInfo(in Info) map[string]any {
	return map[string]any{
		"brand": in.Brand, "model": in.Model, "pixelRatio": in.pixelRatio(),
		"screenWidth": in.Width, "screenHeight": in.Height,
		"windowWidth": in.Width, "windowHeight": in.Height,
		"statusBarHeight": 0, "language": in.Language, "version": in.Version,
		"system": "Sandframe " + in.Version, "platform": runtime.GOOS, "SDKVersion": "3.0.0",
		"fontSizeSetting": 16, "theme": in.theme(), "deviceOrientation": "portrait",
	}
}

func setClipboard(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Data string `json:"data"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if len(a.Data) > MaxClipboardBytes {
		return nil, nil, errors.New("data is larger than 1 MiB")
	}
	cb, err := clipboard(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, cb.SetClipboard(a.Data)
}

func getClipboard(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	cb, err := clipboard(c)
	if err != nil {
		return nil, nil, err
	}
	text, err := cb.Clipboard()
	if err != nil {
		return nil, nil, err
	}
	if len(text) > MaxClipboardBytes {
		text = text[:MaxClipboardBytes]
	}
	return map[string]any{"data": text}, nil, nil
}

func clipboard(c hostapi.Call) (Clipboard, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, err
	}
	return h.Clipboard()
}

func getLocation(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	l := h.Location()
	return map[string]any{
		"latitude": l.Latitude, "longitude": l.Longitude, "accuracy": l.Accuracy,
		"speed": -1, "altitude": 0, "verticalAccuracy": 0, "horizontalAccuracy": l.Accuracy,
	}, nil, nil
}
