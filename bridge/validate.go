package bridge

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Per-kind schema checks that need values, not just JSON types. They use no window
// state: the Gate checks targets, handlers and component ids against its state after.

const (
	maxHandlerLen   = 128
	maxElementIDLen = 256
	maxClassLen     = 4096
	maxBundlePath   = 256
	maxURLLen       = 2048
	maxProbeError   = 4096
)

// knownEventTypes are the DOM event types the render runtime reports.
var knownEventTypes = map[string]bool{
	"tap": true, "longpress": true, "longtap": true, "touchstart": true, "touchmove": true,
	"touchend": true, "input": true, "change": true, "confirm": true, "blur": true,
	"focus": true, "submit": true, "reset": true, "scroll": true, "scrolltolower": true,
	"scrolltoupper": true, "load": true, "error": true,
}

// hostHandlers are what a "host" event may ask of the shell's own UI (docs/protocol.md).
var hostHandlers = map[string]bool{
	"navigateTo": true, "redirectTo": true, "navigateBack": true, "switchTab": true,
	"reLaunch": true, "modal": true, "toast": true, "media": true, "mediaSource": true,
}

// pageEventTypes are the page's own events, which the render runtime reports for the
// page in front (target "page") by their fixed type: type → the page method it calls.
// The gate delivers them without a template binding; logic calls the page's method
// (docs/ui-apis.md).
var pageEventTypes = map[string]string{
	"pulldownrefresh": "onPullDownRefresh",
	"reachbottom":     "onReachBottom",
	"pagescroll":      "onPageScroll",
	"resize":          "onResize",
}

// PageEvent reports whether an event of type typ for handler, sent to the page, is one
// of the page's own events (onPullDownRefresh, onReachBottom, onPageScroll, onResize).
func PageEvent(typ, handler string) bool {
	h, ok := pageEventTypes[typ]
	return ok && h == handler
}

const maxModalContent = 64 << 10

func validateEvent(e *Event) error {
	switch {
	case e.Target == "page", e.Target == "host":
	case isInstanceID('c', e.Target), isInstanceID('p', e.Target):
	default:
		return refuse("payload.target", "%q is not \"page\", \"host\", a page or a component id", truncate(e.Target, 64))
	}
	if !isIdentifier(e.Handler) {
		return refuse("payload.handler", "%q is not a JavaScript identifier of at most %d characters", truncate(e.Handler, 64), maxHandlerLen)
	}
	if t := e.Event.Type; !knownEventTypes[t] && !isCustomEventName(t) {
		return refuse("payload.event.type", "%q is not an event type", truncate(t, 64))
	}
	if ts := e.Event.TimeStamp; ts < 0 || math.IsNaN(ts) || math.IsInf(ts, 0) {
		return refuse("payload.event.timeStamp", "must be a finite number ≥ 0")
	}
	if len(e.Event.Target.ID) > maxElementIDLen {
		return refuse("payload.event.target.id", "longer than %d bytes", maxElementIDLen)
	}
	if len(e.Event.CurrentTarget.ID) > maxElementIDLen {
		return refuse("payload.event.currentTarget.id", "longer than %d bytes", maxElementIDLen)
	}
	if want, ok := pageEventTypes[e.Event.Type]; ok && e.Target == "page" {
		if e.Handler != want {
			return refuse("payload.handler", "a %s event calls %s, not %q", e.Event.Type, want, truncate(e.Handler, 64))
		}
		return validatePageEventDetail(e.Event.Type, e.Event.Detail)
	}
	if e.Target == "host" {
		if !hostHandlers[e.Handler] {
			return refuse("payload.handler", "%q is not a host action", e.Handler)
		}
		return validateHostDetail(e.Handler, e.Event.Detail)
	}
	return nil
}

// validateModel checks a model message's shape: a page or component target, a key
// that is a plain data field, and a value.
func validateModel(m *Model) error {
	if m.Target != "page" && !isInstanceID('c', m.Target) && !isInstanceID('p', m.Target) {
		return refuse("payload.target", "%q is not \"page\", a page or a component id", truncate(m.Target, 64))
	}
	if !isIdentifier(m.Key) {
		return refuse("payload.key", "%q is not a data field name of at most %d characters", truncate(m.Key, 64), maxHandlerLen)
	}
	if len(m.Value) == 0 {
		return refuse("payload.value", "missing")
	}
	return nil
}

// validateHostDetail checks the detail a host action needs. Extra fields are ignored:
// the host reads only these.
func validateHostDetail(handler string, detail json.RawMessage) error {
	var d struct {
		URL      *string  `json:"url"`
		Delta    *float64 `json:"delta"`
		ID       *string  `json:"id"`
		Confirm  *bool    `json:"confirm"`
		Content  *string  `json:"content"`
		TapIndex *float64 `json:"tapIndex"`
	}
	if len(detail) > 0 && string(detail) != "null" {
		if err := json.Unmarshal(detail, &d); err != nil {
			return refuse("payload.event.detail", "must be an object with the action's fields")
		}
	}
	switch handler {
	case "navigateTo", "redirectTo", "switchTab", "reLaunch":
		if d.URL == nil || *d.URL == "" || len(*d.URL) > maxURLLen {
			return refuse("payload.event.detail.url", "%s needs a url of 1 to %d bytes", handler, maxURLLen)
		}
	case "navigateBack":
		if d.Delta != nil && (*d.Delta < 1 || *d.Delta != math.Trunc(*d.Delta) || *d.Delta > 1000) {
			return refuse("payload.event.detail.delta", "must be an integer from 1 to 1000")
		}
	case "media":
		return validateMediaEvent(detail)
	case "mediaSource":
		return validateMediaSource(detail)
	case "modal":
		if d.ID == nil || *d.ID == "" || len(*d.ID) > 64 {
			return refuse("payload.event.detail.id", "modal needs the modal's id")
		}
		if d.Confirm == nil {
			return refuse("payload.event.detail.confirm", "modal needs confirm true or false")
		}
		if d.Content != nil && len(*d.Content) > maxModalContent {
			return refuse("payload.event.detail.content", "longer than %d bytes", maxModalContent)
		}
		if t := d.TapIndex; t != nil && (*t < 0 || *t > 5 || *t != math.Trunc(*t)) {
			return refuse("payload.event.detail.tapIndex", "must be an integer from 0 to 5")
		}
	}
	return nil
}

// validatePageEventDetail checks what a page event carries: onPageScroll
// {scrollTop}, onResize {size: {windowWidth, windowHeight}}; the others carry nothing
// the host reads.
func validatePageEventDetail(typ string, detail json.RawMessage) error {
	finite := func(f *float64) bool { return f != nil && *f >= 0 && *f < 1e9 }
	switch typ {
	case "pagescroll":
		var d struct {
			ScrollTop *float64 `json:"scrollTop"`
		}
		if json.Unmarshal(detail, &d) != nil || !finite(d.ScrollTop) {
			return refuse("payload.event.detail.scrollTop", "pagescroll needs scrollTop, a number from 0")
		}
	case "resize":
		var d struct {
			Size struct {
				WindowWidth  *float64 `json:"windowWidth"`
				WindowHeight *float64 `json:"windowHeight"`
			} `json:"size"`
		}
		if json.Unmarshal(detail, &d) != nil || !finite(d.Size.WindowWidth) || !finite(d.Size.WindowHeight) {
			return refuse("payload.event.detail.size", "resize needs size.windowWidth and size.windowHeight, numbers from 0")
		}
	}
	return nil
}

func validateReady(r *Ready) error {
	for i, c := range r.Attached {
		at := "payload.attached[" + strconv.Itoa(i) + "]"
		switch {
		case !isInstanceID('c', c.ID):
			return refuse(at+".id", "%q is not a component id", truncate(c.ID, 64))
		case !isInstanceID('p', c.Page):
			return refuse(at+".page", "%q is not a page id", truncate(c.Page, 64))
		case !isInstanceID('p', c.Owner) && !isInstanceID('c', c.Owner):
			return refuse(at+".owner", "%q is not a page or component id", truncate(c.Owner, 64))
		case !isBundlePath(c.Is):
			return refuse(at+".is", "%q is not a component path", truncate(c.Is, 64))
		case len(c.NodeID) > maxElementIDLen:
			return refuse(at+".nodeId", "longer than %d bytes", maxElementIDLen)
		case c.Parent != "" && !isInstanceID('c', c.Parent):
			return refuse(at+".parent", "%q is not a component id", truncate(c.Parent, 64))
		case len(c.Class) > maxClassLen:
			return refuse(at+".class", "longer than %d bytes", maxClassLen)
		}
		for name, method := range c.Events {
			if !isCustomEventName(name) {
				return refuse(at+".events", "%q is not an event name", truncate(name, 64))
			}
			if !isIdentifier(method) {
				return refuse(at+".events."+name, "%q is not a JavaScript identifier of at most %d characters", truncate(method, 64), maxHandlerLen)
			}
		}
		for name := range c.Props {
			if !isIdentifier(name) {
				return refuse(at+".props", "%q is not a property name", truncate(name, 64))
			}
		}
	}
	for i, id := range r.Detached {
		if !isInstanceID('c', id) {
			return refuse("payload.detached["+strconv.Itoa(i)+"]", "%q is not a component id", truncate(id, 64))
		}
	}
	for i, id := range r.Moved {
		if !isInstanceID('c', id) {
			return refuse("payload.moved["+strconv.Itoa(i)+"]", "%q is not a component id", truncate(id, 64))
		}
	}
	for i, p := range r.Props {
		at := "payload.props[" + strconv.Itoa(i) + "]"
		if !isInstanceID('c', p.ID) {
			return refuse(at+".id", "%q is not a component id", truncate(p.ID, 64))
		}
		for name := range p.Props {
			if !isIdentifier(name) {
				return refuse(at+".props", "%q is not a property name", truncate(name, 64))
			}
		}
	}
	return nil
}

func validateProbeResult(p *ProbeResult) error {
	if len(p.Error) > maxProbeError {
		return refuse("payload.error", "longer than %d bytes", maxProbeError)
	}
	return nil
}

// isIdentifier: an ASCII JavaScript identifier of at most 128 characters.
func isIdentifier(s string) bool {
	if s == "" || len(s) > maxHandlerLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '$':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isCustomEventName: [A-Za-z][A-Za-z0-9_-]{0,63}, what triggerEvent names look like.
func isCustomEventName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case (c >= '0' && c <= '9' || c == '_' || c == '-') && i > 0:
		default:
			return false
		}
	}
	return true
}

// isInstanceID: prefix followed by 1 to 15 digits ("p1", "c42").
func isInstanceID(prefix byte, s string) bool {
	if len(s) < 2 || len(s) > 16 || s[0] != prefix {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isBundlePath: a relative slash-separated path inside the bundle, no "." or ".." parts.
func isBundlePath(s string) bool {
	if s == "" || len(s) > maxBundlePath {
		return false
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '@') {
				return false
			}
		}
	}
	return true
}
