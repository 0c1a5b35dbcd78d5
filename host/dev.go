package host

import (
	"encoding/json"
	"sync"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/device"
	"github.com/sandframe/sandframe/render"
)

// What `shell dev` (dev/, docs/dev.md) needs of a session: to run it in a window the
// simulator keeps across reloads, to know when its launch page is open, to swap its
// styles, to show a compile error over its page, and to switch its theme.

// themes holds the theme a simulator set for a session (*Session → "light"/"dark"),
// which wins over the config's until the session ends.
var themes sync.Map

// keptWindow is a window the session sends to but does not close: its owner (the
// simulator) keeps it for the next session.
type keptWindow struct{ *render.Window }

func (keptWindow) Close() {}

// RunIn serves the session in win, a window its caller created and keeps (the
// simulator's, which outlives each reload), until Close or the app fails. The page
// must be (re)loaded after RunIn starts: its first ready starts the app.
func (s *Session) RunIn(win *render.Window) error {
	if err := s.attach(keptWindow{win}); err != nil {
		s.shutdown()
		return err
	}
	s.mu.Lock()
	s.win = win
	s.mu.Unlock()
	if s.opts.Prompts != nil {
		s.opts.Prompts.attach(s.id, win)
		defer s.opts.Prompts.detach(s.id)
	}
	<-s.ctx.Done()
	s.shutdown()
	themes.Delete(s)
	devices.Delete(s)
	return s.Err()
}

// Styles are an app's compiled WXSS as the page's init carries it.
type Styles struct {
	CSS        string            `json:"css"`
	Pages      map[string]string `json:"pages"`
	Components map[string]string `json:"components"`
}

// StylesOf is app's compiled WXSS.
func StylesOf(app *App) Styles {
	st := Styles{CSS: app.CSS, Pages: map[string]string{}, Components: map[string]string{}}
	for route, u := range app.Pages {
		st.Pages[route] = u.CSS
	}
	for path, u := range app.Components {
		st.Components[path] = u.CSS
	}
	return st
}

// SwapStyles replaces the running page's styles without reloading it.
func (s *Session) SwapStyles(st Styles) {
	raw, err := json.Marshal(st)
	if err != nil {
		return
	}
	s.sendUI(bridge.UI{Op: "devStyles", Content: string(raw)})
}

// DevOverlay shows text (a compile error) over the page; "" takes it away.
func (s *Session) DevOverlay(text string) {
	s.sendUI(bridge.UI{Op: "devOverlay", Text: text})
}

// SetTheme switches the theme the app sees ("light" or "dark"): getSystemInfo answers
// it and the app hears onThemeChange (App.onThemeChange, wx.onThemeChange).
func (s *Session) SetTheme(theme string) {
	if theme != "dark" {
		theme = "light"
	}
	prev := s.theme()
	themes.Store(s, theme)
	if prev == theme {
		return
	}
	data, _ := json.Marshal(map[string]string{"theme": theme})
	s.deliverLogic(bridge.KindLifecycle, bridge.Lifecycle{Event: "themeChange", Data: data})
}

// Device is a simulated device (shell dev's presets): its window in CSS pixels and its
// pixel ratio, which the system information APIs report.
type Device struct {
	Model         string
	Width, Height int
	PixelRatio    float64
}

// devices holds the device a simulator set for a session (*Session → Device).
var devices sync.Map

// SetDevice makes the system information APIs report d from now on.
func (s *Session) SetDevice(d Device) { devices.Store(s, d) }

// simulated is in with the simulator's device, when one is set.
func (s *Session) simulated(in device.Info) device.Info {
	if v, ok := devices.Load(s); ok {
		d := v.(Device)
		in.Width, in.Height, in.PixelRatio = d.Width, d.Height, d.PixelRatio
		if d.Model != "" {
			in.Model = d.Model
		}
	}
	return in
}

// Title is the window title the app gets (its name, marked unverified when unsigned).
func (s *Session) Title() string { return s.title() }
