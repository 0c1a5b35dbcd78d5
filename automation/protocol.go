// Package automation lets programs drive a running mini-app the way a person would, for
// end-to-end tests (WeChat's miniprogram-automator plays this role there). The shell
// serves it on an owner-only unix socket (`shell run --automation SOCKET`); Client is
// the Go side. The protocol is one JSON object per line each way:
//
//	→ {"id": 1, "method": "element.tap", "params": {"selector": "#add"}}
//	← {"id": 1, "result": {...}}   or   {"id": 1, "error": "no element matches #add"}
//
// Methods:
//
//	page.current     {}                         → Page
//	page.stack       {}                         → []Page (bottom first)
//	page.data        {"page": ""}               → the logic-side data of a page ("" = in front)
//	element.query    {"selector": "..."}        → []Element
//	element.tap      {"selector": "..."}        → {} (real DOM events in the page)
//	element.longpress{"selector": "..."}        → {}
//	element.input    {"selector": "...", "value": "..."} → {}
//	element.press    {"selector": "...", "value": "Enter"} → {} (a key, with focus there)
//	element.drag     {"selector": "...", "value": "-200 0"} → {} (press, move by dx dy, release)
//	element.submit   {"selector": "..."}        → {}
//	app.navigate     {"method": "navigateTo", "url": "/pages/x/x", "delta": 1} → Page
//	window.screenshot{"path": "/abs/file.png"}  → {}
//	window.geometry  {}                         → Geometry
//	app.violations   {}                         → {"count": N} page messages the bridge refused
//	window.hide      {}                         → {} the app goes to the background (App.onHide)
//	window.show      {}                         → {} and comes back (App.onShow)
package automation

import (
	"context"
	"encoding/json"
)

// Request is one call.
type Request struct {
	ID     uint64          `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params,omitempty"`
}

// Response answers the Request with the same ID.
type Response struct {
	ID     uint64          `json:"id"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// Page is a page instance.
type Page struct {
	ID    string            `json:"id"`
	Route string            `json:"route"`
	Query map[string]string `json:"query"`
}

// Element is what the page reports of a matched element.
type Element struct {
	Tag     string            `json:"tag"`
	ID      string            `json:"id"`
	Text    string            `json:"text"`
	Attrs   map[string]string `json:"attrs"`
	Value   string            `json:"value"`
	Checked bool              `json:"checked"`
	Visible bool              `json:"visible"`
	// Style holds computed values of display, color, background-color, font-size and
	// font-weight.
	Style map[string]string `json:"style,omitempty"`
}

// Geometry is the window's place on screen.
type Geometry struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Target is what the server drives: a running mini-app session.
type Target interface {
	CurrentPage() (Page, error)
	Stack() []Page
	PageData(ctx context.Context, page string) (json.RawMessage, error)
	// Probe sends op ("query", "style", "font", "tap", "longpress", "input", "press", "submit", "drag") to the page and
	// returns its answer.
	Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error)
	Navigate(ctx context.Context, method, url string, delta int) (Page, error)
	Screenshot(path string) error
	Geometry() (Geometry, error)
	Violations() int
}

// Extra methods a build may add (the forgery test's script injection lives behind a
// build tag, never in a release binary).
var extraMethods = map[string]func(ctx context.Context, t Target, params json.RawMessage) (any, error){}
