package host

import (
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// A template with handlers named by data lets the gate accept the page's methods; the
// conformance app's WXS and component compile as part of the app.
func TestCompileDynamicHandlersAndWXS(t *testing.T) {
	a, err := LoadDir("../e2e/testdata/compat")
	if err != nil {
		t.Fatal(err)
	}
	h, ok := a.PageHandlers("pages/index/index")
	if !ok || !h[bridge.AnyMethod] || !h["swap"] {
		t.Fatalf("page handlers %v: want AnyMethod and the static swap", h)
	}
	if tpl := a.Pages["pages/index/index"].Template; len(tpl.Wxs) != 5 {
		t.Errorf("WXS modules %d, want 5 (fmt, price, num, local, spin)", len(tpl.Wxs))
	}
	if h, _ := a.ComponentHandlers("components/tag/tag"); h[bridge.AnyMethod] {
		t.Error("a component with static handlers only allows any method")
	}
}
