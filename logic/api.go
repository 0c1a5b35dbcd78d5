package logic

import "encoding/json"

// apiSpec describes one wx/sf function that leaves the runtime as an `api` message.
// Adding a host API (storage, permissions, ...) is one line in apiTable.
type apiSpec struct {
	Name string `json:"name"`
	// Sync APIs go through Options.CallSync and return the result (or throw its errMsg);
	// the others return a Promise, or use success/fail/complete when any is given.
	Sync bool `json:"sync,omitempty"`
	// Arg, when set, lets the API take a bare string: f('x') is f({Arg: 'x'}).
	Arg string `json:"arg,omitempty"`
	// Params names a sync API's positional arguments: f(a, b) is f({Params[0]: a, ...}).
	Params []string `json:"params,omitempty"`
	// Returns, for a sync API, is the field of the result it returns.
	Returns string `json:"returns,omitempty"`
	// Path is where the function sits on wx/sf when not at Name ("share.publish").
	Path string `json:"path,omitempty"`
}

var apiTable = []apiSpec{
	// Navigation: the apiResult carries `nav`, applied before the call resolves.
	{Name: "navigateTo"},
	{Name: "redirectTo"},
	{Name: "navigateBack"},
	{Name: "reLaunch"},
	{Name: "switchTab"},
	// Window chrome and feedback.
	{Name: "setNavigationBarTitle"},
	{Name: "setNavigationBarColor"},
	{Name: "showToast"},
	{Name: "hideToast"},
	{Name: "showModal"},
	{Name: "showLoading"},
	{Name: "hideLoading"},
	// System.
	{Name: "getSystemInfo"},
	{Name: "getSystemInfoSync", Sync: true},
	// Permissions: asking, and what has been decided.
	{Name: "requestCapability", Arg: "name"},
	{Name: "authorize"},
	{Name: "getSetting"},
	{Name: "openSetting"},
	// APIs behind capabilities (the gateway checks them before the handler runs).
	{Name: "getUserProfile"},
	{Name: "getUserInfo"},
	{Name: "setClipboardData"},
	{Name: "getClipboardData"},
	{Name: "getLocation"},
	{Name: "chooseMessageFile"},
	{Name: "pickFile"},
	{Name: "request"},
	// Storage: the app's own encrypted namespace (the host picks it from the sender).
	{Name: "setStorage"},
	{Name: "getStorage"},
	{Name: "removeStorage"},
	{Name: "clearStorage"},
	{Name: "getStorageInfo"},
	{Name: "setStorageSync", Sync: true, Params: []string{"key", "data"}},
	{Name: "getStorageSync", Sync: true, Params: []string{"key"}, Returns: "data"},
	{Name: "removeStorageSync", Sync: true, Params: []string{"key"}},
	{Name: "clearStorageSync", Sync: true, Params: []string{}},
	{Name: "getStorageInfoSync", Sync: true},
	// Explicit sharing between apps: sf.share.publish(name, value, {to}), sf.share.read(from, name).
	{Name: "sharePublish", Params: []string{"name", "value", "options"}, Path: "share.publish"},
	{Name: "shareUnpublish", Params: []string{"name"}, Path: "share.unpublish"},
	{Name: "shareRead", Params: []string{"from", "name"}, Path: "share.read"},
}

// apiTableJSON is what the framework builds wx from.
var apiTableJSON = func() string {
	b, err := json.Marshal(apiTable)
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// APINames lists the host API names wx/sf exposes, for the host to check its handlers.
func APINames() []string {
	out := make([]string, len(apiTable))
	for i, a := range apiTable {
		out[i] = a.Name
	}
	return out
}
