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
		if err := json.Unmarshal(env.Payload, &ev); err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
		if len(ev.Event) == 0 || string(ev.Event) == "null" {
			ev.Event = json.RawMessage("{}")
		}
		return func() { r.dispatchEvent(ev) }, nil
	case bridge.KindModel:
		var m bridge.Model
		if err := json.Unmarshal(env.Payload, &m); err != nil {
			return nil, fmt.Errorf("model: %w", err)
		}
		return func() { r.applyModel(m) }, nil
	case bridge.KindReady:
		var rd bridge.Ready
		if err := json.Unmarshal(env.Payload, &rd); err != nil {
			return nil, fmt.Errorf("ready: %w", err)
		}
		return func() { r.applyReady(rd) }, nil
	case bridge.KindLifecycle:
		var l bridge.Lifecycle
		if err := json.Unmarshal(env.Payload, &l); err != nil {
			return nil, fmt.Errorf("lifecycle: %w", err)
		}
		if l.Event != "hide" && l.Event != "show" {
			return nil, fmt.Errorf("lifecycle: event %q is not hide or show", l.Event)
		}
		return func() { r.applyLifecycle(l.Event) }, nil
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
// render ops follow the same order: unmount, mount (initial data), show.
func (r *Runtime) applyNav(n bridge.Nav) {
	prev := r.front
	for _, id := range n.Close {
		if _, ok := r.pages[id]; !ok {
			r.log.Warn("logic: nav closes an unknown page", "page", id, "action", n.Action)
			continue
		}
		r.call(r.fw.pageLife, id, "onUnload")
		delete(r.pages, id)
		r.stack = slices.DeleteFunc(r.stack, func(s string) bool { return s == id })
	}
	if len(n.Close) > 0 {
		r.batch.unmount(n.Close)
	}
	if _, alive := r.pages[prev]; alive && prev != n.Show {
		r.call(r.fw.pageLife, prev, "onHide")
	}
	opened := n.Open != nil && r.openPage(*n.Open)
	// The stack changes before onLoad: getCurrentPages() in onLoad already ends with
	// the new page, as in WeChat.
	switch {
	case n.Action == "launch" || n.Action == "reLaunch" || n.Action == "switchTab":
		// Tab pages switched away from stay alive (hidden) but leave the stack.
		r.stack = r.stack[:0]
		if _, ok := r.pages[n.Show]; ok {
			r.stack = append(r.stack, n.Show)
		}
	case n.Open != nil:
		if _, ok := r.pages[n.Open.Page]; ok {
			r.stack = append(r.stack, n.Open.Page)
		}
	}
	r.publishStack()
	if opened {
		r.call(r.fw.pageLife, n.Open.Page, "onLoad", r.pages[n.Open.Page].queryJSON)
	}
	if _, ok := r.pages[n.Show]; ok {
		r.front = n.Show
		r.batch.show(n.Show)
		r.call(r.fw.pageLife, n.Show, "onShow")
	} else if n.Show != "" {
		r.log.Warn("logic: nav shows an unknown page", "page", n.Show, "action", n.Action)
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
	if ev.Target == "page" {
		ev.Target = r.front // the host normally resolves this already
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
	for _, id := range r.stack {
		r.readyIfAcked(id)
	}
	for id := range r.pages {
		r.readyIfAcked(id) // hidden tab pages too
	}
}

func (r *Runtime) readyIfAcked(id string) {
	p, ok := r.pages[id]
	if !ok || p.readyDone || p.mountSeq > r.acked {
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

// applyAPIResult applies a navigation result first, then settles the JS call.
func (r *Runtime) applyAPIResult(res bridge.APIResult) {
	name, ok := r.apiPending[res.ID]
	if !ok {
		r.log.Warn("logic: apiResult for no pending call", "id", res.ID)
		return
	}
	delete(r.apiPending, res.ID)
	if res.Nav != nil {
		r.applyNav(*res.Nav)
	}
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
