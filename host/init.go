package host

import (
	"encoding/json"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/render/wxml"
)

// initPayload is the page's `init` message (docs/protocol.md).
type initPayload struct {
	App        initApp                  `json:"app"`
	CSS        string                   `json:"css"`
	Pages      map[string]initPage      `json:"pages"`
	Components map[string]initComponent `json:"components"`
	Images     map[string]string        `json:"images"`
	System     map[string]any           `json:"system"`
}

type initApp struct {
	ID     string          `json:"id"`
	Window map[string]any  `json:"window"`
	TabBar *miniapp.TabBar `json:"tabBar,omitempty"`
	// RpxMaxWidth caps the width 750rpx spans, so a wide window (a kiosk's screen)
	// keeps a readable scale instead of magnifying everything.
	RpxMaxWidth int `json:"rpxMaxWidth"`
}

type initPage struct {
	Template   *wxml.Template    `json:"template"`
	CSS        string            `json:"css"`
	Window     map[string]any    `json:"window"`
	Components map[string]string `json:"components"`
	// StyleIsolation of a page: options.styleIsolation of a page built with
	// Component(), else its .json's; "page-isolated", "page-apply-shared" and
	// "page-shared" turn app.wxss off on that page (docs/render-runtime.md).
	StyleIsolation string `json:"styleIsolation,omitempty"`
}

type initComponent struct {
	Template   *wxml.Template               `json:"template"`
	CSS        string                       `json:"css"`
	Components map[string]string            `json:"components"`
	Properties map[string]logic.PropertyDef `json:"properties"`
	Data       json.RawMessage              `json:"data"`
	Options    json.RawMessage              `json:"options"`
	// ExternalClasses and Generics (abstract node → default path, "" for none): see
	// docs/render-runtime.md, "Components".
	ExternalClasses []string          `json:"externalClasses,omitempty"`
	Generics        map[string]string `json:"generics,omitempty"`
	// StyleScope is the token of its class rules; StyleIsolation its .json's
	// styleIsolation ("" when not set there: options in its JS may set it).
	StyleScope     string `json:"styleScope"`
	StyleIsolation string `json:"styleIsolation,omitempty"`
	FormField      bool   `json:"formField,omitempty"` // wx://form-field: a <form> collects its name and value
	// FormFieldGroup (wx://form-field-group): a <form> collects the controls of its
	// template as its own.
	FormFieldGroup bool `json:"formFieldGroup,omitempty"`
}

// initPayload builds init from the compiled app and the component definitions logic
// registered (their default data and properties are only known once app code ran).
func (s *Session) initPayload() (bridge.Envelope, error) {
	p := s.app.Project
	in := initPayload{
		App:        initApp{ID: s.appID, Window: p.App.Window, TabBar: s.tabBarWithIcons(), RpxMaxWidth: s.opts.Config.Window.RpxMaxWidth},
		CSS:        s.appCSS(),
		Pages:      map[string]initPage{},
		Components: map[string]initComponent{},
		Images:     s.app.Images,
		System:     s.systemInfo(),
	}
	if in.App.Window == nil {
		in.App.Window = map[string]any{}
	}
	defs := s.rt.Definitions()
	for _, pg := range p.Pages {
		if s.unitShown(pg.Route) {
			in.Pages[pg.Route] = s.initPage(pg, defs)
		}
	}
	for path, c := range p.Components {
		if !s.unitShown(path) {
			continue
		}
		ic, err := s.initComponent(path, c, defs)
		if err != nil {
			return bridge.Envelope{}, err
		}
		in.Components[path] = ic
	}
	return bridge.NewEnvelope(bridge.KindInit, in)
}

// initPage is one page's part of init.
func (s *Session) initPage(pg miniapp.Page, defs map[string]logic.ComponentDef) initPage {
	u := s.app.Pages[pg.Route]
	ip := initPage{Template: u.Template, CSS: u.CSS, Window: pg.Window, Components: pg.Using}
	ip.StyleIsolation, _ = pg.Window["styleIsolation"].(string)
	if d, ok := defs[pg.Route]; ok && d.Page {
		var o struct {
			StyleIsolation string `json:"styleIsolation"`
		}
		if json.Unmarshal(d.Options, &o) == nil && o.StyleIsolation != "" {
			ip.StyleIsolation = o.StyleIsolation
		}
	}
	return ip
}

// initComponent is one component's part of init.
func (s *Session) initComponent(path string, c miniapp.Component, defs map[string]logic.ComponentDef) (initComponent, error) {
	u := s.app.Components[path]
	ic := initComponent{Template: u.Template, CSS: u.CSS, Components: c.Using,
		Properties: map[string]logic.PropertyDef{}, Data: json.RawMessage(`{}`), Options: json.RawMessage(`{}`),
		Generics: c.Generics, StyleScope: u.StyleScope, StyleIsolation: c.StyleIsolation}
	if d, ok := defs[path]; ok {
		ic.ExternalClasses = d.ExternalClasses
		if d.Properties != nil {
			ic.Properties = d.Properties
		}
		if len(d.Data) > 0 {
			ic.Data = d.Data
		}
		if len(d.Options) > 0 {
			ic.Options = d.Options
			if shared, set := optionsShared(d.Options); set && shared != (c.StyleIsolation == "shared") {
				css, err := s.app.componentCSS(path, shared)
				if err != nil {
					return initComponent{}, fmt.Errorf("component %s: %w", path, err)
				}
				ic.CSS = css
			}
		}
		ic.FormField, ic.FormFieldGroup = d.FormField, d.FormFieldGroup
	}
	return ic, nil
}

// tabBarWithIcons is the tab bar with its icon paths replaced by data: URLs.
func (s *Session) tabBarWithIcons() *miniapp.TabBar {
	tb := s.app.Project.App.TabBar
	if tb == nil {
		return nil
	}
	out := *tb
	out.List = make([]miniapp.TabBarItem, len(tb.List))
	for i, it := range tb.List {
		if it.IconPath != "" {
			it.IconPath, _ = s.app.image(it.IconPath)
		}
		if it.SelectedIconPath != "" {
			it.SelectedIconPath, _ = s.app.image(it.SelectedIconPath)
		}
		out.List[i] = it
	}
	return &out
}

// optionsShared reports whether a component's JS options set styleIsolation, and
// whether to "shared" (which overrides its .json, as in WeChat).
func optionsShared(raw json.RawMessage) (shared, set bool) {
	var o struct {
		StyleIsolation *string `json:"styleIsolation"`
	}
	if json.Unmarshal(raw, &o) != nil || o.StyleIsolation == nil {
		return false, false
	}
	return *o.StyleIsolation == "shared", true
}
