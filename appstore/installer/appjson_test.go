package installer

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestReadAppJSON(t *testing.T) {
	tests := []struct {
		name, appJSON     string
		wantName, wantSum string
		wantIcon          string
		wantCaps          []Capability
		wantErr           string
	}{
		{name: "full", appJSON: `{"id": "x.y", "name": " Notes\n\tPro ", "description": "A` + strings.Repeat("a", 400) + `", "icon": "/img/../img/icon.png",
			"capabilities": {"user:readProfile": {"reason": "Sign"}, "x:unknown": {"reason": "?"}}}`,
			wantName: "Notes Pro", wantSum: "A" + strings.Repeat("a", 298) + "…", wantIcon: "img/icon.png",
			wantCaps: []Capability{{Name: "user:readProfile", Title: "Your profile", Reason: "Sign"}, {Name: "x:unknown", Title: "x:unknown", Reason: "?"}}},
		{name: "no name: the id", appJSON: `{"id": "x.y"}`, wantName: "x.y", wantCaps: []Capability{}},
		{name: "tab icon", appJSON: `{"tabBar": {"list": [{"pagePath": "a", "text": "A"}, {"pagePath": "b", "text": "B", "iconPath": "tabs/b.png"}]}}`,
			wantName: "x.y", wantIcon: "tabs/b.png", wantCaps: []Capability{}},
		{name: "icon outside the app", appJSON: `{"icon": "../../etc/passwd"}`, wantName: "x.y", wantCaps: []Capability{}},
		{name: "not json", appJSON: `{"id":`, wantErr: "app.json: unexpected end of JSON input"},
		{name: "wrong type", appJSON: `{"name": 7}`, wantErr: "app.json: json: cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ReadAppJSON(fstest.MapFS{"app.json": {Data: []byte(tt.appJSON)}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadAppJSON = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := a.DisplayName("x.y"); got != tt.wantName {
				t.Errorf("DisplayName = %q, want %q", got, tt.wantName)
			}
			if got := a.Summary(); got != tt.wantSum {
				t.Errorf("Summary = %q, want %q", got, tt.wantSum)
			}
			if got := a.IconPath(); got != tt.wantIcon {
				t.Errorf("IconPath = %q, want %q", got, tt.wantIcon)
			}
			if got := a.Declared(); !slices.Equal(got, tt.wantCaps) {
				t.Errorf("Declared = %+v, want %+v", got, tt.wantCaps)
			}
		})
	}
	if _, err := ReadAppJSON(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "app.json") {
		t.Fatalf("no app.json: %v", err)
	}
}
