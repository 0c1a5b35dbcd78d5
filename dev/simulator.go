package dev

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/automation"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/render"
)

// control is a use of the controls window; it runs on the UI thread, so it only starts the
// work.
func (d *Session) control(c render.SimControl) {
	switch c.What {
	case render.SimPreset:
		go func() { _ = d.SetPreset(c.Value) }()
	case render.SimDark:
		theme := "light"
		if c.Value != 0 {
			theme = "dark"
		}
		go d.SetTheme(theme)
	case render.SimZoom:
		d.mu.Lock()
		z := stepZoom(d.zoom, c.Value)
		d.mu.Unlock()
		go func() { _ = d.SetZoom(z) }()
	}
}

// SetPreset shows the app as Presets[i]: the frame takes the device's size, the page's
// rpx follows its width at once, and the system information APIs report the device.
func (d *Session) SetPreset(i int) error {
	if i < 0 || i >= len(Presets) {
		return fmt.Errorf("no device preset %d", i)
	}
	d.mu.Lock()
	d.preset = i
	z := d.zoom
	d.sizeConfig()
	d.mu.Unlock()
	p := Presets[i]
	if sess := d.Host(); sess != nil {
		sess.SetDevice(host.Device{Model: p.Name, Width: p.Width, Height: p.Height, PixelRatio: p.PixelRatio})
	}
	if d.win != nil {
		if err := d.win.SimFrame(p.Width, p.Height, z); err != nil {
			return err
		}
		_ = d.win.SimShowPreset(i)
	}
	d.emit(Event{Kind: EventDevice, Detail: p.Label()})
	return nil
}

// SetZoom shows the frame at zoom z (1 = 100%): the page keeps its CSS size.
func (d *Session) SetZoom(z float64) error {
	if z < 0.25 || z > 4 {
		return fmt.Errorf("zoom %g is out of 0.25…4", z)
	}
	d.mu.Lock()
	d.zoom = z
	p := Presets[d.preset]
	d.mu.Unlock()
	if d.win == nil {
		return nil
	}
	return d.win.SimFrame(p.Width, p.Height, z)
}

// SetTheme switches the app to "light" or "dark": it hears onThemeChange, and
// getSystemInfo answers the theme.
func (d *Session) SetTheme(theme string) {
	if theme != "dark" {
		theme = "light"
	}
	d.mu.Lock()
	changed := d.theme != theme
	d.theme = theme
	d.sizeConfig()
	d.mu.Unlock()
	if sess := d.Host(); sess != nil {
		sess.SetTheme(theme)
	}
	if d.win != nil {
		_ = d.win.SimDark(theme == "dark")
	}
	if changed {
		d.emit(Event{Kind: EventTheme, Detail: theme})
	}
}

// imageSource serves the page's remote images through whichever session runs.
type imageSource struct{ d *Session }

func (i imageSource) RemoteImage(ctx context.Context, urlApp, remote string) ([]byte, string, error) {
	sess, err := i.d.current(ctx)
	if err != nil {
		return nil, "", err
	}
	return sess.RemoteImage(ctx, urlApp, remote)
}

// target is what the automation socket drives: the session running now (a call made
// during a reload waits for the next one), plus the simulator's own methods
// (automation.Simulator: dev.status, dev.preset, dev.theme, dev.zoom).
type target struct{ d *Session }

var (
	_ automation.Target    = (*target)(nil)
	_ automation.Simulator = (*target)(nil)
)

// waitSession bounds how long a call waits for a reload to finish.
const waitSession = 15 * time.Second

func (t *target) sess() (*host.Session, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitSession)
	defer cancel()
	return t.d.current(ctx)
}

func (t *target) CurrentPage() (automation.Page, error) {
	s, err := t.sess()
	if err != nil {
		return automation.Page{}, err
	}
	return s.CurrentPage()
}

func (t *target) Stack() []automation.Page {
	s, err := t.sess()
	if err != nil {
		return nil
	}
	return s.Stack()
}

func (t *target) PageData(ctx context.Context, page string) (json.RawMessage, error) {
	var out json.RawMessage
	err := t.onSession(ctx, func(ctx context.Context, s *host.Session) (err error) {
		out, err = s.PageData(ctx, page)
		return err
	})
	return out, err
}

func (t *target) Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	var out json.RawMessage
	err := t.onSession(ctx, func(ctx context.Context, s *host.Session) (err error) {
		out, err = s.Probe(ctx, op, selector, value)
		return err
	})
	return out, err
}

// onSession runs call on the current session; when a reload ends that session before
// the call is answered, the call is made again on the next one (a probe sent to the
// page the reload replaced is never answered).
func (t *target) onSession(ctx context.Context, call func(context.Context, *host.Session) error) error {
	for {
		s, err := t.d.current(ctx)
		if err != nil {
			return err
		}
		cctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-s.Done():
				cancel()
			case <-cctx.Done():
			}
		}()
		err = call(cctx, s)
		cancel()
		select {
		case <-s.Done():
			if ctx.Err() == nil && err != nil {
				continue // the session ended under the call: ask the next one
			}
		default:
		}
		return err
	}
}

func (t *target) Navigate(ctx context.Context, method, url string, delta int) (automation.Page, error) {
	s, err := t.d.current(ctx)
	if err != nil {
		return automation.Page{}, err
	}
	return s.Navigate(ctx, method, url, delta)
}

func (t *target) Screenshot(path string) error {
	s, err := t.sess()
	if err != nil {
		return err
	}
	return s.Screenshot(path)
}

func (t *target) Geometry() (automation.Geometry, error) {
	s, err := t.sess()
	if err != nil {
		return automation.Geometry{}, err
	}
	return s.Geometry()
}

func (t *target) Violations() int {
	s, err := t.sess()
	if err != nil {
		return 0
	}
	return s.Violations()
}

// Eval serves the test-hooks build's test.inject.
func (t *target) Eval(script string) error {
	if t.d.win == nil {
		return fmt.Errorf("no window")
	}
	return t.d.win.Eval(script)
}

func (t *target) SimStatus() (any, error) { return t.d.Status(), nil }

func (t *target) SimPreset(name string) (any, error) {
	i, err := FindPreset(name)
	if err != nil {
		return nil, err
	}
	if err := t.d.SetPreset(i); err != nil {
		return nil, err
	}
	return t.d.Status(), nil
}

func (t *target) SimTheme(theme string) (any, error) {
	if theme != "light" && theme != "dark" {
		return nil, fmt.Errorf("theme %q: light or dark", theme)
	}
	t.d.SetTheme(theme)
	return t.d.Status(), nil
}

func (t *target) SimZoom(z float64) (any, error) {
	if err := t.d.SetZoom(z); err != nil {
		return nil, err
	}
	return t.d.Status(), nil
}
