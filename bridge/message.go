// Package bridge defines the only way between render, logic and host: a versioned JSON
// envelope, one Go type per message kind, strict decoding of what pages send, sender
// stamping, routing, the API gateway and the audit log. See docs/protocol.md.
package bridge

import "encoding/json"

// Version is the envelope version this host speaks.
const Version = 1

// Kind names a payload schema.
type Kind string

// Message kinds. See docs/protocol.md for who may send which.
const (
	KindReady       Kind = "ready"       // page → host → logic
	KindEvent       Kind = "event"       // page → host → logic
	KindModel       Kind = "model"       // page → host → logic: a model: binding wrote its data key
	KindProbeResult Kind = "probeResult" // page → host, automation only
	KindInit        Kind = "init"        // host → page
	KindRender      Kind = "render"      // logic → host → page
	KindUI          Kind = "ui"          // host → page
	KindProbe       Kind = "probe"       // host → page, automation only
	KindAPI         Kind = "api"         // logic → host
	KindAPIResult   Kind = "apiResult"   // host → logic
	KindNav         Kind = "nav"         // host → logic
	KindLifecycle   Kind = "lifecycle"   // host → logic: the app's window hid or showed
	KindAPIEvent    Kind = "apiEvent"    // host → logic: an event of a host API (a socket's message)
)

// APIEvent is an event a host API reports after its call returned: a WebSocket of
// wx.connectSocket opened, received a message, closed or failed; the network changed
// (wx.onNetworkStatusChange). API names the declaration, which lists the events it may
// report (hostapi.Decl.Events); logic refuses any other. Task is the host's id of the
// task the event belongs to (the socketTaskId the call answered), 0 when none.
type APIEvent struct {
	API   string          `json:"api"`
	Task  uint64          `json:"task,omitempty"`
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data,omitempty"` // an object
}

// Lifecycle tells logic the app went to the background (its window was closed and it is
// kept alive hidden) or came back: App.onHide/onShow and the shown page's onHide/onShow.
type Lifecycle struct {
	Event string `json:"event"` // "hide", "show", or an app-wide event: "pageNotFound", "themeChange"
	// Data is the app-wide event's argument: {path, query, isEntryPage}, {theme}.
	Data json.RawMessage `json:"data,omitempty"`
}

// Sender is who really sent a message, as the host knows it. Content never sets it.
type Sender struct {
	App    string `json:"app"`
	Window string `json:"window,omitempty"`
	Page   string `json:"page,omitempty"` // page instance id, e.g. "p1"
	Route  string `json:"route,omitempty"`
}

// Envelope is one message. Sender is set only by the host.
type Envelope struct {
	V       int             `json:"v"`
	Kind    Kind            `json:"kind"`
	Payload json.RawMessage `json:"payload"`
	Sender  *Sender         `json:"sender,omitempty"`
	// Value is the typed payload (*Event, *Ready…) when the Gate decoded it: the one
	// decode in Go; the host and an in-process logic runtime read it instead of
	// decoding Payload again. It never crosses a process or the JSON encoding.
	Value any `json:"-"`
}

// NewEnvelope marshals payload into an envelope of the given kind.
func NewEnvelope(kind Kind, payload any) (Envelope, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return Envelope{}, err
	}
	return Envelope{V: Version, Kind: kind, Payload: raw}, nil
}

// Ready acknowledges render pushes up to Seq (0: the document loaded and wants Init)
// and reports component instances created, removed or re-propertied while applying them.
type Ready struct {
	Seq      uint64            `json:"seq"`
	Attached []ComponentReport `json:"attached,omitempty"`
	Detached []string          `json:"detached,omitempty"`
	// Moved are live components whose node a keyed list (wx:key) moved: logic runs
	// their moved lifetime and their relations' linkChanged.
	Moved []string         `json:"moved,omitempty"`
	Props []ComponentProps `json:"props,omitempty"`
}

// ComponentReport describes a custom component instance the render runtime created.
type ComponentReport struct {
	ID      string                     `json:"id"`    // "c3", unique in the window
	Page    string                     `json:"page"`  // page instance it lives in
	Owner   string                     `json:"owner"` // page or component instance whose template placed it
	Is      string                     `json:"is"`    // component path, e.g. "components/todo-item/todo-item"
	Props   map[string]json.RawMessage `json:"props,omitempty"`
	Events  map[string]string          `json:"events,omitempty"` // custom event → owner method
	NodeID  string                     `json:"nodeId,omitempty"`
	Dataset map[string]json.RawMessage `json:"dataset,omitempty"`
	// Parent is the component whose template (own or slot) holds this one in the
	// composed tree; empty when it sits in the page's own template. Relations follow it.
	Parent string `json:"parent,omitempty"`
	Class  string `json:"class,omitempty"` // the tag's class, for selectComponent('.x')
}

// ComponentProps carries new property values of a component instance.
type ComponentProps struct {
	ID    string                     `json:"id"`
	Props map[string]json.RawMessage `json:"props"`
}

// Event is a user interaction the page reports for a bound handler.
type Event struct {
	Target  string   `json:"target"` // "page", a component id, or "host"; resolved by the host
	Handler string   `json:"handler"`
	Event   DOMEvent `json:"event"`
	// raw is Event's JSON exactly as the page sent it, when the gate's fast path
	// decoded the message (the scan proved it: strict, bounded, no \u escapes); nil
	// otherwise. DOMEventJSON hands it on instead of encoding Event again.
	raw json.RawMessage
}

// DOMEventJSON is the DOM event as JSON, for the logic runtime's framework: the bytes
// the page sent when the gate proved them, otherwise an encoding of e.Event. Either
// parses to the same value.
func (e *Event) DOMEventJSON() (json.RawMessage, error) {
	if e.raw != nil {
		return e.raw, nil
	}
	return json.Marshal(e.Event)
}

// Model is what a two-way binding (model:value="{{key}}") reports when the user changes
// the control: the owner's data key becomes Value, as if the owner called setData. Key
// must be one its template binds with model: (Template.Models, ModelKey in the handler
// set).
type Model struct {
	Target string          `json:"target"` // "page" or a component id; resolved by the host
	Key    string          `json:"key"`
	Value  json.RawMessage `json:"value"`
}

// ModelKey is how a handler set records that its template binds key with model:. It
// can never equal a handler name, which is an identifier.
func ModelKey(key string) string { return "model:" + key }

// DOMEvent is WeChat's event object.
type DOMEvent struct {
	Type          string          `json:"type"`
	TimeStamp     float64         `json:"timeStamp"`
	Detail        json.RawMessage `json:"detail,omitempty"`
	Target        EventTarget     `json:"target"`
	CurrentTarget EventTarget     `json:"currentTarget"`
	// Mark (an object, or null) is kept as the page sent it: the gate and the host
	// never read inside it; the framework parses it with the rest of the event.
	Mark json.RawMessage `json:"mark,omitempty"`
	// Touch events carry WeChat's touches/changedTouches: [{identifier, pageX, pageY,
	// clientX, clientY}], plus x/y in the element's own pixels on a <canvas>.
	Touches        json.RawMessage `json:"touches,omitempty"`
	ChangedTouches json.RawMessage `json:"changedTouches,omitempty"`
}

// EventTarget is the id and dataset of an element in an event.
type EventTarget struct {
	ID string `json:"id"`
	// Dataset (an object, or null) is kept as the page sent it, like Mark.
	Dataset json.RawMessage `json:"dataset"`
}

// Render is a batch of render operations from logic, applied in order.
type Render struct {
	Seq uint64     `json:"seq"`
	Ops []RenderOp `json:"ops"`
}

// RenderOp ops: mount, show, unmount, data, canvas, media.
type RenderOp struct {
	Op     string          `json:"op"`
	Page   string          `json:"page,omitempty"`
	Route  string          `json:"route,omitempty"`
	Pages  []string        `json:"pages,omitempty"`
	Target string          `json:"target,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"` // mount: the page's initial data
	Diff   json.RawMessage `json:"diff,omitempty"` // data: {path: value}
	// PageScroll (mount): the page defines onPageScroll, so the page reports its scroll.
	PageScroll bool `json:"pageScroll,omitempty"`
	// canvas: a CanvasDraw for the canvas of owner Target on Page
	Canvas json.RawMessage `json:"canvas,omitempty"`
	// media: a media context's command (docs/components.md): Target is the page or
	// component whose template has the <video>/<audio> with id ID, or "app" for an
	// InnerAudioContext ID ("a1"); Args the command's arguments.
	ID   string          `json:"id,omitempty"`
	Cmd  string          `json:"cmd,omitempty"`
	Args json.RawMessage `json:"args,omitempty"`
}

// UI is a host-owned chrome operation (title, toast, modal, navbar colours).
type UI struct {
	Op              string `json:"op"`
	Page            string `json:"page,omitempty"`
	Text            string `json:"text,omitempty"`
	ID              string `json:"id,omitempty"`
	Title           string `json:"title,omitempty"`
	Content         string `json:"content,omitempty"`
	Icon            string `json:"icon,omitempty"`
	Duration        int    `json:"duration,omitempty"`
	Mask            bool   `json:"mask,omitempty"`
	ShowCancel      bool   `json:"showCancel,omitempty"`
	CancelText      string `json:"cancelText,omitempty"`
	ConfirmText     string `json:"confirmText,omitempty"`
	CancelColor     string `json:"cancelColor,omitempty"`
	ConfirmColor    string `json:"confirmColor,omitempty"`
	FrontColor      string `json:"frontColor,omitempty"`
	BackgroundColor string `json:"backgroundColor,omitempty"`
	// The UI group (docs/ui-apis.md): action sheet, editable modal, tab bar, page
	// background, scrolling, pull-down refresh, image viewer.
	Action             string   `json:"action,omitempty"` // a tabBar or pullDown op's action
	ItemList           []string `json:"itemList,omitempty"`
	ItemColor          string   `json:"itemColor,omitempty"`
	Editable           bool     `json:"editable,omitempty"`
	PlaceholderText    string   `json:"placeholderText,omitempty"`
	Index              *int     `json:"index,omitempty"` // tab index; 0 is a tab
	IconPath           string   `json:"iconPath,omitempty"`
	SelectedIconPath   string   `json:"selectedIconPath,omitempty"`
	Color              string   `json:"color,omitempty"`
	SelectedColor      string   `json:"selectedColor,omitempty"`
	BorderStyle        string   `json:"borderStyle,omitempty"`
	BackgroundColorTop string   `json:"backgroundColorTop,omitempty"`
	BackgroundColorBot string   `json:"backgroundColorBottom,omitempty"`
	TextStyle          string   `json:"textStyle,omitempty"`
	ScrollTop          *float64 `json:"scrollTop,omitempty"`
	Selector           string   `json:"selector,omitempty"`
	OffsetTop          float64  `json:"offsetTop,omitempty"`
	URLs               []string `json:"urls,omitempty"`
	Current            string   `json:"current,omitempty"`
	Animation          bool     `json:"animation,omitempty"`
	// Units (op "units"): pages and components that arrived after init, a subpackage
	// fetched on demand (docs/subpackages.md), in init's shape.
	Units json.RawMessage `json:"units,omitempty"`
}

// Probe is an automation request to the page.
type Probe struct {
	ID       uint64 `json:"id"`
	Op       string `json:"op"` // query, tap, longpress, input, submit
	Selector string `json:"selector"`
	Value    string `json:"value,omitempty"`
}

// ProbeResult answers a Probe.
type ProbeResult struct {
	ID     uint64          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// APICall is a host API call from logic.
type APICall struct {
	ID   uint64          `json:"id"`
	Name string          `json:"name"`
	Args json.RawMessage `json:"args,omitempty"`
	Sync bool            `json:"sync,omitempty"`
}

// APIResult answers an APICall. Result always carries "errMsg". It carries no
// navigation: that reaches logic as a nav message first (docs/host.md, "One page stack").
type APIResult struct {
	ID     uint64          `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
}

// Nav is a navigation the host accepted, for logic to carry out.
type Nav struct {
	Action string   `json:"action"` // launch, navigateTo, redirectTo, navigateBack, reLaunch, switchTab
	Close  []string `json:"close,omitempty"`
	Open   *NavOpen `json:"open,omitempty"`
	Show   string   `json:"show"`
	Tab    bool     `json:"tab,omitempty"`
	// Stack is the window's live pages once the navigation is done (Show is its top):
	// logic takes its stack from here and the gate gets the same value.
	Stack Stack `json:"stack"`
}

// NavOpen is a page instance to create.
type NavOpen struct {
	Page  string            `json:"page"`
	Route string            `json:"route"`
	Query map[string]string `json:"query"`
}
