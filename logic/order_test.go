package logic

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

var orderApp = map[string]string{
	"pages/a/a.js": `Page({
		data: { n: 0 },
		onLoad(q) {
			const c = this.selectComponent('#x')
			console.log('page.onLoad q=' + q.k + ' selectComponent=' + (c ? c.is : 'null') + ' pages=' + getCurrentPages().length)
			this.setData({ n: 1 })
		},
		onShow() { console.log('page.onShow') },
		onReady() { console.log('page.onReady') },
		onHide() { console.log('page.onHide') },
		onRouteDone() { console.log('page.onRouteDone') },
	})`,
	"pages/b/b.js": `Page({
		onLoad() { console.log('b.onLoad') },
		onShow() { console.log('b.onShow') },
		onReady() { console.log('b.onReady') },
	})`,
	"components/x/x.js": `Component({
		lifetimes: {
			created() { console.log('x.created') },
			attached() { console.log('x.attached') },
			ready() { console.log('x.ready') },
		},
		pageLifetimes: {
			show() { console.log('x.pageShow') }, hide() { console.log('x.pageHide') },
			routeDone() { console.log('x.routeDone') },
		},
	})`,
}

// TestComponentsBeforeOnLoad: a page that uses components loads once its first render
// reported them, in WeChat's order: component created, attached, page onLoad (where
// selectComponent finds it), onShow (the component hears pageLifetimes.show), component
// ready, page onReady after the push with onLoad's data. A page without components
// loads at once.
func TestComponentsBeforeOnLoad(t *testing.T) {
	cfg := mapApp(orderApp)
	cfg.compPages = []string{"pages/a/a"}
	a := startApp(t, cfg)
	a.sync(t)
	mark := len(a.logs.console())
	a.deliver(t, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false))
	mount := a.host.nextRender(t)
	a.sync(t)
	if got := a.since(mark); len(got) != 0 {
		t.Fatalf("lifecycles ran before the first render's components: %q", got)
	}
	if ops := opsOf(mount); !reflect.DeepEqual(ops, []string{"mount p1", "show p1 [p1]"}) {
		t.Fatalf("mount push = %q", ops)
	}
	if len(a.rt.Stack()) != 1 {
		t.Errorf("the stack does not hold the page while it loads: %+v", a.rt.Stack())
	}
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: mount.Seq, Attached: []bridge.ComponentReport{
		{ID: "c1", Page: "p1", Owner: "p1", Is: "components/x/x", NodeID: "x"},
	}})
	a.sync(t)
	want := []string{"x.created", "x.attached", "page.onLoad q=p1 selectComponent=components/x/x pages=1", "page.onShow", "x.pageShow", "x.ready"}
	if got := a.since(mark); !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %q\nwant    %q", got, want)
	}
	mark += len(want)
	// onReady waits for the push that carries onLoad's setData.
	data := a.host.nextRender(t)
	if d := diffOf(t, data, "p1"); d["n"] != float64(1) {
		t.Errorf("onLoad's data = %v", d)
	}
	a.ack(t, data.Seq)
	a.logs.waitConsole(t, "x.routeDone")
	// The route is done once the page is on screen and ready.
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"page.onReady", "page.onRouteDone", "x.routeDone"}) {
		t.Errorf("after the ack: %q", got)
	}
	mark += 3

	// A page without components: onLoad and onShow at once, as before.
	a.deliver(t, bridge.KindNav, nav("navigateTo", nil, "p2", "pages/b/b", "p2", false, "p1", "p2"))
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"page.onHide", "x.pageHide", "b.onLoad", "b.onShow"}) {
		t.Errorf("plain page: %q", got)
	}
	mark += 4
	// navigateBack: a is shown again; its route is done when that push is acknowledged.
	a.ack(t, a.host.nextRender(t).Seq)
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"b.onReady"}) {
		t.Errorf("b after its ack: %q", got)
	}
	mark++
	a.deliver(t, bridge.KindNav, nav("navigateBack", []string{"p2"}, "", "", "p1", false))
	back := a.host.nextRender(t)
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"page.onShow", "x.pageShow"}) {
		t.Errorf("back: %q", got)
	}
	a.ack(t, back.Seq)
	a.sync(t)
	if got := a.since(mark + 2); !reflect.DeepEqual(got, []string{"page.onRouteDone", "x.routeDone"}) {
		t.Errorf("back, after the ack: %q", got)
	}
}

// TestMovedAndLinkChanged: a component a keyed list moved hears moved, then each
// relation it is linked by hears linkChanged, upper side first; one not moved hears
// nothing.
func TestMovedAndLinkChanged(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"components/list/list.js": `Component({
			relations: { '../item/item': { type: 'child', linkChanged(t) { console.log('list.linkChanged ' + t.data.label) } } },
		})`,
		"components/item/item.js": `Component({
			properties: { label: String },
			relations: { '../list/list': { type: 'parent', linkChanged() { console.log('item.linkChanged ' + this.data.label) } } },
			lifetimes: { moved() { console.log('item.moved ' + this.data.label) } },
		})`,
	}))
	a.launch(t, "pages/a/a")
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{
		{ID: "c1", Page: "p1", Owner: "p1", Is: "components/list/list"},
		{ID: "c2", Page: "p1", Owner: "p1", Is: "components/item/item", Parent: "c1", Props: map[string]json.RawMessage{"label": json.RawMessage(`"x"`)}},
		{ID: "c3", Page: "p1", Owner: "p1", Is: "components/item/item", Parent: "c1", Props: map[string]json.RawMessage{"label": json.RawMessage(`"y"`)}},
	}})
	a.sync(t)
	mark := len(a.logs.console())
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Moved: []string{"c3"}})
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"item.moved y", "list.linkChanged y", "item.linkChanged y"}) {
		t.Errorf("moved: %q", got)
	}
}

// TestPageResizeReachesComponents: when the page hears onResize (pageLife, however
// the host delivers a resize), its components hear pageLifetimes.resize with the size.
func TestPageResizeReachesComponents(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":      `Page({ onResize(s) { console.log('page.onResize ' + s.size.windowWidth) } })`,
		"components/x/x.js": `Component({ pageLifetimes: { resize(s) { console.log('x.resize ' + s.size.windowWidth) } } })`,
	}))
	a.launch(t, "pages/a/a")
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{{ID: "c1", Page: "p1", Owner: "p1", Is: "components/x/x"}}})
	a.sync(t)
	mark := len(a.logs.console())
	a.rt.loop.Enqueue(func() { a.rt.call(a.rt.fw.pageLife, "p1", "onResize", `{"size":{"windowWidth":800}}`) })
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"page.onResize 800", "x.resize 800"}) {
		t.Errorf("resize: %q", got)
	}
}
