package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/automation"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/render"
)

// The session is what the automation server drives.
var _ automation.Target = (*Session)(nil)

func pageOf(p bridge.NavOpen) automation.Page {
	return automation.Page{ID: p.Page, Route: p.Route, Query: p.Query}
}

// CurrentPage implements automation.Target.
func (s *Session) CurrentPage() (automation.Page, error) {
	top, ok := s.nav.Top()
	if !ok {
		return automation.Page{}, errors.New("no page is open yet")
	}
	return pageOf(top), nil
}

// Stack implements automation.Target.
func (s *Session) Stack() []automation.Page {
	var out []automation.Page
	for _, p := range s.nav.Stack() {
		out = append(out, pageOf(p))
	}
	return out
}

// PageData implements automation.Target.
func (s *Session) PageData(ctx context.Context, page string) (json.RawMessage, error) {
	return s.rt.PageData(page)
}

// Probe implements automation.Target: the page runs it as real DOM events.
func (s *Session) Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	return s.probes.ask(ctx, s.launched, func(env bridge.Envelope) error { s.toPage(env); return nil }, op, selector, value)
}

// Navigate implements automation.Target.
func (s *Session) Navigate(ctx context.Context, method, url string, delta int) (automation.Page, error) {
	nav, err := s.navigate(method, url, delta)
	if err != nil {
		return automation.Page{}, fmt.Errorf("%s:fail %w", method, err)
	}
	for _, p := range s.nav.Stack() {
		if p.Page == nav.Show {
			return pageOf(p), nil
		}
	}
	return automation.Page{}, errors.New("the page shown is not in the stack")
}

// Screenshot implements automation.Target. It first lets running transitions end, so
// the picture shows the state the UI comes to rest in.
func (s *Session) Screenshot(path string) error {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if _, err := s.Probe(ctx, "settle", "", ""); err != nil {
		s.log.Debug("screenshot: the page did not settle", "err", err)
	}
	w, ok := s.surf.(windowSurface)
	if !ok {
		return errors.New("screenshot: this session has no window")
	}
	return w.Screenshot(path)
}

// Geometry implements automation.Target.
func (s *Session) Geometry() (automation.Geometry, error) {
	win, ok := s.surf.(windowSurface)
	if !ok {
		return automation.Geometry{}, errors.New("geometry: this session has no window")
	}
	x, y, w, h, err := win.Geometry()
	return automation.Geometry{X: x, Y: y, Width: w, Height: h}, err
}

// Violations implements automation.Target.
func (s *Session) Violations() int { return s.gate.Violations() }

// Eval runs script in the page. Only the test-hooks build reaches it (automation's
// test.inject); the shell never runs a mini-app's code in its page.
func (s *Session) Eval(script string) error {
	win, ok := s.surf.(windowSurface)
	if !ok {
		return errors.New("eval: this session has no window")
	}
	return win.Eval(script)
}

// dialogWindow is the window's side of the shell's dialogs.
type dialogWindow interface {
	AnswerPrompt(button int) error
	AnswerSettings(on []bool) error
	AnswerFiles(path string) error
}

func (s *Session) dialogs() (dialogWindow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.surf.(dialogWindow)
	if !ok {
		return nil, errors.New("this session has no window")
	}
	return d, nil
}

// OpenDialogs counts the shell's dialogs waiting for an answer (test hooks).
func (s *Session) OpenDialogs() int { return render.OpenDialogs() }

// AnswerPrompt presses a button of the oldest open prompt (test hooks).
func (s *Session) AnswerPrompt(button int) error {
	d, err := s.dialogs()
	if err != nil {
		return err
	}
	return d.AnswerPrompt(button)
}

// AnswerSettings saves the oldest open settings dialog (test hooks).
func (s *Session) AnswerSettings(on []bool) error {
	d, err := s.dialogs()
	if err != nil {
		return err
	}
	return d.AnswerSettings(on)
}

// AnswerFiles answers the oldest open file chooser (test hooks).
func (s *Session) AnswerFiles(path string) error {
	d, err := s.dialogs()
	if err != nil {
		return err
	}
	return d.AnswerFiles(path)
}

// AnswerPIN types into the kiosk's PIN dialog (test hooks).
func (s *Session) AnswerPIN(pin string) error {
	s.mu.Lock()
	w, ok := s.surf.(interface{ AnswerPIN(string) error })
	s.mu.Unlock()
	if !ok {
		return errors.New("this session has no window")
	}
	return w.AnswerPIN(pin)
}

// PressClose presses the window's close button, as a person would (test hooks).
func (s *Session) PressClose() error {
	s.mu.Lock()
	w, ok := s.surf.(interface{ PressClose() error })
	s.mu.Unlock()
	if !ok {
		return errors.New("this session has no window")
	}
	return w.PressClose()
}
