package miniapp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Support is how far the shell follows an app.json key WeChat defines.
type Support string

// Support levels of an app.json key.
const (
	// Supported keys change what the shell does as they change WeChat.
	Supported Support = "supported"
	// NoEffect keys only tune WeChat's own loading, review or search: nothing to follow.
	NoEffect Support = "no-effect"
	// Partly followed keys are read, with a difference the user may see.
	Partly Support = "partly"
	// Ignored keys are WeChat features the shell does not have: the app runs without them.
	Ignored Support = "ignored"
)

// appKeys is every top-level app.json key WeChat's documentation lists (and Sandframe's
// own), with how far the shell follows it and what that means for the app.
var appKeys = map[string]struct {
	support Support
	why     string
}{
	"pages": {Supported, ""}, "entryPagePath": {Supported, ""}, "window": {Supported, ""},
	"tabBar": {Supported, ""}, "usingComponents": {Supported, ""}, "themeLocation": {Supported, ""},
	"permission": {Supported, ""}, "requiredPrivateInfos": {Supported, ""},
	"subpackages": {Supported, ""}, "subPackages": {Supported, ""},
	"id": {Supported, ""}, "name": {Supported, ""}, "version": {Supported, ""},
	"capabilities": {Supported, ""}, "network": {Supported, ""},
	"description": {Supported, ""}, "icon": {Supported, ""}, // the launcher's tile (appstore/installer)

	"sitemapLocation": {NoEffect, ""}, "lazyCodeLoading": {NoEffect, ""}, "preloadRule": {Supported, ""},
	"debug": {NoEffect, ""}, "resizable": {NoEffect, ""}, "requiredBackgroundModes": {NoEffect, ""},
	"navigateToMiniProgramAppIdList": {NoEffect, ""}, "embeddedAppIdList": {NoEffect, ""},
	"enablePassiveEvent": {NoEffect, ""}, "supportedMaterials": {NoEffect, ""}, "entranceDeclare": {NoEffect, ""},
	"singlePage": {NoEffect, ""}, "requiredPrivateInfosDesc": {NoEffect, ""}, "cloud": {NoEffect, ""},
	"__usePrivacyCheck__": {NoEffect, ""}, "restartStrategy": {NoEffect, ""}, "cloudfunctionRoot": {NoEffect, ""},

	"style":              {Partly, "the shell draws one style of built-in components (close to WeChat's \"v2\")"},
	"darkmode":           {Partly, "the shell shows the light theme"},
	"renderer":           {Partly, "the shell has one renderer (WebView); Skyline-only features do not apply"},
	"rendererOptions":    {Partly, "the shell has one renderer (WebView); Skyline-only features do not apply"},
	"componentFramework": {Partly, "the shell has one renderer (WebView); glass-easel-only features do not apply"},
	"networkTimeout":     {Partly, "the shell's own request timeouts apply"},

	"plugins":              {Ignored, "plugins are not supported on this platform: their pages and components do not exist"},
	"workers":              {Ignored, "workers are not supported on this platform: wx.createWorker fails"},
	"useExtendedLib":       {Ignored, "WeChat's extended libraries are not bundled: their components render as plain containers"},
	"functionalPages":      {Ignored, "functional pages are not supported on this platform"},
	"resolveAlias":         {Ignored, "require aliases are not supported: an aliased require fails"},
	"componentPlaceholder": {Ignored, "placeholders are not needed: every component loads at launch"},
	"openLocationPagePath": {Ignored, "location pages are not supported on this platform"},
	"debugOptions":         {Ignored, "WeChat's debug options do not apply"},
	"halfPage":             {Ignored, "half-screen pages are not supported on this platform"},
	"chatTools":            {Ignored, "chat tools are not supported on this platform"},
	"behaviors":            {Ignored, "app-wide behaviors are not supported"},
	"miniApp":              {Ignored, "multi-platform (donut) settings do not apply"},
	"convertRpxToVw":       {Ignored, "rpx converts at the shell's own width"},
	"static":               {Ignored, "static resource settings do not apply"},
}

// AppKey is one top-level app.json key the shell does not fully follow, where it is.
type AppKey struct {
	Key       string
	Support   Support // Partly or Ignored, or "" for a key WeChat does not define
	Line, Col int
	Msg       string
}

func (k AppKey) Error() string {
	return (&Error{File: "app.json", Line: k.Line, Col: k.Col, Field: k.Key, Msg: k.Msg}).Error()
}

// AppKeys lists the top-level keys of app.json (raw) that the shell follows only partly,
// ignores, or does not know, in file order. Keys with no effect on a desktop are left
// out. raw that is not a JSON object gives nothing (Load reports it).
func AppKeys(raw []byte) []AppKey {
	var out []AppKey
	for _, kp := range topKeys(raw) {
		var val any
		_ = json.Unmarshal(kp.value, &val)
		info, known := appKeys[kp.key]
		k := AppKey{Key: kp.key, Support: info.support}
		k.Line, k.Col = lineCol(raw, int64(kp.off)+1)
		switch {
		case !known:
			k.Msg = "not a key WeChat or Sandframe defines; ignored"
		case info.support == Supported || info.support == NoEffect:
			switch kp.key {
			case "tabBar":
				if m, ok := val.(map[string]any); ok && m["custom"] == true {
					k.Support, k.Msg = Partly, "tabBar.custom: the shell draws its own tab bar from tabBar.list (custom-tab-bar/ is not used)"
					out = append(out, k)
				}
			}
			continue
		default:
			k.Msg = info.why
			if s, ok := val.(string); ok {
				k.Msg = fmt.Sprintf("%q: %s", s, info.why)
			}
		}
		out = append(out, k)
	}
	return out
}

type keyPos struct {
	key   string
	off   int // byte offset of the key's opening quote
	value json.RawMessage
}

// topKeys reads the keys of a JSON object in order, with where each starts.
func topKeys(raw []byte) []keyPos {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []keyPos
	for dec.More() {
		start := int(dec.InputOffset())
		t, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := t.(string)
		for start < len(raw) && raw[start] != '"' {
			start++
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, keyPos{key: key, off: start, value: v})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].off < out[j].off })
	return out
}

// SubPackage is one entry of app.json "subpackages": its pages are routes under Root.
type SubPackage struct {
	Root        string   `json:"root"`
	Name        string   `json:"name,omitempty"`
	Pages       []string `json:"pages"`
	Independent bool     `json:"independent,omitempty"`
}

// LeaveOut removes a subpackage page or component that cannot load (Page.Sub,
// Component.Sub), as WeChat would fail only when it is opened: a tag that used the
// component renders as a plain container. It reports false, and changes nothing, for
// a unit of the main package, whose problems stop the app.
func (p *Project) LeaveOut(unit string) bool {
	if c, ok := p.Components[unit]; ok && c.Sub {
		delete(p.Components, unit)
		for _, pg := range p.Pages {
			dropUses(pg.Using, unit)
		}
		for _, c := range p.Components {
			dropUses(c.Using, unit)
		}
		return true
	}
	for i, pg := range p.Pages {
		if pg.Route == unit && pg.Sub {
			p.Pages = append(p.Pages[:i:i], p.Pages[i+1:]...)
			return true
		}
	}
	return false
}

func dropUses(using map[string]string, unit string) {
	for tag, c := range using {
		if c == unit {
			delete(using, tag)
		}
	}
}
