package device

import (
	"runtime"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// WeChat's split of getSystemInfo (base library 2.20.1), each answered from the same
// Info, and the desktop's answers to what a phone would report.
var _ = hostapi.Register(
	hostapi.Decl{Name: "getWindowInfo", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(windowInfo)},
	hostapi.Decl{Name: "getDeviceInfo", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(deviceInfo)},
	hostapi.Decl{Name: "getAppBaseInfo", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(appBaseInfo)},
	hostapi.Decl{Name: "getSystemSetting", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(systemSetting)},
	hostapi.Decl{Name: "getAppAuthorizeSetting", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(appAuthorizeSetting)},
	hostapi.Decl{Name: "getMenuButtonBoundingClientRect", Sync: true, Class: hostapi.ClassLocal, Handler: infoOf(menuButton)},
	// A desktop does not vibrate: the call succeeds and nothing happens, as on a phone
	// whose vibration is off.
	hostapi.Decl{Name: "vibrateShort", Class: hostapi.ClassLocal, Handler: nothing,
		Args: []hostapi.Field{{Name: "type", Type: hostapi.String}}},
	hostapi.Decl{Name: "vibrateLong", Class: hostapi.ClassLocal, Handler: nothing},
)

func infoOf(f func(Info) map[string]any) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		h, err := hostapi.HostAs[Host](c)
		if err != nil {
			return nil, nil, err
		}
		return f(h.DeviceInfo()), nil, nil
	}
}

func nothing(hostapi.Call) (map[string]any, *bridge.Nav, error) { return map[string]any{}, nil, nil }

func windowInfo(in Info) map[string]any {
	return map[string]any{
		"pixelRatio": in.pixelRatio(), "screenWidth": in.Width, "screenHeight": in.Height,
		"windowWidth": in.Width, "windowHeight": in.Height, "statusBarHeight": 0, "screenTop": 0,
		"safeArea": map[string]any{"left": 0, "right": in.Width, "top": 0, "bottom": in.Height,
			"width": in.Width, "height": in.Height},
	}
}

func deviceInfo(in Info) map[string]any {
	return map[string]any{
		"brand": in.Brand, "model": in.Model, "system": "Sandframe " + in.Version, "platform": runtime.GOOS,
		"abi": runtime.GOARCH, "cpuType": runtime.GOARCH, "benchmarkLevel": -1, "memorySize": 0,
	}
}

func appBaseInfo(in Info) map[string]any {
	return map[string]any{
		"SDKVersion": "3.0.0", "enableDebug": false, "host": map[string]any{"appId": ""},
		"language": in.Language, "version": in.Version, "theme": in.theme(), "fontSizeSetting": 16,
	}
}

// systemSetting: the desktop has no bluetooth or GPS for apps; the location the shell
// hands out (configured, behind location:read) counts as on.
func systemSetting(Info) map[string]any {
	return map[string]any{
		"bluetoothEnabled": false, "locationEnabled": true, "wifiEnabled": true, "deviceOrientation": "portrait",
	}
}

// appAuthorizeSetting is what the system lets the host app (the shell) do, not what the
// user granted this mini-app (that is wx.getSetting): the shell offers location and
// notifications, not the album, camera, microphone, bluetooth or calendar.
func appAuthorizeSetting(Info) map[string]any {
	return map[string]any{
		"albumAuthorized": "denied", "bluetoothAuthorized": "denied", "cameraAuthorized": "denied",
		"locationAuthorized": "authorized", "locationReducedAccuracy": false, "microphoneAuthorized": "denied",
		"notificationAuthorized": "authorized", "phoneCalendarAuthorized": "denied",
	}
}

// menuButton is where WeChat's capsule (the "..." and close buttons) would sit: apps
// that draw their own navigation bar leave room for it. Same size and margins as on a
// phone, at the window's top right.
func menuButton(in Info) map[string]any {
	const w, h, margin, top = 87, 32, 7, 4
	right := in.Width - margin
	return map[string]any{"width": w, "height": h, "top": top, "bottom": top + h, "left": right - w, "right": right}
}
