package perms

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckClaims(t *testing.T) {
	tests := []struct {
		name   string
		claims map[string]Claim
		field  string // first *ClaimError's field; "" = valid
		msg    string // substring of its message
	}{
		{"none", nil, "", ""},
		{"good", map[string]Claim{"user:readProfile": {"Show your name on your cards"}, "clipboard:write": {"Copy a card"}}, "", ""},
		{"unknown", map[string]Claim{"x:y": {"because"}}, `capabilities["x:y"]`, "unknown capability"},
		{"no domain", map[string]Claim{"clipboard": {"because"}}, `capabilities["clipboard"]`, "unknown capability"},
		{"empty reason", map[string]Claim{"clipboard:read": {""}}, `capabilities["clipboard:read"]`, "reason is empty"},
		{"blank reason", map[string]Claim{"clipboard:read": {" \t "}}, `capabilities["clipboard:read"]`, "reason is empty"},
		{"newline", map[string]Claim{"clipboard:read": {"Paste\n[Allow]"}}, `capabilities["clipboard:read"]`, "control character"},
		{"bidi", map[string]Claim{"clipboard:read": {"abc\u202Edef"}}, `capabilities["clipboard:read"]`, "bidirectional"},
		{"too long", map[string]Claim{"clipboard:read": {strings.Repeat("é", MaxReasonRunes+1)}}, `capabilities["clipboard:read"]`, "longer than"},
		{"longest", map[string]Claim{"clipboard:read": {strings.Repeat("é", MaxReasonRunes)}}, "", ""},
		{"bad utf8", map[string]Claim{"clipboard:read": {"a\xffb"}}, `capabilities["clipboard:read"]`, "UTF-8"},
		{"first in name order", map[string]Claim{"z:z": {"r"}, "a:a": {"r"}}, `capabilities["a:a"]`, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckClaims(tt.claims)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("CheckClaims: %v", err)
				}
				return
			}
			var ce *ClaimError
			if !errors.As(err, &ce) {
				t.Fatalf("CheckClaims = %v, want a *ClaimError", err)
			}
			if ce.Field != tt.field || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("CheckClaims = %q (field %q), want field %q and %q", err, ce.Field, tt.field, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Fatalf("error %q does not start with the field", err)
			}
		})
	}
}

func TestCheckClaimsReportsEveryProblem(t *testing.T) {
	err := CheckClaims(map[string]Claim{"x:y": {"r"}, "clipboard:read": {""}, "clipboard:write": {"ok"}})
	for _, want := range []string{`capabilities["x:y"]`, `capabilities["clipboard:read"]`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), `capabilities["clipboard:write"]`) {
		t.Errorf("error %v names a good claim", err)
	}
}
