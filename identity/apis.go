package identity

import (
	"errors"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	appid "github.com/sandframe/sandframe/internal/identity"
)

// wx.login and wx.checkSession. No capability: like WeChat's, a login code says nothing
// about the user that another app could link, and asking costs no prompt.
var _ = hostapi.Register(
	hostapi.Decl{Name: "login", Class: hostapi.ClassLocal, Handler: login,
		Args: []hostapi.Field{{Name: "timeout", Type: hostapi.Number}}},
	hostapi.Decl{Name: "checkSession", Class: hostapi.ClassLocal, Handler: checkSession},
)

// now is the clock codes are issued by (tests move it).
var now = time.Now

func sender(c hostapi.Call) (Storage, appid.App, error) {
	st, err := hostapi.HostAs[Storage](c)
	if err != nil {
		return nil, appid.App{}, err
	}
	app, err := appid.Parse(c.Sender.App)
	if err != nil {
		return nil, appid.App{}, errors.New("no app identity")
	}
	return st, app, nil
}

func login(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	st, app, err := sender(c)
	if err != nil {
		return nil, nil, err
	}
	key, _, err := Key(st, app, true)
	if err != nil {
		return nil, nil, err
	}
	code, err := Code(key, app, now())
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"code": code}, nil, nil
}

// checkSession holds while the app's login key does: until the app's data is wiped
// (cleared, uninstalled, a kiosk's next session). WeChat's text for an expired session.
func checkSession(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	st, app, err := sender(c)
	if err != nil {
		return nil, nil, err
	}
	_, ok, err := Key(st, app, false)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errors.New("session time out, need relogin")
	}
	return map[string]any{}, nil, nil
}
