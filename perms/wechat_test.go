package perms

import (
	"reflect"
	"strings"
	"testing"
)

func TestWeChatClaims(t *testing.T) {
	tests := []struct {
		name       string
		permission map[string]string
		infos      []string
		want       map[string]Claim
		wantWarn   []string
	}{
		{"scope with desc", map[string]string{"scope.userLocation": "Shops near you"}, nil,
			map[string]Claim{"location:read": {Reason: "Shops near you"}}, nil},
		{"private info takes the scope's desc", map[string]string{"scope.userLocation": "Shops near you"}, []string{"getLocation"},
			map[string]Claim{"location:read": {Reason: "Shops near you"}}, nil},
		{"private info alone", nil, []string{"getFuzzyLocation"},
			map[string]Claim{"location:read": {Reason: "The app declares that it uses wx.getFuzzyLocation."}}, nil},
		{"unsupported scope and API", map[string]string{"scope.camera": "x"}, []string{"chooseAddress"},
			map[string]Claim{}, []string{`permission["scope.camera"]`, `requiredPrivateInfos[0]: "chooseAddress"`}},
		{"desc a prompt cannot show", map[string]string{"scope.userInfo": "line\nbreak"}, nil,
			map[string]Claim{}, []string{`permission["scope.userInfo"].desc: reason contains a control character`}},
		{"empty desc", map[string]string{"scope.writePhotosAlbum": " "}, nil,
			map[string]Claim{}, []string{"reason is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns := WeChatClaims(tt.permission, tt.infos)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("claims = %v, want %v", got, tt.want)
			}
			if len(warns) != len(tt.wantWarn) {
				t.Fatalf("warnings = %q, want %d", warns, len(tt.wantWarn))
			}
			for i, w := range tt.wantWarn {
				if !strings.Contains(warns[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warns[i], w)
				}
			}
			if err := CheckClaims(got); err != nil {
				t.Errorf("derived claims do not pass CheckClaims: %v", err)
			}
		})
	}
	merged := MergeClaims(map[string]Claim{"location:read": {Reason: "own"}}, map[string]Claim{"location:read": {Reason: "wechat"}, "user:readProfile": {Reason: "p"}})
	if merged["location:read"].Reason != "own" || merged["user:readProfile"].Reason != "p" {
		t.Errorf("MergeClaims = %v", merged)
	}
}
