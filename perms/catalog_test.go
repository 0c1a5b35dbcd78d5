package perms

import (
	"strings"
	"testing"
)

func TestCatalogHasTheRequiredCapabilities(t *testing.T) {
	for _, name := range []string{"user:readProfile", "network:request", "clipboard:read", "clipboard:write",
		"location:read", "notification:show", "file:pick", "file:save", "share:read", "share:publish"} {
		c, ok := Lookup(name)
		if !ok {
			t.Errorf("Lookup(%q) not found", name)
			continue
		}
		if c.Name != name || c.Title == "" || c.Description == "" || len(c.APIs) == 0 {
			t.Errorf("%s is incomplete: %+v", name, c)
		}
		switch c.Risk {
		case RiskLow, RiskMedium, RiskHigh:
		default:
			t.Errorf("%s: risk %q", name, c.Risk)
		}
		if !strings.Contains(name, ":") {
			t.Errorf("%s is not domain:action", name)
		}
	}
}

func TestCatalogIsACopy(t *testing.T) {
	Catalog()[0].APIs[0] = "tampered"
	c, _ := Lookup("clipboard:read")
	c.APIs[0] = "tampered"
	for _, c := range Catalog() {
		for _, a := range c.APIs {
			if a == "tampered" {
				t.Fatalf("the catalog was changed through a returned value: %+v", c)
			}
		}
	}
	if got, _ := CapabilityForAPI("getClipboardData"); got != "clipboard:read" {
		t.Fatalf("CapabilityForAPI changed: %q", got)
	}
}

func TestCapabilityForAPI(t *testing.T) {
	tests := []struct {
		api, want string
		ok        bool
	}{
		{"getUserProfile", "user:readProfile", true},
		{"setClipboardData", "clipboard:write", true},
		{"getClipboardData", "clipboard:read", true},
		{"getLocation", "location:read", true},
		{"chooseMessageFile", "file:pick", true},
		{"pickFile", "file:pick", true},
		{"request", "network:request", true},
		{"saveImageToPhotosAlbum", "file:save", true},
		{"showNotification", "notification:show", true},
		{"getShareInfo", "share:read", true},
		{"shareAppMessage", "share:publish", true},
		{"navigateTo", "", false},
		{"showToast", "", false},
		{"authorize", "", false},
		{"noSuchApi", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := CapabilityForAPI(tt.api)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CapabilityForAPI(%q) = %q, %v; want %q, %v", tt.api, got, ok, tt.want, tt.ok)
		}
	}
}

func TestKnownAPI(t *testing.T) {
	for api, want := range map[string]bool{"getClipboardData": true, "showToast": true, "getSetting": true,
		"readFile": false, "": false, "api:showToast": false} {
		if got := KnownAPI(api); got != want {
			t.Errorf("KnownAPI(%q) = %v, want %v", api, got, want)
		}
	}
}

func TestScopes(t *testing.T) {
	tests := []struct {
		scope, want string
		ok          bool
	}{
		{"scope.userInfo", "user:readProfile", true},
		{"scope.userLocation", "location:read", true},
		{"scope.userFuzzyLocation", "location:read", true},
		{"scope.userLocationBackground", "location:read", true},
		{"scope.writePhotosAlbum", "file:save", true},
		{"scope.camera", "", false},
		{"scope.record", "", false},
		{"user:readProfile", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ScopeCapability(tt.scope)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ScopeCapability(%q) = %q, %v; want %q, %v", tt.scope, got, ok, tt.want, tt.ok)
		}
	}
	for cp, want := range map[string]string{
		"user:readProfile": "scope.userInfo", "location:read": "scope.userLocation",
		"file:save": "scope.writePhotosAlbum", "clipboard:read": "clipboard:read", "network:request": "network:request",
	} {
		if got := CapabilityScope(cp); got != want {
			t.Errorf("CapabilityScope(%q) = %q, want %q", cp, got, want)
		}
	}
	// Every scope round-trips to a capability whose scope maps back to the same capability.
	for _, s := range scopes {
		cp, _ := ScopeCapability(s.scope)
		back, ok := ScopeCapability(CapabilityScope(cp))
		if !ok || back != cp {
			t.Errorf("%s → %s → %s → %s", s.scope, cp, CapabilityScope(cp), back)
		}
	}
}

func TestRateClass(t *testing.T) {
	for api, want := range map[string]string{
		// bounded by quotas, not by a call rate
		"setStorageSync": ClassLocal, "getStorage": ClassLocal, "clearStorageSync": ClassLocal,
		"navigateTo": ClassLocal, "navigateBack": ClassLocal, "getSystemInfoSync": ClassLocal,
		"setNavigationBarTitle": ClassLocal, "hideToast": ClassLocal, "hideLoading": ClassLocal, "getSetting": ClassLocal,
		// what costs the user or others
		"showToast": ClassFeedback, "showModal": ClassFeedback, "showLoading": ClassFeedback, "showNotification": ClassFeedback,
		"authorize": ClassPrompt, "requestCapability": ClassPrompt, "openSetting": ClassPrompt, "getUserProfile": ClassPrompt,
		"request": ClassNetwork, "downloadFile": ClassNetwork, "uploadFile": ClassNetwork,
		"setClipboardData": ClassClipboard, "getClipboardData": ClassClipboard,
		"pickFile": ClassFile, "chooseMessageFile": ClassFile, "saveImageToPhotosAlbum": ClassFile,
		"getLocation": ClassLocation, "sharePublish": ClassShare, "shareRead": ClassShare,
	} {
		if got, ok := RateClass(api); !ok || got != want {
			t.Errorf("RateClass(%q) = %q, %v; want %q", api, got, ok, want)
		}
	}
	for _, api := range []string{"", "noSuchApi", "api:showToast"} {
		if got, ok := RateClass(api); ok {
			t.Errorf("RateClass(%q) = %q for an unknown API", api, got)
		}
	}
}
