package host

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/render"
)

// permsApp is how the permission model sees this session's app.
func (s *Session) permsApp() perms.App {
	return s.app.PermsApp()
}

// PermsApp is the app as the permission model sees it: decisions keyed by its identity
// (id and signer key id). An app run from a folder, or from a bundle no trusted key
// signed, is shown "unverified".
func (a *App) PermsApp() perms.App {
	p := a.Project.App
	ident := a.Identity()
	claims, _ := p.Claims()
	return perms.App{ID: ident.ID, Name: p.Name, Signer: ident.Signer, Verified: a.Verified, PublisherName: a.Publisher,
		Claims: claims}
}

// checkCall is the gateway's check: the capability an API needs, granted or not.
func (s *Session) checkCall(snd bridge.Sender, api string) (string, error) {
	capability, _ := perms.CapabilityForAPI(api)
	if s.opts.Perms == nil {
		if capability != "" {
			return capability, errors.New("auth deny (no permission store)")
		}
		return "", nil
	}
	return capability, s.opts.Perms.Check(s.ctx, s.permsApp(), api)
}

// request asks for a capability; a Denial's text is WeChat's reason.
func (s *Session) request(ctx context.Context, capability string) (perms.Decision, error) {
	if s.opts.Perms == nil {
		return "", errors.New("auth deny (no permission store)")
	}
	return s.opts.Perms.Request(ctx, s.permsApp(), capability)
}

// authSetting is wx.getSetting's authSetting: decided capabilities by their scope name.
func (s *Session) authSetting() (map[string]bool, error) {
	out := map[string]bool{}
	if s.opts.Perms == nil {
		return out, nil
	}
	set, err := s.opts.Perms.Settings(s.permsApp())
	if err != nil {
		return nil, err
	}
	for capability, d := range set {
		switch d {
		case perms.DecisionGranted, perms.DecisionOnce:
			out[perms.CapabilityScope(capability)] = true
		case perms.DecisionDenied:
			out[perms.CapabilityScope(capability)] = false
		}
	}
	return out, nil
}

// openSetting shows the shell's own settings for this app: one switch per declared
// capability. What the user changes there is stored at once.
func (s *Session) openSetting(ctx context.Context) (map[string]bool, error) {
	if s.opts.Perms == nil {
		return nil, errors.New("no permission store")
	}
	app := s.permsApp()
	set, err := s.opts.Perms.Settings(app)
	if err != nil {
		return nil, err
	}
	var names []string
	for name := range app.Claims {
		names = append(names, name)
	}
	sort.Strings(names)
	var items []render.SettingItem
	for _, name := range names {
		c, _ := perms.Lookup(name)
		d := set[name]
		items = append(items, render.SettingItem{
			Label: fmt.Sprintf("%s — %s", c.Title, app.Claims[name].Reason),
			On:    d == perms.DecisionGranted || d == perms.DecisionOnce,
		})
	}
	s.mu.Lock()
	st, ok := s.surf.(settingsSurface)
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("no settings UI on this surface")
	}
	on, err := st.Settings(ctx, render.Settings{
		Title:   "Settings — " + s.title(),
		Heading: fmt.Sprintf("What %q may use", s.title()),
		Body:    "Publisher: " + app.Publisher(),
		Items:   items,
	})
	if err != nil {
		return nil, err
	}
	for i, name := range names {
		was := items[i].On
		switch {
		case on != nil && on[i] && !was:
			err = s.opts.Perms.Grant(app, name)
		case on != nil && !on[i] && was:
			err = s.opts.Perms.Revoke(app, name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return s.authSetting()
}

// settingsSurface is a surface that can show the shell's settings dialog.
type settingsSurface interface {
	Settings(ctx context.Context, st render.Settings) ([]bool, error)
}

// claimsOf converts app.json's declarations for the permission model.
func claimsOf(in map[string]miniapp.CapabilityClaim) map[string]perms.Claim {
	out := make(map[string]perms.Claim, len(in))
	for k, v := range in {
		out[k] = perms.Claim{Reason: v.Reason}
	}
	return out
}

// Prompts routes the permission model's prompts to the window of the app that asked,
// and answers from policy where there is no window (or prompts are set to policy).
type Prompts struct {
	Fallback perms.Prompter

	mu      sync.Mutex
	windows map[string]asker
}

type asker interface {
	Ask(ctx context.Context, p render.Prompt) (int, error)
}

// NewPrompts makes a router that falls back to fallback.
func NewPrompts(fallback perms.Prompter) *Prompts {
	return &Prompts{Fallback: fallback, windows: map[string]asker{}}
}

func (p *Prompts) attach(app string, a asker) {
	p.mu.Lock()
	p.windows[app] = a
	p.mu.Unlock()
}

func (p *Prompts) detach(app string) {
	p.mu.Lock()
	delete(p.windows, app)
	p.mu.Unlock()
}

// ask shows p over app's window; ok is false when the app has no window to ask in.
func (p *Prompts) ask(ctx context.Context, app string, pr render.Prompt) (int, bool) {
	p.mu.Lock()
	win := p.windows[app]
	p.mu.Unlock()
	if win == nil {
		return -1, false
	}
	n, err := win.Ask(ctx, pr)
	if err != nil {
		return -1, true
	}
	return n, true
}

// The buttons of a permission prompt, left to right; Deny is the default.
var promptButtons = []string{"Deny", "Allow once", "Allow"}

// Prompt implements perms.Prompter.
func (p *Prompts) Prompt(ctx context.Context, r perms.Request) (perms.Answer, error) {
	p.mu.Lock()
	win := p.windows[r.App.Identity().Key()]
	p.mu.Unlock()
	if win == nil {
		return p.Fallback.Prompt(ctx, r)
	}
	name := r.App.Name
	if name == "" {
		name = r.App.ID
	}
	var body strings.Builder
	fmt.Fprintf(&body, "Publisher: %s\n\n", r.App.Publisher())
	fmt.Fprintf(&body, "If you allow it, the app can: %s\n\n", r.Capability.Description)
	if r.Reason != "" {
		fmt.Fprintf(&body, "The app says why: “%s”\n\n", r.Reason)
	}
	body.WriteString("You can change this later in the app's settings.")
	n, err := win.Ask(ctx, render.Prompt{
		Title:   "Permission request — " + name,
		Heading: fmt.Sprintf("%q asks for: %s", name, r.Capability.Title),
		Body:    body.String(),
		Buttons: promptButtons,
	})
	if err != nil {
		return "", err
	}
	switch n {
	case 0:
		return perms.AnswerDeny, nil
	case 1:
		return perms.AnswerOnce, nil
	case 2:
		return perms.AnswerAllow, nil
	}
	return "", errors.New("the prompt was closed without an answer")
}
