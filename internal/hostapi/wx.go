package hostapi

import (
	_ "embed"
	"strings"
	"sync"
)

// wxNamesFile lists every method of interface Wx in WeChat's typings with the shape of
// the stand-in wx offers when nothing implements it (scripts/wx-names.sh writes it;
// docs/apis.md).
//
//go:embed wxnames.txt
var wxNamesFile string

// WxMethod is one method of WeChat's Wx interface and the shape of its stand-in.
type WxMethod struct {
	Name string
	Kind string // async, sync, event, object, promise, call
}

var wxMethods = sync.OnceValue(func() []WxMethod {
	var out []WxMethod
	for _, line := range strings.Split(wxNamesFile, "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		out = append(out, WxMethod{Name: f[0], Kind: f[1]})
	}
	return out
})

// WxMethods lists the methods of WeChat's Wx interface, sorted by name.
func WxMethods() []WxMethod { return append([]WxMethod(nil), wxMethods()...) }

// IsWxMethod reports whether name is a method of WeChat's Wx interface.
func IsWxMethod(name string) bool {
	for _, m := range wxMethods() {
		if m.Name == name {
			return true
		}
	}
	return false
}

// FrameworkAPIs are the wx methods the logic framework implements itself, needing
// nothing of the host (logic/js/framework.js; a logic test holds the two together).
var FrameworkAPIs = []string{"nextTick", "canIUse", "getLogManager", "getRealtimeLogManager",
	"arrayBufferToBase64", "base64ToArrayBuffer",
	// queries and motion (logic/js/query.js; wx.createMediaQueryObserver is there too,
	// though not one of the typings' Wx methods)
	"createSelectorQuery", "createIntersectionObserver", "createAnimation",
	"createCanvasContext", "canvasPutImageData", // logic/js/canvas.js
	// media contexts: their commands are render ops (docs/components.md)
	"createVideoContext", "createAudioContext", "createInnerAudioContext",
	// App-wide events (logic/js/framework.js appListeners).
	"onAppShow", "offAppShow", "onAppHide", "offAppHide", "onError", "offError",
	"onUnhandledRejection", "offUnhandledRejection", "onPageNotFound", "offPageNotFound",
	"onThemeChange", "offThemeChange",
	// On sf.update.check/apply (appinfo).
	"getUpdateManager"}

// Supported reports whether wx.name does something on this platform: a declared,
// implemented host API or one of the framework's own. Every other method of Wx is a
// stand-in that answers "not supported on this platform".
func Supported(name string) bool {
	if d, ok := Lookup(name); ok && d.Implemented() {
		return true
	}
	for _, f := range FrameworkAPIs {
		if f == name {
			return true
		}
	}
	return false
}
