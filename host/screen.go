package host

import (
	"context"
	"fmt"
	"sync"

	"github.com/sandframe/sandframe/device"
	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/render"
)

var (
	_ device.Screen = apiHost{}
	_ device.Phone  = apiHost{}
	_ login.Storage = apiHost{} // wx.login's key lives in the app's sealed storage
)

// keepOn holds each session's screensaver inhibition (wx.setKeepScreenOn), released
// when the app turns it off or the session ends.
var keepOn, keepWatched sync.Map // *Session → func() release; *Session → true

// KeepScreenOn implements device.Screen: the desktop's screensaver is inhibited while
// the app asks for it and runs. A desktop without one has nothing to inhibit: the call
// still succeeds, as on a phone that stays on anyway.
func (h apiHost) KeepScreenOn(on bool) error {
	s := h.s
	if !on {
		if r, ok := keepOn.LoadAndDelete(s); ok {
			r.(func())()
		}
		return nil
	}
	if _, ok := keepOn.Load(s); ok {
		return nil
	}
	release, err := device.InhibitScreenSaver(s.title(), "the mini-app asked to keep the screen on (wx.setKeepScreenOn)")
	if err != nil {
		s.log.Debug("setKeepScreenOn: nothing to inhibit", "err", err)
		return nil
	}
	if _, loaded := keepOn.LoadOrStore(s, release); loaded {
		release()
		return nil
	}
	if _, watched := keepWatched.LoadOrStore(s, true); !watched { // one watcher per session, however often it toggles
		go func() {
			<-s.ctx.Done()
			keepWatched.Delete(s)
			if r, ok := keepOn.LoadAndDelete(s); ok {
				r.(func())()
			}
		}()
	}
	return nil
}

// ConfirmCall implements device.Phone: a trusted prompt over the app's window; without
// one (headless, kiosk) the permissions policy answers, as for other prompts.
func (h apiHost) ConfirmCall(ctx context.Context, number string) bool {
	s := h.s
	if s.opts.Prompts != nil {
		if n, ok := s.opts.Prompts.ask(ctx, s.id, render.Prompt{
			Title:   "Phone call — " + s.title(),
			Heading: fmt.Sprintf("%q wants to call %s", s.title(), number),
			Body:    "If you allow it, the number goes to this desktop's application for phone calls, which places the call.",
			Buttons: []string{"Cancel", "Call"},
		}); ok {
			return n == 1
		}
	}
	p := s.opts.Config.Permissions.Prompts
	return p == "allow" || p == "allow-once"
}
