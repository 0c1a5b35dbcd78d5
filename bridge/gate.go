package bridge

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
)

// HandlerIndex answers what the compiled templates and component declarations of the
// running app allow. The host builds it from the bundle.
type HandlerIndex interface {
	// PageHandlers: handlers bound by that page's template. A set holding AnyMethod
	// (the template names a handler by data) also allows every MethodName.
	PageHandlers(route string) (map[string]bool, bool)
	// ComponentHandlers: handlers bound by that component's template.
	ComponentHandlers(is string) (map[string]bool, bool)
	// Uses: the owner's (page route or component path) usingComponents includes is.
	Uses(ownerRouteOrIs string, is string) bool
}

// AnyMethod in a handler set means the template names some handler by data
// (bindtap="{{name}}"): the names it can produce are the owner's own methods, which
// only logic knows. The gate then accepts any MethodName, and logic calls only an own
// method of the instance (docs/bridge.md).
const AnyMethod = "*"

// frameworkNames are methods an instance has that no template may name by data:
// lifecycles, and the framework's own API.
var frameworkNames = map[string]bool{
	"onLoad": true, "onShow": true, "onReady": true, "onHide": true, "onUnload": true, "onRouteDone": true,
	"onPullDownRefresh": true, "onReachBottom": true, "onShareAppMessage": true, "onShareTimeline": true,
	"onAddToFavorites": true, "onPageScroll": true, "onResize": true, "onTabItemTap": true,
	"onSaveExitState": true, "onLaunch": true, "onError": true, "onPageNotFound": true,
	"created": true, "attached": true, "ready": true, "moved": true, "detached": true, "error": true,
	"setData": true, "triggerEvent": true, "selectComponent": true, "selectAllComponents": true,
	"selectOwnerComponent": true, "createSelectorQuery": true, "createIntersectionObserver": true,
	"getRelationNodes": true, "hasBehavior": true, "groupSetData": true, "getTabBar": true,
	"getPageId": true, "animate": true, "clearAnimation": true, "getOpenerEventChannel": true,
	"setUpdatePerformanceListener": true, "constructor": true, "hasOwnProperty": true,
	"toString": true, "valueOf": true, "isPrototypeOf": true, "propertyIsEnumerable": true,
	"toLocaleString": true, "__defineGetter__": true, "__defineSetter__": true,
	"__lookupGetter__": true, "__lookupSetter__": true, "__proto__": true,
}

// MethodName reports whether a handler named by data may be delivered: an identifier
// (validate checks that) that is not a lifecycle or framework method.
func MethodName(name string) bool { return name != "" && !frameworkNames[name] }

// bound reports whether a handler set allows name.
func bound(set map[string]bool, name string) bool {
	return set[name] || (set[AnyMethod] && MethodName(name))
}

// PageRef is one page instance in a window's stack.
type PageRef struct {
	ID    string `json:"id"`              // "p1"
	Route string `json:"route,omitempty"` // "pages/index/index"
}

// GateConfig configures a Gate.
type GateConfig struct {
	App    string
	Window string
	Index  HandlerIndex
	Audit  *AuditLog    // nil: no audit lines
	Limits Limits       // zero: defaults
	Logger *slog.Logger // nil: slog.Default()
}

// Gate is the door between one window's page and the host: it decodes what the page
// sends, checks it against what the window holds (page stack, live component
// instances, template handlers), resolves event targets and stamps the sender.
// Safe for concurrent use.
type Gate struct {
	cfg GateConfig
	log *slog.Logger

	mu    sync.Mutex
	stack Stack
	comps map[string]component
	// dropped are components forgotten with their page (SetStack) that the page has
	// not reported detached yet: it does when it applies the unmount, after the gate
	// took the new stack. Their detach is accepted (and changes nothing) once.
	dropped    map[string]bool
	automation bool
	violations int
	queries    queries // questions forwarded to the page (query.go)
}

// component is a component instance the gate accepted from a ready report.
type component struct {
	page  string // page instance
	owner string // page or component instance
	is    string // component path
}

// NewGate makes the gate of one window.
func NewGate(cfg GateConfig) *Gate {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Gate{
		cfg:   cfg,
		log:   log.With("app", cfg.App, "window", cfg.Window),
		comps: make(map[string]component),
	}
}

// maxDropped bounds the components remembered as dropped with their page: a page of
// more components than this that the render runtime never reports is cut off there.
const maxDropped = 4096

// SetStack replaces the window's live pages with the stack a navigation produced
// (Nav.Stack). Component instances of pages no longer live are forgotten. The host's
// router is its only caller (docs/host.md, "One page stack").
func (g *Gate) SetStack(stack Stack) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stack = stack.Clone()
	for id, c := range g.comps {
		if _, live := g.stack.Find(c.page); !live {
			delete(g.comps, id)
			if len(g.dropped) < maxDropped {
				if g.dropped == nil {
					g.dropped = map[string]bool{}
				}
				g.dropped[id] = true
			}
		}
	}
	g.forgetQueries()
}

// Stack is the stack the gate checks messages against.
func (g *Gate) Stack() Stack {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stack.Clone()
}

// SetAutomation allows or refuses probeResult messages.
func (g *Gate) SetAutomation(on bool) {
	g.mu.Lock()
	g.automation = on
	g.mu.Unlock()
}

// Violations counts the messages refused so far.
func (g *Gate) Violations() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.violations
}

// FromPage decodes and checks one page message. On success it returns the envelope
// with the event target resolved and the sender stamped, its typed payload in Value;
// a ready report updates the gate's live components. On refusal it returns the error,
// writes an audit line and counts a violation; the window keeps running. The envelope
// shares raw's bytes: raw must not change afterwards.
func (g *Gate) FromPage(raw []byte) (Envelope, error) {
	env, payload, err := decodePage(raw, g.cfg.Limits)
	claimed := env.Kind // on a refusal, the kind the message claimed (if any) for the audit
	g.mu.Lock()
	defer g.mu.Unlock()
	if err == nil {
		env, err = g.accept(env, payload)
	}
	if IsDropped(err) {
		return Envelope{}, err
	}
	if err != nil {
		g.violations++
		top := g.top()
		g.log.Warn("page message refused", "page", top.ID, "kind", claimed, "err", err)
		if aerr := g.cfg.Audit.Record(AuditEntry{
			App: g.cfg.App, Window: g.cfg.Window, Page: top.ID, Kind: string(claimed),
			Decision: DecisionRefused, Reason: err.Error(),
		}); aerr != nil {
			g.log.Error("audit write failed", "err", aerr)
		}
		return Envelope{}, err
	}
	return env, nil
}

// accept checks a decoded message against state; g.mu is held.
func (g *Gate) accept(env Envelope, payload any) (Envelope, error) {
	top := g.top()
	var out any
	switch p := payload.(type) {
	case *Event:
		if err := g.checkEvent(p, top); err != nil {
			return env, err
		}
		out = p
	case *Model:
		if err := g.checkModel(p, top); err != nil {
			return env, err
		}
		out = p
	case *Ready:
		if err := g.applyReady(p); err != nil {
			return env, err
		}
		out = p
	case *ProbeResult:
		if !g.automation {
			return env, refuse("kind", "probeResult is accepted only while automation is on")
		}
		out = p
	case *QueryResult:
		if err := g.acceptQueryResult(p); err != nil {
			return env, err
		}
		out = p
	case *CanvasData:
		out = p // the session matches it to a canvasRead it sent, and drops any other
	default:
		return env, refuse("kind", "a page may not send %q", env.Kind)
	}
	// The payload for a logic child process (an in-process one reads Value). What the
	// gate did not change is the page's own payload, which the scan and the strict
	// decode proved; an event or a model, whose target the gate resolved, is written
	// around the page's own bytes (the DOM event when the fast path kept it, the
	// model's value); the rest is encoded.
	var raw json.RawMessage
	switch p := out.(type) {
	case *Event:
		raw, _ = p.payloadJSON()
	case *Model:
		raw, _ = p.payloadJSON()
	case *Ready, *ProbeResult, *QueryResult, *CanvasData:
		raw = env.Payload
	}
	if raw == nil {
		var err error
		if raw, err = json.Marshal(out); err != nil {
			return env, refuse("payload", "re-encode: %v", err)
		}
	}
	return Envelope{
		V: Version, Kind: env.Kind, Payload: raw,
		Sender: &Sender{App: g.cfg.App, Window: g.cfg.Window, Page: top.ID, Route: top.Route},
		Value:  out,
	}, nil
}

// checkEvent resolves e.Target to a concrete instance and checks that its template
// binds the handler.
func (g *Gate) checkEvent(e *Event, top PageRef) error {
	if e.Target == "host" {
		return nil // validateEvent allowed only host actions
	}
	if e.Target == "page" && PageEvent(e.Event.Type, e.Handler) {
		if top.ID == "" {
			return refuse("payload.target", "no page is open")
		}
		e.Target = top.ID // the page's own event: no template binds it
		return nil
	}
	handlers, owner, id, err := g.target(e.Target, top)
	if err != nil {
		return err
	}
	if !bound(handlers, e.Handler) {
		return refuse("payload.handler", "%q is not bound by the template of %s", e.Handler, owner)
	}
	e.Target = id
	return nil
}

// checkModel resolves m.Target like an event's and checks that its template binds
// m.Key with model: — a page can write only the keys its own template binds two ways.
func (g *Gate) checkModel(m *Model, top PageRef) error {
	set, owner, id, err := g.target(m.Target, top)
	if err != nil {
		return err
	}
	if !set[ModelKey(m.Key)] {
		return refuse("payload.key", "%q is not bound with model: by the template of %s", m.Key, owner)
	}
	m.Target = id
	return nil
}

// target resolves a page message's target ("page", or a live component id) against
// the page in front: the handler set of its template, the template's name for
// refusals, and the concrete instance id ("page" becomes the page's id).
func (g *Gate) target(target string, top PageRef) (handlers map[string]bool, owner, id string, err error) {
	if top.ID == "" {
		return nil, "", "", refuse("payload.target", "no page is open")
	}
	if target != "page" && isInstanceID('p', target) {
		// The render runtime names the page its element sits in: an event from a page
		// that a navigation already closed or hid never reaches the page now in front.
		if target != top.ID {
			return nil, "", "", refuse("payload.target", "page %s is not the page in front (%s)", target, top.ID)
		}
		target = "page"
	}
	if target == "page" {
		h, ok := g.cfg.Index.PageHandlers(top.Route)
		if !ok {
			return nil, "", "", refuse("payload.target", "page %s has no template", top.Route)
		}
		return h, top.Route, top.ID, nil
	}
	c, live := g.comps[target]
	if !live {
		return nil, "", "", refuse("payload.target", "component %s is not a live instance", target)
	}
	if c.page != top.ID {
		return nil, "", "", refuse("payload.target", "component %s belongs to page %s, not to %s in front", target, c.page, top.ID)
	}
	h, ok := g.cfg.Index.ComponentHandlers(c.is)
	if !ok {
		return nil, "", "", refuse("payload.target", "component %s has no template", c.is)
	}
	return h, c.is, target, nil
}

// applyReady checks a whole ready report against state, then applies it; a refused
// report changes nothing.
func (g *Gate) applyReady(r *Ready) error {
	added := make(map[string]component, len(r.Attached))
	lookup := func(id string) (component, bool) {
		if c, ok := added[id]; ok {
			return c, true
		}
		c, ok := g.comps[id]
		return c, ok
	}
	for i, rep := range r.Attached {
		at := "payload.attached[" + strconv.Itoa(i) + "]"
		if _, exists := lookup(rep.ID); exists {
			return refuse(at+".id", "component id %s is already in use", rep.ID)
		}
		page, live := g.stack.Find(rep.Page)
		if !live {
			return refuse(at+".page", "page %s is not open in this window", rep.Page)
		}
		ownerPath, ownerHandlers, err := g.owner(rep, page, lookup)
		if err != nil {
			return refuse(at+".owner", "%v", err)
		}
		if rep.Parent != "" {
			if pc, live := lookup(rep.Parent); !live || pc.page != rep.Page {
				return refuse(at+".parent", "%s is not a live component of page %s", rep.Parent, rep.Page)
			}
		}
		if !g.cfg.Index.Uses(ownerPath, rep.Is) {
			return refuse(at+".is", "%s does not use component %s", ownerPath, rep.Is)
		}
		for name, method := range rep.Events {
			if !bound(ownerHandlers, method) {
				return refuse(at+".events."+name, "%q is not bound by the template of %s", method, ownerPath)
			}
		}
		added[rep.ID] = component{page: rep.Page, owner: rep.Owner, is: rep.Is}
	}
	gone := make(map[string]bool, len(r.Detached))
	var late []string // detached with their page, already forgotten
	for i, id := range r.Detached {
		if _, live := lookup(id); !live && g.dropped[id] && !slices.Contains(late, id) {
			late = append(late, id)
			continue
		}
		if _, live := lookup(id); !live || gone[id] {
			return refuse("payload.detached["+strconv.Itoa(i)+"]", "component %s is not a live instance", id)
		}
		gone[id] = true
	}
	for i, id := range r.Moved {
		if _, live := lookup(id); !live || gone[id] {
			return refuse("payload.moved["+strconv.Itoa(i)+"]", "component %s is not a live instance", id)
		}
	}
	for i, p := range r.Props {
		if _, live := lookup(p.ID); !live || gone[p.ID] {
			return refuse("payload.props["+strconv.Itoa(i)+"].id", "component %s is not a live instance", p.ID)
		}
	}
	for id, c := range added {
		g.comps[id] = c
		delete(g.dropped, id)
	}
	for id := range gone {
		delete(g.comps, id)
	}
	if len(gone) > 0 {
		g.forgetQueries()
	}
	for _, id := range late {
		delete(g.dropped, id)
	}
	return nil
}

// owner resolves the owner of a reported component: its page itself or a live
// component of that page. It returns the owner's route or component path and the
// handlers its template binds.
func (g *Gate) owner(rep ComponentReport, page PageRef, lookup func(string) (component, bool)) (string, map[string]bool, error) {
	if rep.Owner == rep.Page {
		h, ok := g.cfg.Index.PageHandlers(page.Route)
		if !ok {
			return "", nil, fmt.Errorf("page %s has no template", page.Route)
		}
		return page.Route, h, nil
	}
	oc, live := lookup(rep.Owner)
	if !live || oc.page != rep.Page {
		return "", nil, fmt.Errorf("%s is neither page %s nor a live component of it", rep.Owner, rep.Page)
	}
	h, ok := g.cfg.Index.ComponentHandlers(oc.is)
	if !ok {
		return "", nil, fmt.Errorf("component %s has no template", oc.is)
	}
	return oc.is, h, nil
}

func (g *Gate) top() PageRef {
	top, _ := g.stack.Top()
	return top
}
