package perms

import (
	"strings"
	"testing"
)

func TestStoreForget(t *testing.T) {
	s := openTestStore(t)
	for _, g := range []Grant{
		{App: "a.app", Signer: "k1", Capability: "clipboard:read", Decision: DecisionDenied},
		{App: "a.app", Signer: "k0", Capability: "clipboard:read", Decision: DecisionGranted},
		{App: "a.app", Signer: "k1", Capability: "location:read", Decision: DecisionGranted},
		{App: "b.app", Signer: "k1", Capability: "clipboard:read", Decision: DecisionDenied},
	} {
		if err := s.Set(g.App, g.Signer, g.Capability, g.Decision); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Forget("a.app", "clipboard:read"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		app, signer, capability string
		want                    Decision
	}{
		{"a.app", "k1", "clipboard:read", DecisionAsk}, // forgotten, under every signer
		{"a.app", "k0", "clipboard:read", DecisionAsk},
		{"a.app", "k1", "location:read", DecisionGranted}, // another capability stays
		{"b.app", "k1", "clipboard:read", DecisionDenied}, // another app stays
	}
	for _, tt := range tests {
		if got := mustGet(t, s, tt.app, tt.signer, tt.capability); got != tt.want {
			t.Errorf("%s %s %s = %q, want %q", tt.app, tt.signer, tt.capability, got, tt.want)
		}
	}
	if err := s.Forget("a.app", "fs:read"); err == nil || !strings.Contains(err.Error(), `unknown capability "fs:read"`) {
		t.Errorf("Forget of an unknown capability = %v", err)
	}
	if err := s.Forget("", "clipboard:read"); err == nil || !strings.Contains(err.Error(), "app id is empty") {
		t.Errorf("Forget of no app = %v", err)
	}
}
