// Package hostapi is the registry of host APIs: each wx/sf function that leaves the logic
// runtime as an `api` message is declared once, in the service package behind it, as a
// Decl (name, JS shape, argument schema, capability, rate class, handler). logic builds
// wx/sf from the shapes, perms derives its API → capability map, appstore/lint reads the
// capabilities, and the host's gateway dispatches to the handlers (docs/apis.md).
//
// Declaring packages call Register from a package-level var, the way k6 modules register
// in init; internal/hostapi/all links every declaring package in.
package hostapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/bridge"
)

// Rate classes group host APIs by what a call costs, for the gateway's call rates
// (docs/bridge.md). A local API works on the app's own state and is bounded by its
// quotas (storage size, page stack depth), not by a call rate; a call of any other class
// costs the user or others, so it gets a per-app rate, and only refusals in these
// classes count toward the monitor's anomaly rules.
const (
	ClassLocal     = "local"     // storage, navigation, system info, UI state that does not interrupt
	ClassFeedback  = "feedback"  // toasts, modals, loading, action sheets, notifications: a human pace
	ClassPrompt    = "prompt"    // asking the user for a capability, or for their profile
	ClassNetwork   = "network"   // requests, downloads, uploads
	ClassClipboard = "clipboard" //
	ClassFile      = "file"      // file pickers and saves
	ClassLocation  = "location"  //
	ClassShare     = "share"     // values shared with other apps
)

// RatedClasses lists the classes that have a call rate (every class but ClassLocal), for
// the config to give each a limit.
func RatedClasses() []string {
	return []string{ClassFeedback, ClassPrompt, ClassNetwork, ClassClipboard, ClassFile, ClassLocation, ClassShare}
}

func knownClass(c string) bool {
	if c == ClassLocal {
		return true
	}
	for _, r := range RatedClasses() {
		if r == c {
			return true
		}
	}
	return false
}

// Type is a JSON type of an argument field, named as WeChat's parameter errors name it.
type Type string

// Argument types.
const (
	String  Type = "String"
	Number  Type = "Number"
	Boolean Type = "Boolean"
	Object  Type = "Object"
	Array   Type = "Array"
	Any     Type = "Any"
)

// Field is one named argument of an API: the fields of its option object, or (for a
// positional API) its parameters.
type Field struct {
	Name     string
	Type     Type
	Required bool
}

// Handler runs one call whose arguments passed the schema.
type Handler func(c Call) (result map[string]any, nav *bridge.Nav, err error)

// Decl declares one host API.
type Decl struct {
	Name string // the gateway's name, and wx.NAME unless Path says otherwise
	// Sync APIs return the result (or throw its errMsg); the others return a Promise, or
	// use success/fail/complete when any is given.
	Sync bool
	// Arg lets the API take a bare string: f('x') is f({Arg: 'x'}).
	Arg string
	// Params names positional arguments: f(a, b) is f({Params[0]: a, ...}).
	Params []string
	// Returns, for a sync API, is the field of the result it returns.
	Returns string
	// Path is where the function sits on wx/sf when not at Name ("share.publish").
	Path string
	// Hidden keeps the function off wx: a method of an object that a logic extension
	// script builds (logic/js/files.js: the FileSystemManager's readFile ...), reached
	// through the extension kit by its name.
	Hidden bool
	// Args is the argument schema: the fields the API reads (wx.canIUse answers
	// NAME.object.FIELD for them), each checked for its type when present and for its
	// presence when Required. Fields not listed are ignored, as WeChat ignores them.
	Args []Field
	// Capability is the capability a call needs ("" for none).
	Capability string
	// Class is the rate class (ClassLocal, ClassNetwork...).
	Class string
	// Events are what the API reports to logic after its call returned, as
	// bridge.APIEvent messages (connectSocket: open, message, close, error); logic
	// refuses an event its declaration does not list.
	Events []string
	// Handler serves the call; nil declares an API that is planned, not implemented: it
	// keeps its capability and class (policy and lint know it) and answers "not
	// supported on this platform".
	Handler Handler
	// Denied, when set, answers a call the capability check refused instead of failing
	// it: WeChat's degraded answer (getUserInfo's anonymous profile). The audit line
	// still says denied.
	Denied Handler
}

// Call is one call as a handler sees it.
type Call struct {
	Ctx    context.Context
	Sender bridge.Sender // stamped by the bridge, never what the message says
	Args   json.RawMessage
	// Host is the running session. Each service asks it for the interface it needs
	// (HostAs), so that services import no host code.
	Host any
	Log  *slog.Logger
}

// Decode decodes the call's arguments into v; fields v does not know are ignored.
func (c Call) Decode(v any) error {
	if len(c.Args) == 0 || string(c.Args) == "null" {
		return nil
	}
	if err := json.Unmarshal(c.Args, v); err != nil {
		return fmt.Errorf("invalid parameters: %v", err)
	}
	return nil
}

// HostAs is the session seen as T, the interface a service needs; an error when this
// shell's session does not offer it.
func HostAs[T any](c Call) (T, error) {
	h, ok := c.Host.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("not available in this shell")
	}
	return h, nil
}

// Implemented reports whether the API has a handler.
func (d Decl) Implemented() bool { return d.Handler != nil }

// Check checks raw arguments against the schema, and returns WeChat's text for the first
// field that fails: "parameter error: parameter.url should be String instead of
// Undefined;". raw is what the bridge already decoded strictly (valid JSON).
func (d Decl) Check(raw json.RawMessage) error {
	if len(d.Args) == 0 {
		return nil
	}
	fields, err := topLevel(raw)
	if err != nil {
		return err
	}
	for _, f := range d.Args {
		v, ok := fields.get(f.Name)
		if !ok || (v == "Null" && f.Type != Any) {
			if f.Required {
				return fmt.Errorf("parameter error: parameter.%s should be %s instead of Undefined;", f.Name, f.Type)
			}
			continue
		}
		if f.Type != Any && v != f.Type {
			return fmt.Errorf("parameter error: parameter.%s should be %s instead of %s;", f.Name, f.Type, v)
		}
	}
	return nil
}

// members is an object's top-level keys with the types of their values.
type members []struct {
	key string
	typ Type
}

// get is the type of the last member named key (JSON's last one wins, as in decoding).
func (m members) get(key string) (Type, bool) {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i].key == key {
			return m[i].typ, true
		}
	}
	return "", false
}

// topLevel lists the members of the object raw, typing each value by its first byte and
// skipping it without decoding: the schema check costs a scan, not a decode (the handler
// decodes what it uses). Absent or null arguments are an empty object.
func topLevel(raw json.RawMessage) (members, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil, nil
	}
	if s[0] != '{' {
		return nil, fmt.Errorf("parameter error: parameter should be Object instead of %s;", typeOf(s))
	}
	out := make(members, 0, 8)
	i := skipSpace(s, 1)
	if i < len(s) && s[i] == '}' {
		return out, nil
	}
	for i < len(s) {
		if s[i] != '"' {
			return nil, errInvalidJSON
		}
		end := skipString(s, i)
		if end < 0 {
			return nil, errInvalidJSON
		}
		key := s[i+1 : end-1]
		if strings.IndexByte(key, '\\') >= 0 {
			if err := json.Unmarshal([]byte(s[i:end]), &key); err != nil {
				return nil, errInvalidJSON
			}
		}
		i = skipSpace(s, end)
		if i >= len(s) || s[i] != ':' {
			return nil, errInvalidJSON
		}
		i = skipSpace(s, i+1)
		if i >= len(s) {
			return nil, errInvalidJSON
		}
		vend := skipValue(s, i)
		if vend < 0 {
			return nil, errInvalidJSON
		}
		out = append(out, struct {
			key string
			typ Type
		}{key, typeOf(s[i:vend])})
		i = skipSpace(s, vend)
		if i < len(s) && s[i] == ',' {
			i = skipSpace(s, i+1)
			continue
		}
		if i < len(s) && s[i] == '}' && skipSpace(s, i+1) == len(s) {
			return out, nil
		}
		return nil, errInvalidJSON
	}
	return nil, errInvalidJSON
}

var errInvalidJSON = fmt.Errorf("invalid parameters: not JSON")

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at s[i] ('"'), or -1.
func skipString(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the value starting at s[i], or -1. Nesting is
// counted, not recursed: depth costs nothing (the bridge bounds it anyway).
func skipValue(s string, i int) int {
	switch s[i] {
	case '"':
		return skipString(s, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				e := skipString(s, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(s) && !strings.ContainsRune(",}] \t\n\r", rune(s[j])) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// typeOf names the JSON type of v the way WeChat's messages do.
func typeOf(v string) Type {
	s := strings.TrimSpace(v)
	if s == "" {
		return "Undefined"
	}
	switch s[0] {
	case '"':
		return String
	case '{':
		return Object
	case '[':
		return Array
	case 't', 'f':
		return Boolean
	case 'n':
		return "Null"
	}
	return Number
}

// Shape is the JS side of a declaration: what logic needs to build wx/sf. It crosses to
// the isolate child as JSON.
type Shape struct {
	Name    string   `json:"name"`
	Sync    bool     `json:"sync,omitempty"`
	Arg     string   `json:"arg,omitempty"`
	Params  []string `json:"params,omitempty"`
	Returns string   `json:"returns,omitempty"`
	Path    string   `json:"path,omitempty"`
	Hidden  bool     `json:"hidden,omitempty"`
	// Fields names the argument fields, for wx.canIUse('NAME.object.FIELD').
	Fields []string `json:"fields,omitempty"`
	// Events are the bridge.APIEvent events the API may report.
	Events []string `json:"events,omitempty"`
}

// Shape is d's JS side.
func (d Decl) Shape() Shape {
	s := Shape{Name: d.Name, Sync: d.Sync, Arg: d.Arg, Params: d.Params, Returns: d.Returns, Path: d.Path, Hidden: d.Hidden, Events: d.Events}
	for _, f := range d.Args {
		s.Fields = append(s.Fields, f.Name)
	}
	return s
}

var (
	mu    sync.RWMutex
	decls = map[string]Decl{}
)

// Register adds declarations to the registry. It panics on a declaration that is
// malformed or a name already taken: both are programming errors found at start-up. It
// returns true, so that a package can register from a var: `var _ = hostapi.Register(...)`.
func Register(ds ...Decl) bool {
	mu.Lock()
	defer mu.Unlock()
	for _, d := range ds {
		if err := d.validate(); err != nil {
			panic("hostapi: " + err.Error())
		}
		if _, dup := decls[d.Name]; dup {
			panic("hostapi: " + d.Name + " declared twice")
		}
		decls[d.Name] = d
	}
	return true
}

func (d Decl) validate() error {
	switch {
	case d.Name == "":
		return fmt.Errorf("a declaration without a name")
	case !knownClass(d.Class):
		return fmt.Errorf("%s: unknown rate class %q", d.Name, d.Class)
	case d.Capability != "" && !strings.Contains(d.Capability, ":"):
		return fmt.Errorf("%s: capability %q is not domain:action", d.Name, d.Capability)
	case d.Returns != "" && !d.Sync:
		return fmt.Errorf("%s: Returns is for sync APIs", d.Name)
	}
	seen := map[string]bool{}
	for _, f := range d.Args {
		if f.Name == "" || seen[f.Name] {
			return fmt.Errorf("%s: argument field %q empty or repeated", d.Name, f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// Lookup finds the declaration of name.
func Lookup(name string) (Decl, bool) {
	mu.RLock()
	defer mu.RUnlock()
	d, ok := decls[name]
	return d, ok
}

// All lists the declarations, sorted by name.
func All() []Decl {
	mu.RLock()
	out := make([]Decl, 0, len(decls))
	for _, d := range decls {
		out = append(out, d)
	}
	mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Shapes lists the JS shapes of the implemented APIs, sorted by name.
func Shapes() []Shape {
	var out []Shape
	for _, d := range All() {
		if d.Implemented() {
			out = append(out, d.Shape())
		}
	}
	return out
}
