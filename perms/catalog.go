package perms

import (
	"sort"

	"github.com/sandframe/sandframe/internal/hostapi"
)

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
	APIs        []string // the host APIs it unlocks: those whose declaration names it
}

// The rate classes live with the host API declarations (internal/hostapi); these names
// stay for the config and the tests that speak of them.
const (
	ClassLocal     = hostapi.ClassLocal
	ClassFeedback  = hostapi.ClassFeedback
	ClassPrompt    = hostapi.ClassPrompt
	ClassNetwork   = hostapi.ClassNetwork
	ClassClipboard = hostapi.ClassClipboard
	ClassFile      = hostapi.ClassFile
	ClassLocation  = hostapi.ClassLocation
	ClassShare     = hostapi.ClassShare
)

// catalog is the whole list. Which APIs each capability unlocks is not written here: a
// host API names its capability in its own declaration (internal/hostapi).
var catalog = []Capability{
	{Name: "user:readProfile", Title: "Your profile", Risk: RiskMedium,
		Description: "See the name and picture you set in your Sandframe profile."},
	{Name: "network:request", Title: "Internet access", Risk: RiskMedium,
		Description: "Send and receive data over the internet, only to the servers this app lists."},
	{Name: "clipboard:read", Title: "Read the clipboard", Risk: RiskHigh,
		Description: "See whatever text you last copied, which may include passwords or private messages."},
	{Name: "clipboard:write", Title: "Copy to the clipboard", Risk: RiskLow,
		Description: "Replace what you last copied with text from this app."},
	{Name: "location:read", Title: "Your location", Risk: RiskHigh,
		Description: "Know where you are, using the location set in Sandframe."},
	{Name: "notification:show", Title: "Notifications", Risk: RiskLow,
		Description: "Show notifications on your desktop, even when its window is not in front."},
	{Name: "file:pick", Title: "Open files you choose", Risk: RiskMedium,
		Description: "Open a file you pick yourself in a file dialog. It cannot see any other file."},
	{Name: "file:save", Title: "Save files", Risk: RiskMedium,
		Description: "Save a file to a place you choose in a file dialog."},
	{Name: "share:read", Title: "Read what other apps share with it", Risk: RiskMedium,
		Description: "Read values other apps published for it, each app only after you agree."},
	{Name: "share:publish", Title: "Share with other apps", Risk: RiskMedium,
		Description: "Offer values to the apps it names; they can read them only after you agree."},
}

var byName = map[string]int{} // capability name → index in catalog

func init() {
	for i, c := range catalog {
		byName[c.Name] = i
	}
}

// withAPIs returns c with the APIs whose declarations name it, in a slice of its own.
func withAPIs(c Capability) Capability {
	c.APIs = nil
	for _, d := range hostapi.All() {
		if d.Capability == c.Name {
			c.APIs = append(c.APIs, d.Name)
		}
	}
	return c
}

// Catalog lists every capability, sorted by name.
func Catalog() []Capability {
	out := make([]Capability, len(catalog))
	for i, c := range catalog {
		out[i] = withAPIs(c)
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
	return withAPIs(catalog[i]), true
}

// CapabilityForAPI names the capability a host API needs; ("", false) when it needs none
// (or is not a known API: the gateway rejects unknown APIs itself).
func CapabilityForAPI(api string) (string, bool) {
	d, ok := hostapi.Lookup(api)
	if !ok || d.Capability == "" {
		return "", false
	}
	return d.Capability, true
}

// KnownAPI reports whether api is a declared host API, with or without a capability.
func KnownAPI(api string) bool {
	_, ok := hostapi.Lookup(api)
	return ok
}

// RateClass is the rate class of a host API; ("", false) for an API nobody declared (the
// gateway then applies its strictest, default limit).
func RateClass(api string) (string, bool) {
	d, ok := hostapi.Lookup(api)
	if !ok {
		return "", false
	}
	return d.Class, true
}

// RatedClasses lists the classes that have a call rate (every class but ClassLocal), for
// the config to give each a limit.
func RatedClasses() []string { return hostapi.RatedClasses() }

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
