package perms

import (
	"fmt"
	"sort"
)

// WeChatClaims turns WeChat's own declarations in app.json into claims, so that an app
// written for WeChat needs no Sandframe-only keys:
//
//	"permission": {"scope.userLocation": {"desc": "Show shops near you"}}
//	"requiredPrivateInfos": ["getLocation"]
//
// permission maps a scope to its desc; a scope names its capability (ScopeCapability)
// and its desc becomes the reason. An API in requiredPrivateInfos declares the
// capability behind it, with the desc of a scope of the same capability as its reason,
// or a reason saying which API the app declared. A scope or API this platform does not
// have, or a desc that a prompt cannot show (see CheckClaims), is left out with a
// warning, never an error: WeChat accepts them, and an undeclared call is refused at
// run time anyway. Sandframe's own "capabilities" win over these (MergeClaims).
func WeChatClaims(permission map[string]string, privateInfos []string) (map[string]Claim, []string) {
	out := map[string]Claim{}
	var warns []string
	scopes := make([]string, 0, len(permission))
	for s := range permission {
		scopes = append(scopes, s)
	}
	sort.Strings(scopes)
	for _, s := range scopes {
		cp, ok := ScopeCapability(s)
		if !ok {
			warns = append(warns, fmt.Sprintf("app.json: permission[%q]: this scope is not supported on this platform; ignored", s))
			continue
		}
		c := Claim{Reason: permission[s]}
		if msg := claimProblem(cp, c); msg != "" {
			warns = append(warns, fmt.Sprintf("app.json: permission[%q].desc: %s; the scope is not declared", s, msg))
			continue
		}
		if _, dup := out[cp]; !dup {
			out[cp] = c
		}
	}
	for i, api := range privateInfos {
		cp, ok := CapabilityForAPI(api)
		if !ok {
			if !KnownAPI(api) {
				warns = append(warns, fmt.Sprintf("app.json: requiredPrivateInfos[%d]: %q is not supported on this platform; ignored", i, api))
			}
			continue
		}
		if _, done := out[cp]; done {
			continue
		}
		out[cp] = Claim{Reason: fmt.Sprintf("The app declares that it uses wx.%s.", api)}
	}
	return out, warns
}

// MergeClaims is an app's declarations: its own "capabilities" over those it declared
// the WeChat way.
func MergeClaims(own, wechat map[string]Claim) map[string]Claim {
	out := make(map[string]Claim, len(own)+len(wechat))
	for k, v := range wechat {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}
