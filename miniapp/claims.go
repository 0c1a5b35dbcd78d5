package miniapp

import "github.com/sandframe/sandframe/perms"

// Claims is every capability app.json declares, with its reason: its own
// "capabilities", over what it declares the WeChat way ("permission",
// "requiredPrivateInfos"; see perms.WeChatClaims). The warnings name WeChat declarations
// left out (unsupported scopes, a desc a prompt cannot show); they never refuse the app.
func (c AppConfig) Claims() (map[string]perms.Claim, []string) {
	desc := make(map[string]string, len(c.Permission))
	for k, v := range c.Permission {
		desc[k] = v.Desc
	}
	wechat, warns := perms.WeChatClaims(desc, c.RequiredPrivateInfos)
	own := make(map[string]perms.Claim, len(c.Capabilities))
	for k, v := range c.Capabilities {
		own[k] = perms.Claim{Reason: v.Reason}
	}
	return perms.MergeClaims(own, wechat), warns
}
