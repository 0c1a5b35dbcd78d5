package host

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/device"
)

// launchOrNotFound opens the start page; when it names a page the app does not have,
// it opens the entry page instead and returns the pageNotFound event for
// App.onPageNotFound and wx.onPageNotFound ({path, query, isEntryPage: true}), as WeChat
// does for a link to a page that is gone: the app may redirect in its handler.
func (s *Session) launchOrNotFound() (*bridge.Nav, *bridge.Lifecycle, error) {
	nav, err := s.nav.Launch(s.opts.StartPage)
	if err == nil || s.opts.StartPage == "" || !strings.Contains(err.Error(), "is not found") {
		return nav, nil, err
	}
	s.log.Warn("the start page is not found; the entry page opens and the app hears onPageNotFound",
		"page", s.opts.StartPage, "err", err)
	nav, lerr := s.nav.Launch("")
	if lerr != nil {
		return nil, nil, err
	}
	raw, rawQuery, _ := strings.Cut(s.opts.StartPage, "?")
	query := map[string]string{}
	for _, pair := range strings.Split(rawQuery, "&") {
		if k, v, _ := strings.Cut(pair, "="); k != "" {
			query[k] = v
		}
	}
	data, _ := json.Marshal(map[string]any{"path": strings.TrimPrefix(raw, "/"), "query": query, "isEntryPage": true})
	return nav, &bridge.Lifecycle{Event: "pageNotFound", Data: data}, nil
}

// theme is what the app is told of the desktop's theme: the config's system.theme, or
// with "auto" the desktop's own setting.
func (s *Session) theme() string {
	if t, ok := themes.Load(s); ok { // the simulator's switch (dev.go)
		return t.(string)
	}
	if sys := s.opts.Config.System; !sys.FollowsDesktopTheme() {
		return sys.Theme
	}
	return device.CurrentTheme()
}

// followTheme tells the app when the desktop's theme changes (App.onThemeChange,
// wx.onThemeChange), while the session lives; only with system.theme "auto".
func (s *Session) followTheme() {
	if !s.opts.Config.System.FollowsDesktopTheme() {
		return
	}
	stop := device.WatchTheme(func(theme string) {
		data, _ := json.Marshal(map[string]string{"theme": theme})
		s.deliverLogic(bridge.KindLifecycle, bridge.Lifecycle{Event: "themeChange", Data: data})
	})
	s.stopTheme = sync.OnceFunc(stop) // shutdown: nothing of the watcher outlives the session
}

// iconified is the window minimised or restored: the app goes to the background and
// comes back (App.onHide/onShow, wx.onAppHide/onAppShow), unless the launcher has
// hidden it already. It runs on the UI thread: it only enqueues.
func (s *Session) iconified(min bool) {
	if s.minimised.Swap(min) == min || s.hidden.Load() {
		return
	}
	event := "show"
	if min {
		event = "hide"
	}
	s.deliverLogic(bridge.KindLifecycle, bridge.Lifecycle{Event: event})
}

// SimulateIconify makes the window report itself minimised or restored, as a window
// manager would (automation's test hooks: a bare X server has no window manager).
func (s *Session) SimulateIconify(min bool) error {
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win == nil {
		return errors.New("the session has no window of its own")
	}
	return win.SimulateIconify(min)
}
