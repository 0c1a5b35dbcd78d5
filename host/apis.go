package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sandframe/sandframe/appinfo"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/canvas"
	"github.com/sandframe/sandframe/device"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/hostapi/all"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/profile"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
	"github.com/sandframe/sandframe/ui"
)

// registerAPIs puts every implemented host API of the registry on the gateway. Each
// call's arguments are checked against the declaration's schema before its handler
// runs; the handler sees this session through apiHost.
func (s *Session) registerAPIs() {
	for _, d := range all.Decls() {
		if !d.Implemented() {
			continue
		}
		d := d
		s.gw.Register(d.Name, s.apiHandler(d, d.Handler))
		if d.Denied != nil {
			s.gw.RegisterDenied(d.Name, s.apiHandler(d, d.Denied))
		}
	}
}

// apiHandler is h on the gateway: the call's arguments checked against d's schema,
// the session seen through apiHost.
func (s *Session) apiHandler(d hostapi.Decl, h hostapi.Handler) bridge.Handler {
	return func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		if err := d.Check(args); err != nil {
			return nil, nil, err
		}
		return h(hostapi.Call{Ctx: ctx, Sender: snd, Args: args, Host: apiHost{s}, Log: s.log})
	}
}

// apiShapes is what logic builds wx/sf from.
func apiShapes() []hostapi.Shape { return all.Shapes() }

// apiHost is the session as the services' host APIs see it: one small interface per
// service, each checked here at compile time.
type apiHost struct{ s *Session }

var (
	_ appinfo.Host = apiHost{}
	_ storage.Host = apiHost{}
	_ netapi.Host  = apiHost{}
	_ profile.Host = apiHost{}
	_ device.Host  = apiHost{}
	_ files.Host   = apiHost{}
	_ ui.Host      = apiHost{}
	_ perms.Host   = apiHost{}
	_ share.Host   = apiHost{}
	_ canvas.Host  = apiHost{}
)

// AppInfo implements appinfo.Host.
func (h apiHost) AppInfo() appinfo.Info {
	s := h.s
	return appinfo.Info{ID: s.appID, Version: s.app.Project.App.Version, Verified: s.app.Verified,
		Launch: appinfo.Launch{Path: s.launch.Path, Query: s.launch.Query, Scene: s.launch.Scene}}
}

// AppStorage implements storage.Host.
func (h apiHost) AppStorage(app string) (*storage.AppStore, error) {
	if h.s.opts.Storage == nil {
		return nil, errors.New("no storage in this shell")
	}
	return h.s.opts.Storage.App(app)
}

// StorageLimit implements storage.Host.
func (h apiHost) StorageLimit() int64 { return h.s.opts.Config.Storage.MaxAppBytes }

// Network implements netapi.Host.
func (h apiHost) Network() (*netapi.Client, netapi.App) {
	var domains []string
	if n := h.s.app.Project.App.Network; n != nil {
		domains = n.Domains
	}
	return h.s.opts.Network, netapi.App{ID: h.s.id, Domains: domains}
}

// ProfileSource implements profile.Host: the profile the user set in the launcher; the
// config's until they set one.
func (h apiHost) ProfileSource() (string, profile.Profile, string) {
	c := h.s.opts.Config
	return c.ProfilePath(), profile.Profile{NickName: c.Profile.NickName, AvatarURL: c.Profile.AvatarURL}, c.System.Language
}

// DeviceInfo implements device.Host.
func (h apiHost) DeviceInfo() device.Info { return h.s.deviceInfo() }

func (s *Session) deviceInfo() device.Info {
	c := s.opts.Config
	return s.simulated(device.Info{Brand: c.System.Brand, Model: c.System.Model, Language: c.System.Language, Version: s.opts.Version,
		Width: c.Window.Width, Height: c.Window.Height, Theme: s.theme()})
}

// systemInfo is what wx.getSystemInfo reports, for the page's init.
func (s *Session) systemInfo() map[string]any { return device.SystemInfo(s.deviceInfo()) }

// Location implements device.Host: a desktop has no GPS, the location is the one the
// user configured.
func (h apiHost) Location() device.Location {
	l := h.s.opts.Config.Location
	return device.Location{Latitude: l.Latitude, Longitude: l.Longitude, Accuracy: l.Accuracy}
}

// Clipboard implements device.Host.
func (h apiHost) Clipboard() (device.Clipboard, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	cb, ok := h.s.surf.(device.Clipboard)
	if !ok {
		return nil, errors.New("no clipboard on this surface")
	}
	return cb, nil
}

// FilePicker implements files.Host.
func (h apiHost) FilePicker() (files.Picker, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	fp, ok := h.s.surf.(files.Picker)
	if !ok {
		return nil, errors.New("no file chooser on this surface")
	}
	return fp, nil
}

// AppTitle implements files.Host.
func (h apiHost) AppTitle() string { return h.s.title() }

// Navigate implements ui.Host: the router hands the navigation to the gate and logic
// before the call answers.
func (h apiHost) Navigate(action, url string, delta int) (*bridge.Nav, error) {
	if err := h.s.ensureRoute(action, url); err != nil {
		return nil, err
	}
	return h.s.route(func() (*bridge.Nav, error) { return h.s.nav.Navigate(action, url, delta) })
}

// SendUI implements ui.Host.
func (h apiHost) SendUI(op bridge.UI) { h.s.sendUI(op) }

// Modal implements ui.Host: the window answers through the modal's (or action
// sheet's) id.
func (h apiHost) Modal(ctx context.Context, op bridge.UI) (ui.Answer, error) {
	s := h.s
	op.ID = fmt.Sprintf("m%d", s.nextID.Add(1))
	answer := make(chan ui.Answer, 1)
	s.mu.Lock()
	s.modals[op.ID] = answer
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.modals, op.ID)
		s.mu.Unlock()
	}()
	s.sendUI(op)
	select {
	case a := <-answer:
		return a, nil
	case <-ctx.Done():
		return ui.Answer{}, errors.New("the app closed")
	}
}

// TabIndex implements ui.Host.
func (h apiHost) TabIndex(route string) (int, int) {
	tb := h.s.app.Project.App.TabBar
	if tb == nil {
		return -1, 0
	}
	for i, t := range tb.List {
		if strings.TrimPrefix(t.PagePath, "/") == route {
			return i, len(tb.List)
		}
	}
	return -1, len(tb.List)
}

// RequestCapability implements perms.Host.
func (h apiHost) RequestCapability(ctx context.Context, capability string) (perms.Decision, error) {
	return h.s.request(ctx, capability)
}

// AuthSetting implements perms.Host.
func (h apiHost) AuthSetting() (map[string]bool, error) { return h.s.authSetting() }

// OpenSetting implements perms.Host.
func (h apiHost) OpenSetting(ctx context.Context) (map[string]bool, error) {
	return h.s.openSetting(ctx)
}

// Shares implements share.Host.
func (h apiHost) Shares() (*share.Store, error) {
	if h.s.opts.Shares == nil {
		return nil, errors.New("no sharing in this shell")
	}
	return h.s.opts.Shares, nil
}

// ResolveApp implements share.Host: "ID@KEYID" or "ID@unverified" exactly, a bare id the
// installed app of that id (Options.Identities), else the unverified one.
func (h apiHost) ResolveApp(name string) (identity.App, error) {
	if strings.Contains(name, "@") {
		return identity.Parse(name)
	}
	if h.s.opts.Identities != nil {
		return h.s.opts.Identities(name), nil
	}
	return identity.Unverified(name), nil
}

// AskConsent implements share.Host: the consent dialog over the reader's window; without
// one (headless, kiosk) the permissions policy answers.
func (h apiHost) AskConsent(ctx context.Context, reader, publisher identity.App, name string) int {
	s := h.s
	if s.opts.Prompts != nil {
		if n, ok := s.opts.Prompts.ask(ctx, reader.Key(), render.Prompt{
			Title:   "Sharing request — " + s.title(),
			Heading: fmt.Sprintf("%q wants to read what %s shared with it", s.title(), publisher),
			Body: fmt.Sprintf("Value: “%s”\n\nIf you allow it, %s can read every value %s shares with it, until you revoke it (shell share revoke %s %s).",
				name, reader, publisher, reader.Key(), publisher.Key()),
			Buttons: promptButtons,
		}); ok {
			return n
		}
	}
	switch s.opts.Config.Permissions.Prompts {
	case "allow":
		return 2
	case "allow-once":
		return 1
	}
	return 0
}

// AuditShare implements share.Host.
func (h apiHost) AuditShare(snd bridge.Sender, publisher, name, decision, reason string) {
	if reason != "" {
		reason = ": " + reason
	}
	h.s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: snd.App, Window: snd.Window, Page: snd.Page,
		Kind: "share", API: "shareRead", Capability: "share:read", Decision: decision,
		Reason: fmt.Sprintf("from %s, %q%s", publisher, name, reason)})
}

// title is the app's name as people see it; the shell says "unverified" wherever it
// names an app no trusted key signed.
func (s *Session) title() string {
	n := s.app.Project.App.Name
	if n == "" {
		n = s.appID
	}
	if !s.app.Verified {
		n += " (unverified)"
	}
	return n
}
