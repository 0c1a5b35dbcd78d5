package perms

import (
	"context"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the permission APIs need from the running session: the session knows the
// app, its window and its prompts.
type Host interface {
	// RequestCapability asks for a capability; a Denial's text is WeChat's reason.
	RequestCapability(ctx context.Context, capability string) (Decision, error)
	// AuthSetting is wx.getSetting's authSetting: decided capabilities by scope name.
	AuthSetting() (map[string]bool, error)
	// OpenSetting shows the shell's settings for the app and returns the authSetting
	// after the user's changes.
	OpenSetting(ctx context.Context) (map[string]bool, error)
}

var _ = hostapi.Register(
	hostapi.Decl{Name: "requestCapability", Arg: "name", Class: hostapi.ClassPrompt, Handler: requestCapability,
		Args: []hostapi.Field{{Name: "name", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "authorize", Class: hostapi.ClassPrompt, Handler: authorize,
		Args: []hostapi.Field{{Name: "scope", Type: hostapi.String, Required: true}}},
	// Reading what has been decided asks nobody.
	hostapi.Decl{Name: "getSetting", Class: hostapi.ClassLocal, Handler: getSetting,
		Args: []hostapi.Field{{Name: "withSubscriptions", Type: hostapi.Boolean}}},
	hostapi.Decl{Name: "openSetting", Class: hostapi.ClassPrompt, Handler: openSetting},
)

func requestCapability(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	// sf.requestCapability('user:readProfile') is sf.requestCapability({name: ...}).
	var a struct {
		Name string `json:"name"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	d, err := h.RequestCapability(c.Ctx, a.Name)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"capability": a.Name, "decision": string(d)}, nil, nil
}

func authorize(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Scope string `json:"scope"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	capability, ok := ScopeCapability(a.Scope)
	if !ok {
		return nil, nil, fmt.Errorf("invalid scope %q", a.Scope)
	}
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	if _, err := h.RequestCapability(c.Ctx, capability); err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, nil
}

func getSetting(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	set, err := h.AuthSetting()
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"authSetting": set}, nil, nil
}

func openSetting(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	set, err := h.OpenSetting(c.Ctx)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"authSetting": set}, nil, nil
}
