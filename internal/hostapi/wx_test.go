package hostapi

import (
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

func TestWxNamesFile(t *testing.T) {
	ms := WxMethods()
	if len(ms) < 490 {
		t.Fatalf("wxnames.txt lists %d methods; the typings have 495", len(ms))
	}
	kinds := map[string]bool{"async": true, "sync": true, "event": true, "object": true, "promise": true, "call": true}
	seen := map[string]bool{}
	for _, m := range ms {
		if !kinds[m.Kind] || seen[m.Name] {
			t.Errorf("%s: kind %q, repeated %v", m.Name, m.Kind, seen[m.Name])
		}
		seen[m.Name] = true
	}
	for name, kind := range map[string]string{"request": "object", "showModal": "async", "getStorageSync": "sync",
		"onAppShow": "event", "createSelectorQuery": "object", "getWindowInfo": "sync", "nextTick": "call"} {
		if !seen[name] {
			t.Errorf("wxnames.txt lacks %s", name)
		}
		for _, m := range ms {
			if m.Name == name && m.Kind != kind {
				t.Errorf("%s: kind %s, want %s", name, m.Kind, kind)
			}
		}
	}
}

func TestSupported(t *testing.T) {
	h := func(Call) (map[string]any, *bridge.Nav, error) { return nil, nil, nil }
	Register(Decl{Name: "scanCode", Class: ClassLocal}) // planned: still not supported
	Register(Decl{Name: "vibrateShort", Class: ClassLocal, Handler: h})
	for name, want := range map[string]bool{"vibrateShort": true, "nextTick": true, "getLogManager": true, "scanCode": false, "onAppShow": true, "onMemoryWarning": false} {
		if got := Supported(name); got != want {
			t.Errorf("Supported(%s) = %v, want %v", name, got, want)
		}
	}
	if !IsWxMethod("showModal") || IsWxMethod("pickFile") {
		t.Error("IsWxMethod is WeChat's list")
	}
	for _, f := range FrameworkAPIs {
		if !IsWxMethod(f) {
			t.Errorf("framework API %s is not one of WeChat's", f)
		}
	}
}
