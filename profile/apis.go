package profile

import (
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the profile APIs need from the running session.
type Host interface {
	// ProfileSource is where the local profile lives, the profile handed out until the
	// user sets one (the config's), and the language to report.
	ProfileSource() (path string, fallback Profile, language string)
}

// Without the user's leave, both answer WeChat's anonymous profile instead of failing.
var _ = hostapi.Register(
	hostapi.Decl{Name: "getUserProfile", Capability: "user:readProfile", Class: hostapi.ClassPrompt, Handler: readProfile, Denied: anonymous,
		Args: []hostapi.Field{{Name: "desc", Type: hostapi.String}, {Name: "lang", Type: hostapi.String}}},
	hostapi.Decl{Name: "getUserInfo", Capability: "user:readProfile", Class: hostapi.ClassPrompt, Handler: readProfile, Denied: anonymous,
		Args: []hostapi.Field{{Name: "withCredentials", Type: hostapi.Boolean}, {Name: "lang", Type: hostapi.String}}},
)

// readProfile hands out the profile the user set in the launcher.
func readProfile(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	path, fallback, lang := h.ProfileSource()
	p, err := Load(path, fallback)
	if err != nil {
		if c.Log != nil {
			c.Log.Warn("the local profile is unreadable; the config's is handed out", "err", err)
		}
		p = fallback
	}
	info := map[string]any{
		"nickName": p.NickName, "avatarUrl": p.AvatarURL, "gender": 0,
		"country": "", "province": "", "city": "", "language": lang,
	}
	return map[string]any{"userInfo": info}, nil, nil
}
