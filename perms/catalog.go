package perms

import "sort"

// Risk is how much harm a capability can do in the wrong hands; prompts show it.
type Risk string

// Risk levels.
const (
	RiskLow    Risk = "low"
	RiskMedium Risk = "medium"
	RiskHigh   Risk = "high"
)

// Capability is one permission a mini-app can declare and ask for.
type Capability struct {
	Name        string   // "domain:action"
	Title       string   // short label for settings and prompts
	Description string   // what it allows, in plain words a user understands
	Risk        Risk     //
	APIs        []string // the host APIs (wx/sf names) it unlocks
	Class       string   // the rate class of those APIs (ClassNetwork, ...)
}

// Rate classes group host APIs by what a call costs, for the gateway's call rates
// (docs/bridge.md). A local API works on the app's own state and is bounded by its
// quotas (storage size, page stack depth), not by a call rate; a call of any other
// class costs the user or others, so it gets a per-app rate, and only refusals in these
// classes count toward the monitor's anomaly rules.
const (
	ClassLocal     = "local"     // storage, navigation, system info, UI state that does not interrupt
	ClassFeedback  = "feedback"  // toasts, modals, loading, action sheets, notifications: a human pace
	ClassPrompt    = "prompt"    // asking the user for a capability, or for their profile
	ClassNetwork   = "network"   // requests, downloads, uploads
	ClassClipboard = "clipboard" //
	ClassFile      = "file"      // file pickers and saves
	ClassLocation  = "location"  //
	ClassShare     = "share"     // values shared with other apps
)

// catalog is the whole list. A host API appears under at most one capability.
var catalog = []Capability{
	{Name: "user:readProfile", Title: "Your profile", Risk: RiskMedium,
		Description: "See the name and picture you set in your Sandframe profile.",
		APIs:        []string{"getUserProfile", "getUserInfo"}, Class: ClassPrompt},
	{Name: "network:request", Title: "Internet access", Risk: RiskMedium,
		Description: "Send and receive data over the internet, only to the servers this app lists.",
		APIs:        []string{"request", "downloadFile", "uploadFile"}, Class: ClassNetwork},
	{Name: "clipboard:read", Title: "Read the clipboard", Risk: RiskHigh,
		Description: "See whatever text you last copied, which may include passwords or private messages.",
		APIs:        []string{"getClipboardData"}, Class: ClassClipboard},
	{Name: "clipboard:write", Title: "Copy to the clipboard", Risk: RiskLow,
		Description: "Replace what you last copied with text from this app.",
		APIs:        []string{"setClipboardData"}, Class: ClassClipboard},
	{Name: "location:read", Title: "Your location", Risk: RiskHigh,
		Description: "Know where you are, using the location set in Sandframe.",
		APIs:        []string{"getLocation", "getFuzzyLocation", "startLocationUpdate", "startLocationUpdateBackground"}, Class: ClassLocation},
	{Name: "notification:show", Title: "Notifications", Risk: RiskLow,
		Description: "Show notifications on your desktop, even when its window is not in front.",
		APIs:        []string{"showNotification"}, Class: ClassFeedback},
	{Name: "file:pick", Title: "Open files you choose", Risk: RiskMedium,
		Description: "Open a file you pick yourself in a file dialog. It cannot see any other file.",
		APIs:        []string{"chooseMessageFile", "pickFile", "chooseImage", "chooseMedia", "chooseVideo"}, Class: ClassFile},
	{Name: "file:save", Title: "Save files", Risk: RiskMedium,
		Description: "Save a file to a place you choose in a file dialog.",
		APIs:        []string{"saveFile", "saveFileToDisk", "saveImageToPhotosAlbum", "saveVideoToPhotosAlbum"}, Class: ClassFile},
	{Name: "share:read", Title: "Read what other apps share with it", Risk: RiskMedium,
		Description: "Read values other apps published for it, each app only after you agree.",
		APIs:        []string{"shareRead", "getShareInfo"}, Class: ClassShare},
	{Name: "share:publish", Title: "Share with other apps", Risk: RiskMedium,
		Description: "Offer values to the apps it names; they can read them only after you agree.",
		APIs:        []string{"sharePublish", "shareUnpublish", "shareAppMessage", "shareFileMessage"}, Class: ClassShare},
}

// freeAPIs are host APIs that need no capability, by rate class. Policy may still deny
// them by name ("api:showToast"); they are listed so that Policy.Validate can tell a typo
// from an API.
var freeAPIs = []struct {
	Class string
	APIs  []string
}{
	{ClassLocal, []string{
		// navigation and window chrome: bounded by the page stack, never interrupting
		"navigateTo", "redirectTo", "navigateBack", "reLaunch", "switchTab",
		"setNavigationBarTitle", "setNavigationBarColor", "hideToast", "hideLoading",
		"getSystemInfo", "getSystemInfoSync",
		// what has been decided (reading it asks nobody)
		"getSetting",
		// per-app storage (its own namespace, bounded by its quota)
		"setStorage", "setStorageSync", "getStorage", "getStorageSync",
		"removeStorage", "removeStorageSync", "clearStorage", "clearStorageSync",
		"getStorageInfo", "getStorageInfoSync",
	}},
	// what the user sees and has to read or answer
	{ClassFeedback, []string{"showToast", "showModal", "showLoading", "showActionSheet"}},
	// the permission APIs that may put a prompt or the settings in front of the user
	{ClassPrompt, []string{"authorize", "requestCapability", "openSetting"}},
}

var (
	byName     = map[string]int{}    // capability name → index in catalog
	apiToCap   = map[string]string{} // api → capability name
	freeSet    = map[string]bool{}
	apiToClass = map[string]string{} // api → rate class
)

func init() {
	for i, c := range catalog {
		byName[c.Name] = i
		for _, a := range c.APIs {
			if prev, dup := apiToCap[a]; dup {
				panic("perms: api " + a + " listed under " + prev + " and " + c.Name)
			}
			apiToCap[a] = c.Name
			apiToClass[a] = c.Class
		}
	}
	for _, g := range freeAPIs {
		for _, a := range g.APIs {
			if _, dup := apiToCap[a]; dup {
				panic("perms: api " + a + " is both free and under " + apiToCap[a])
			}
			if freeSet[a] {
				panic("perms: api " + a + " listed twice among the free APIs")
			}
			freeSet[a] = true
			apiToClass[a] = g.Class
		}
	}
}

// copyCap returns c with its own APIs slice, so callers cannot edit the catalog.
func copyCap(c Capability) Capability {
	c.APIs = append([]string(nil), c.APIs...)
	return c
}

// Catalog lists every capability, sorted by name.
func Catalog() []Capability {
	out := make([]Capability, len(catalog))
	for i, c := range catalog {
		out[i] = copyCap(c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a capability by name.
func Lookup(name string) (Capability, bool) {
	i, ok := byName[name]
	if !ok {
		return Capability{}, false
	}
	return copyCap(catalog[i]), true
}

// CapabilityForAPI names the capability a host API needs; ("", false) when it needs none
// (or is not a known API: the gateway rejects unknown APIs itself).
func CapabilityForAPI(api string) (string, bool) {
	c, ok := apiToCap[api]
	return c, ok
}

// KnownAPI reports whether api is a host API this package knows, with or without a
// capability.
func KnownAPI(api string) bool {
	_, ok := apiToCap[api]
	return ok || freeSet[api]
}

// RateClass is the rate class of a host API; ("", false) for an API this package does
// not know (the gateway then applies its strictest, default limit).
func RateClass(api string) (string, bool) {
	c, ok := apiToClass[api]
	return c, ok
}

// RatedClasses lists the classes that have a call rate (every class but ClassLocal), for
// the config to give each a limit.
func RatedClasses() []string {
	return []string{ClassFeedback, ClassPrompt, ClassNetwork, ClassClipboard, ClassFile, ClassLocation, ClassShare}
}

// scopes maps WeChat authorize scopes to capabilities. The first scope listed for a
// capability is the one CapabilityScope returns.
var scopes = []struct{ scope, capability string }{
	{"scope.userInfo", "user:readProfile"},
	{"scope.userLocation", "location:read"},
	{"scope.userFuzzyLocation", "location:read"},
	{"scope.userLocationBackground", "location:read"},
	{"scope.writePhotosAlbum", "file:save"},
}

// ScopeCapability maps a WeChat scope (wx.authorize, wx.getSetting) to a capability;
// ("", false) for scopes Sandframe does not support (scope.camera, scope.record, ...).
func ScopeCapability(scope string) (string, bool) {
	for _, s := range scopes {
		if s.scope == scope {
			return s.capability, true
		}
	}
	return "", false
}

// CapabilityScope is the key wx.getSetting's authSetting uses for a capability: its
// WeChat scope when it has one, else the capability name itself.
func CapabilityScope(capability string) string {
	for _, s := range scopes {
		if s.capability == capability {
			return s.scope
		}
	}
	return capability
}
