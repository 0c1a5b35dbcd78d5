package logic

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// eventPayload is bridge.Event with the DOM event kept as raw JSON: the framework parses
// it in JS, so decoding it into Go structs would only be undone again.
type eventPayload struct {
	Target  string          `json:"target"`
	Handler string          `json:"handler"`
	Event   json.RawMessage `json:"event"`
	typed   *bridge.Event   // the gate's decoded event, when the host handed it along
}

// inbound decodes an envelope (on the caller's goroutine) into a loop job.
func (r *Runtime) inbound(env bridge.Envelope) (func(), error) {
	switch env.Kind {
	case bridge.KindNav:
		var n bridge.Nav
		if err := json.Unmarshal(env.Payload, &n); err != nil {
			return nil, fmt.Errorf("nav: %w", err)
		}
		return func() { r.applyNav(n) }, nil
	case bridge.KindEvent:
		var ev eventPayload
		if e, ok := env.Value.(*bridge.Event); ok {
			// Decoded once, at the gate: the framework gets the DOM event as JSON text
			// (the page's own bytes, which the gate proved, or an encode), and the
			// head is read from the typed value.
			raw, err := e.DOMEventJSON()
			if err != nil {
				return nil, fmt.Errorf("event: %w", err)
			}
			ev = eventPayload{Target: e.Target, Handler: e.Handler, Event: raw, typed: e}
		} else if err := json.Unmarshal(env.Payload, &ev); err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
		if len(ev.Event) == 0 || string(ev.Event) == "null" {
			ev.Event = json.RawMessage("{}")
		}
		return func() { r.dispatchEvent(ev) }, nil
	case bridge.KindModel:
		var m bridge.Model
		if v, ok := env.Value.(*bridge.Model); ok {
			m = *v // the gate's one decode
		} else if err := json.Unmarshal(env.Payload, &m); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		return func() { r.applyModel(m) }, nil
	case bridge.KindReady:
		var rd bridge.Ready
		if v, ok := env.Value.(*bridge.Ready); ok {
			rd = *v // the gate's one decode
		} else if err := json.Unmarshal(env.Payload, &rd); err != nil {
			return nil, fmt.Errorf("ready: %w", err)
		}
		return func() { r.applyReady(rd) }, nil
	case bridge.KindLifecycle:
		var l bridge.Lifecycle
		if err := json.Unmarshal(env.Payload, &l); err != nil {
			return nil, fmt.Errorf("lifecycle: %w", err)
		}
		switch l.Event {
		case "hide", "show":
			return func() { r.applyLifecycle(l.Event) }, nil
		case "pageNotFound", "themeChange":
			data := "{}"
			if len(l.Data) > 0 && json.Valid(l.Data) {
				data = string(l.Data)
			}
			return func() { r.call(r.fw.appEvent, l.Event, data) }, nil
		}
		return nil, fmt.Errorf("lifecycle: event %q is not hide, show, pageNotFound or themeChange", l.Event)
	case bridge.KindQueryResult:
		var res bridge.QueryResult
		if v, ok := env.Value.(*bridge.QueryResult); ok {
			res = *v // the gate's one decode
		} else if err := json.Unmarshal(env.Payload, &res); err != nil {
			return nil, fmt.Errorf("queryResult: %w", err)
		}
		return func() { r.applyQueryResult(res) }, nil
	case bridge.KindAPIEvent:
		return r.apiEventJob(env.Payload)
	case bridge.KindAPIResult:
		var res bridge.APIResult
		if err := json.Unmarshal(env.Payload, &res); err != nil {
			return nil, fmt.Errorf("apiResult: %w", err)
		}
		return func() { r.applyAPIResult(res) }, nil
	}
	return nil, fmt.Errorf("kind %q is not for logic", env.Kind)
}

// applyNav carries out a navigation the host accepted, in WeChat's order: close pages
// unload, the page shown before hides, the new page loads, the shown page shows. The
// render ops follow the same order: unmount, mount (initial data), show. The stack is
// the navigator's (n.Stack), never one of logic's own making: getCurrentPages() answers
// n.Stack.Pages, and the show op hands the page the same live pages (docs/host.md,
// "One page stack").
func (r *Runtime) applyNav(n bridge.Nav) {
	top, ok := n.Stack.Top()
	if !ok {
		r.log.Error("logic: nav without a stack ignored", "action", n.Action)
		return
	}
	live := make(map[string]bool, len(n.Stack.Pages)+len(n.Stack.Hidden))
	for _, id := range n.Stack.Live() {
		live[id] = true
	}
	prev := r.front
	closing := append([]string(nil), n.Close...)
	var strays []string
	for id := range r.pages {
		if !live[id] && !slices.Contains(closing, id) {
			strays = append(strays, id)
		}
	}
	if len(strays) > 0 {
		slices.Sort(strays)
		r.log.Warn("logic: pages the stack no longer holds are closed", "pages", strays, "action", n.Action)
		closing = append(closing, strays...)
	}
	var closed []string
	for _, id := range closing {
		if _, ok := r.pages[id]; !ok {
			r.log.Warn("logic: nav closes an unknown page", "page", id, "action", n.Action)
			continue
		}
		r.call(r.fw.pageLife, id, "onUnload")
		delete(r.pages, id)
		closed = append(closed, id)
	}
	if len(closed) > 0 {
		r.batch.unmount(closed)
	}
	if p, alive := r.pages[prev]; alive && prev != top.ID && !p.loadPending {
		r.call(r.fw.pageLife, prev, "onHide")
	}
	opened := n.Open != nil && live[n.Open.Page] && r.openPage(*n.Open)
	if opened && slices.Contains(r.opts.ComponentPages, n.Open.Route) {
		// Its components are created and attached first (applyReady then loads it).
		r.pages[n.Open.Page].loadPending = true
		opened = false
	}
	// The stack changes before onLoad: getCurrentPages() in onLoad already ends with
	// the new page, as in WeChat.
	r.stack = r.stack[:0]
	for _, p := range n.Stack.Pages {
		if _, ok := r.pages[p.ID]; ok {
			r.stack = append(r.stack, p.ID)
		} else {
			r.log.Warn("logic: the stack holds a page logic does not have", "page", p.ID, "action", n.Action)
		}
	}
	r.publishStack()
	if opened {
		r.call(r.fw.pageLife, n.Open.Page, "onLoad", r.pages[n.Open.Page].queryJSON)
	}
	if p, ok := r.pages[top.ID]; ok {
		r.front = top.ID
		r.batch.show(top.ID, n.Stack.Live())
		r.routeDone.page, r.routeDone.seq = top.ID, r.seq+1 // the show op is in this turn's push
		if !p.loadPending {
			r.call(r.fw.pageLife, top.ID, "onShow")
		}
	} else {
		r.log.Warn("logic: nav shows an unknown page", "page", top.ID, "action", n.Action)
	}
	r.publishStack()
}

// applyLifecycle runs the app's and the shown page's onHide or onShow, in WeChat's
// order: hiding, the page first then the app; showing, the app first then the page.
func (r *Runtime) applyLifecycle(event string) {
	_, front := r.pages[r.front]
	if event == "hide" {
		if front {
			r.call(r.fw.pageLife, r.front, "onHide")
		}
		r.call(r.fw.appLife, "onHide", "{}")
		return
	}
	r.call(r.fw.appLife, "onShow", r.launchJSON)
	if front {
		r.call(r.fw.pageLife, r.front, "onShow")
	}
}

// openPage creates the page instance and its mount op; its onLoad is left to the
// caller, once the stack holds it.
func (r *Runtime) openPage(o bridge.NavOpen) bool {
	if _, exists := r.pages[o.Page]; exists {
		r.log.Warn("logic: nav opens a page id already in use", "page", o.Page)
		return false
	}
	if o.Query == nil {
		o.Query = map[string]string{}
	}
	query, err := json.Marshal(o.Query)
	if err != nil {
		r.log.Error("logic: page query", "page", o.Page, "err", err)
		return false
	}
	data, err := r.fw.newPage(goja.Undefined(), r.vm.ToValue(o.Page), r.vm.ToValue(o.Route), r.vm.ToValue(string(query)))
	if err != nil {
		r.reportErr(err)
		return false
	}
	r.pages[o.Page] = &pageState{id: o.Page, route: o.Route, query: o.Query, queryJSON: string(query), mountSeq: r.seq + 1}
	r.batch.mount(o.Page, o.Route, data.String())
	if v, err := r.fw.pageScrolls(goja.Undefined(), r.vm.ToValue(o.Page)); err == nil && v.ToBoolean() {
		r.batch.ops[len(r.batch.ops)-1].pageScroll = true // the page reports its scroll only to a page that listens
	}
	return true
}

func (r *Runtime) publishStack() {
	snap := make([]PageInfo, 0, len(r.stack))
	for _, id := range r.stack {
		p := r.pages[id]
		snap = append(snap, PageInfo{ID: p.id, Route: p.route, Query: p.query})
	}
	r.mu.Lock()
	r.snapshot = snap
	r.mu.Unlock()
}

func (r *Runtime) dispatchEvent(ev eventPayload) {
	if ev.Target == "host" {
		// Only the media elements of InnerAudioContexts report to logic as the host.
		if ev.Handler == "media" {
			r.call(r.fw.media, string(ev.Event))
		}
		return
	}
	if ev.Target == "page" {
		ev.Target = r.front // the host normally resolves this already
	}
	var head struct {
		Type   string          `json:"type"`
		Detail json.RawMessage `json:"detail"`
	}
	decoded := false
	if ev.typed != nil {
		head.Type, head.Detail, decoded = ev.typed.Event.Type, ev.typed.Event.Detail, true
	}
	if _, page := r.pages[ev.Target]; page && (decoded || json.Unmarshal(ev.Event, &head) == nil) && bridge.PageEvent(head.Type, ev.Handler) {
		// The page's own events (docs/ui-apis.md) call the page method as a lifecycle:
		// onPageScroll({scrollTop}), onResize({size}), the others with no argument.
		if ev.Handler == "onPageScroll" || ev.Handler == "onResize" {
			r.call(r.fw.pageLife, ev.Target, ev.Handler, string(head.Detail))
		} else {
			r.call(r.fw.pageLife, ev.Target, ev.Handler)
		}
		return
	}
	r.call(r.fw.event, ev.Target, ev.Handler, string(ev.Event))
}

// applyModel sets the data key a model: binding wrote, as the owner's own setData
// would (observers run, the render gets the change); the gate checked that the
// owner's template binds that key.
func (r *Runtime) applyModel(m bridge.Model) {
	if m.Target == "page" {
		m.Target = r.front
	}
	r.call(r.fw.model, m.Target, m.Key, string(m.Value))
}

// applyReady creates, re-properties and removes component instances, then handles the
// acknowledgement: setData callbacks of acked pushes, and onReady of pages whose mount
// they carried.
func (r *Runtime) applyReady(rd bridge.Ready) {
	if len(rd.Attached) > 0 {
		if b, err := json.Marshal(rd.Attached); err == nil {
			r.call(r.fw.attach, string(b))
		}
	}
	if len(rd.Props) > 0 {
		if b, err := json.Marshal(rd.Props); err == nil {
			r.call(r.fw.props, string(b))
		}
	}
	if len(rd.Moved) > 0 {
		if b, err := json.Marshal(rd.Moved); err == nil {
			r.call(r.fw.moved, string(b))
		}
	}
	if len(rd.Detached) > 0 {
		if b, err := json.Marshal(rd.Detached); err == nil {
			r.call(r.fw.detach, string(b))
		}
	}
	if rd.Seq > r.seq {
		r.log.Warn("logic: ready acknowledges a push not sent yet", "seq", rd.Seq, "sent", r.seq)
		return
	}
	if rd.Seq <= r.acked {
		return
	}
	r.acked = rd.Seq
	r.runAckedCallbacks()
	r.loadAcked()
	for _, id := range r.stack {
		r.readyIfAcked(id)
	}
	for id := range r.pages {
		r.readyIfAcked(id) // hidden tab pages too
	}
	r.routeDoneIfAcked()
}

// routeDoneIfAcked runs onRouteDone (and the page's components' pageLifetimes.routeDone)
// for the page the last navigation brought to the front, once the push that shows it
// is acknowledged and the page is ready: the desktop has no route animation, so the
// route is done when the page is on screen. A page the route left before that never
// hears it, as in WeChat.
func (r *Runtime) routeDoneIfAcked() {
	id := r.routeDone.page
	p, ok := r.pages[id]
	if id == "" || r.routeDone.seq > r.acked || !ok || !p.readyDone || r.front != id {
		return
	}
	r.routeDone.page = ""
	r.call(r.fw.pageLife, id, "onRouteDone")
}

// loadAcked loads the pages whose mount push the page acknowledged while their
// onLoad waited for it: their first components were created and attached by the same
// ready report (applyReady runs attach first), so WeChat's order holds: component
// created, attached, page onLoad, onShow, component ready (the framework runs it after
// the page's onShow), page onReady. onReady then waits for the push that carries what
// onLoad and onShow set, if they set anything.
func (r *Runtime) loadAcked() {
	for _, id := range r.stack {
		p := r.pages[id]
		if p == nil || !p.loadPending || p.mountSeq > r.acked {
			continue
		}
		p.loadPending = false
		r.call(r.fw.pageLife, id, "onLoad", p.queryJSON)
		if r.front == id {
			r.call(r.fw.pageLife, id, "onShow")
		}
		if !r.batch.empty() {
			p.mountSeq = r.seq + 1
		}
	}
}

func (r *Runtime) readyIfAcked(id string) {
	p, ok := r.pages[id]
	if !ok || p.readyDone || p.loadPending || p.mountSeq > r.acked {
		return
	}
	p.readyDone = true
	r.call(r.fw.pageLife, id, "onReady")
}

func (r *Runtime) runAckedCallbacks() {
	var due []pushCallback
	keep := r.afterPush[:0]
	for _, cb := range r.afterPush {
		if cb.seq <= r.acked {
			due = append(due, cb)
		} else {
			keep = append(keep, cb)
		}
	}
	r.afterPush = keep
	for _, cb := range due {
		r.call(cb.fn)
	}
}

// applyAPIResult settles the JS call. A navigation API's nav came before it as a nav
// message (the host's router), so its callback runs after the new page's onShow.
func (r *Runtime) applyAPIResult(res bridge.APIResult) {
	name, ok := r.apiPending[res.ID]
	if !ok {
		r.log.Warn("logic: apiResult for no pending call", "id", res.ID)
		return
	}
	delete(r.apiPending, res.ID)
	result := res.Result
	if len(result) == 0 || string(result) == "null" {
		if res.OK {
			result = json.RawMessage(fmt.Sprintf(`{"errMsg":%q}`, name+":ok"))
		} else {
			result = failResult(name, "no result")
		}
	}
	r.call(r.fw.settle, res.ID, res.OK, string(result))
}
