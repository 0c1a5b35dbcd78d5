package logic

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// attachReports delivers one ready report of component instances on page p1.
func attachReports(t *testing.T, a *testApp, reps ...bridge.ComponentReport) {
	t.Helper()
	for i := range reps {
		if reps[i].Page == "" {
			reps[i].Page = "p1"
		}
		if reps[i].Owner == "" {
			reps[i].Owner = "p1"
		}
	}
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: reps})
	a.sync(t)
}

func label(s string) map[string]json.RawMessage {
	return map[string]json.RawMessage{"label": json.RawMessage(`"` + s + `"`)}
}

// Behaviors merge as WeChat documents: properties, methods and data of later
// behaviors win over earlier ones, a behavior over those it uses, the component over
// all; data objects of the same name merge; lifetimes and observers all run,
// behaviors' first (used before user), each behavior once however often it is named.
func TestBehaviorMerge(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"behaviors/b3.js": `module.exports = Behavior({
  properties: { p: { type: String, value: 'b3' }, q: { type: String, value: 'b3' } },
  data: { shared: { a: 'b3', b: 3 }, n: 'b3', kind: { x: 1 } },
  methods: { who() { return 'b3'; }, only3() { return 'only3'; } },
  created() { console.log('b3.created'); },
  lifetimes: { attached() { console.log('b3.attached'); } },
  observers: { n(v) { console.log('b3 observes n=' + v); } },
});`,
		"behaviors/b0.js": `module.exports = Behavior({
  behaviors: [require('./b3')],
  data: { n: 'b0', flag: true },
  methods: { who() { return 'b0'; }, only0() { return 'only0'; } },
  attached() { console.log('b0.attached'); },
});`,
		"behaviors/b1.js": `module.exports = Behavior({
  behaviors: [require('./b3')],
  properties: { q: { type: String, value: 'b1' } },
  data: { shared: { a: 'b1' }, n: 'b1', kind: 'replaced' },
  methods: { who() { return 'b1'; } },
  created() { console.log('b1.created legacy (lifetimes wins)'); },
  lifetimes: { created() { console.log('b1.created'); } },
  attached() { console.log('b1.attached'); },
});`,
		"behaviors/other.js": `module.exports = Behavior({});`,
		"components/x/x.js": `const b0 = require('../../behaviors/b0'), b1 = require('../../behaviors/b1'), b3 = require('../../behaviors/b3');
Component({
  behaviors: [b0, b1, b0],
  data: { shared: { c: 'comp' } },
  methods: {
    who() { return 'comp'; },
    report() {
      console.log('report ' + JSON.stringify({
        data: this.data, who: this.who(), only0: this.only0(), only3: this.only3(),
        has3: this.hasBehavior(b3), hasOther: this.hasBehavior(require('../../behaviors/other')),
        b3IsString: typeof b3 === 'string',
      }));
    },
    set(e) { this.setData(e.detail); },
  },
  created() { console.log('comp.created'); },
  attached() { console.log('comp.attached'); },
  observers: { n(v) { console.log('comp observes n=' + v); } },
});`,
	}))
	a.launch(t, "pages/a/a")
	mark := len(a.logs.console())
	attachReports(t, a, bridge.ComponentReport{ID: "c1", Is: "components/x/x"})
	want := []string{"b3.created", "b1.created", "comp.created", "b3.attached", "b0.attached", "b1.attached", "comp.attached"}
	if got := a.since(mark); !reflect.DeepEqual(got, want) {
		t.Errorf("lifetimes = %q, want %q", got, want)
	}
	a.event(t, "c1", "report", `{}`)
	var got struct {
		Data                       map[string]any
		Who, Only0, Only3          string
		Has3, HasOther, B3IsString bool
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(a.logs.waitConsole(t, "report "), "report ")), &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"objects of the same name merge, later wins inside", got.Data["shared"], map[string]any{"a": "b1", "b": float64(3), "c": "comp"}},
		{"later behavior wins a plain value", got.Data["n"], "b1"},
		{"an object replaced by a non-object", got.Data["kind"], "replaced"},
		{"a field only an earlier behavior has", got.Data["flag"], true},
		{"property default of the only behavior declaring it", got.Data["p"], "b3"},
		{"property of the later behavior", got.Data["q"], "b1"},
		{"the component's own method wins", got.Who, "comp"},
		{"a method only a behavior has", got.Only0, "only0"},
		{"a method of a behavior used through another", got.Only3, "only3"},
		{"hasBehavior sees nested behaviors", got.Has3, true},
		{"hasBehavior of an unused behavior", got.HasOther, false},
		{"Behavior() answers a string, as in WeChat", got.B3IsString, true},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	// Observers of the same field all run, behaviors' first.
	mark = len(a.logs.console())
	a.event(t, "c1", "set", `{"n": "new"}`)
	a.sync(t)
	if got, want := a.since(mark), []string{"b3 observes n=new", "comp observes n=new"}; !reflect.DeepEqual(got, want) {
		t.Errorf("observers = %q, want %q", got, want)
	}
	// A method from a behavior is an own method of the instance: a handler may name it.
	a.event(t, "c1", "only3", `{}`)
	a.sync(t)
	for _, r := range a.logs.snapshot() {
		if strings.Contains(r.msg, `no method "only3"`) {
			t.Errorf("a behavior's method is not callable as a handler: %s", r.msg)
		}
	}
}

// definitionFilter runs when a definition that uses the behavior is declared, on that
// definition, with the filters of the behaviors the behavior uses (WeChat's example).
func TestDefinitionFilter(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"behaviors/b3.js": `module.exports = Behavior({
  definitionFilter(defFields, arr) { console.log('b3 filter on ' + defFields.tag + ' arr=' + arr.length); },
});`,
		"behaviors/b2.js": `module.exports = Behavior({
  tag: 'b2',
  behaviors: [require('./b3')],
  definitionFilter(defFields, arr) {
    console.log('b2 filter on ' + defFields.tag + ' arr=' + arr.length);
    arr[0](defFields);
  },
});`,
		"behaviors/b1.js": `module.exports = Behavior({
  tag: 'b1',
  behaviors: [require('./b2')],
  definitionFilter(defFields, arr) {
    console.log('b1 filter on ' + defFields.tag + ' arr=' + arr.length);
    // A filter may rewrite the definition (computed-property libraries do).
    defFields.data = Object.assign({}, defFields.data, { filtered: true });
    defFields.methods = Object.assign({}, defFields.methods, { added() { console.log('added ' + this.data.filtered); } });
  },
});`,
		"components/x/x.js": `Component({ tag: 'comp', behaviors: [require('../../behaviors/b1')], data: { own: 1 } });`,
	}))
	a.launch(t, "pages/a/a")
	want := []string{"b3 filter on b2 arr=0", "b2 filter on b1 arr=1", "b3 filter on b1 arr=0", "b1 filter on comp arr=1"}
	if got := a.logs.console(); !reflect.DeepEqual(got, want) {
		t.Errorf("filters = %q, want %q", got, want)
	}
	attachReports(t, a, bridge.ComponentReport{ID: "c1", Is: "components/x/x"})
	a.event(t, "c1", "added", `{}`)
	a.logs.waitConsole(t, "added true")
	if d := a.rt.Definitions()["components/x/x"]; !strings.Contains(string(d.Data), `"filtered":true`) {
		t.Errorf("definition data = %s, want the filter's field", d.Data)
	}
}

// relationsApp: a list and its items (parent/child by path), a box and everything
// with the field behavior inside it (ancestor/descendant by behavior).
func relationsApp() appConfig {
	return mapApp(map[string]string{
		"pages/a/a.js":           `Page({})`,
		"behaviors/field.js":     `module.exports = Behavior({});`,
		"behaviors/container.js": `module.exports = Behavior({});`,
		"components/box/box.js": `Component({
  behaviors: [require('../../behaviors/container')],
  relations: { fields: { type: 'descendant', target: require('../../behaviors/field'),
    linked(t) { console.log('box linked ' + t.data.label); }, unlinked(t) { console.log('box unlinked ' + t.data.label); } } },
});`,
		"components/list/list.js": `Component({
  relations: { '../item/item': { type: 'child',
    linked(t) { console.log('list linked ' + t.data.label); }, unlinked(t) { console.log('list unlinked ' + t.data.label); } } },
  methods: { count() { console.log('items ' + this.getRelationNodes('../item/item').map(i => i.data.label).join(',')); } },
});`,
		"components/item/item.js": `Component({
  behaviors: [require('../../behaviors/field')],
  properties: { label: String },
  relations: {
    '../list/list': { type: 'parent', linked(t) { console.log(this.data.label + ' linked to list'); }, unlinked() { console.log(this.data.label + ' unlinked from list'); } },
    box: { type: 'ancestor', target: require('../../behaviors/container'), linked() { console.log(this.data.label + ' linked to box'); } },
  },
  lifetimes: { attached() { console.log(this.data.label + ' attached'); }, ready() { console.log(this.data.label + ' ready'); }, detached() { console.log(this.data.label + ' detached'); } },
});`,
	})
}

func TestRelations(t *testing.T) {
	a := startApp(t, relationsApp())
	a.launch(t, "pages/a/a")
	mark := len(a.logs.console())
	attachReports(t, a,
		bridge.ComponentReport{ID: "c1", Is: "components/box/box"},
		bridge.ComponentReport{ID: "c2", Is: "components/list/list", Parent: "c1"},
		bridge.ComponentReport{ID: "c3", Is: "components/item/item", Parent: "c2", Props: label("A")},
		bridge.ComponentReport{ID: "c4", Is: "components/item/item", Parent: "c2", Props: label("B")},
		// In the page, outside any list or box: no link.
		bridge.ComponentReport{ID: "c5", Is: "components/item/item", Props: label("C")},
	)
	want := []string{"A attached", "B attached", "C attached",
		"list linked A", "A linked to list", "box linked A", "A linked to box",
		"list linked B", "B linked to list", "box linked B", "B linked to box",
		"A ready", "B ready", "C ready"}
	if got := a.since(mark); !reflect.DeepEqual(got, want) {
		t.Errorf("attach = %q\nwant %q", got, want)
	}
	a.event(t, "c2", "count", `{}`)
	a.logs.waitConsole(t, "items A,B")

	mark = len(a.logs.console())
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Detached: []string{"c3"}})
	a.sync(t)
	want = []string{"A detached", "list unlinked A", "A unlinked from list", "box unlinked A"}
	if got := a.since(mark); !reflect.DeepEqual(got, want) {
		t.Errorf("detach = %q, want %q", got, want)
	}
	a.event(t, "c2", "count", `{}`)
	a.logs.waitConsole(t, "items B")

	// The list goes: its item is unlinked from it, and stays linked to the box.
	mark = len(a.logs.console())
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Detached: []string{"c2"}})
	a.sync(t)
	if got, want := a.since(mark), []string{"list unlinked B", "B unlinked from list"}; !reflect.DeepEqual(got, want) {
		t.Errorf("list detach = %q, want %q", got, want)
	}
}

// A relation declared on one side only links nothing, as in WeChat.
func TestRelationNeedsBothSides(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":            `Page({})`,
		"components/list/list.js": `Component({ relations: { '../item/item': { type: 'child', linked() { console.log('linked'); } } } })`,
		"components/item/item.js": `Component({ attached() { console.log('item attached'); } })`,
	}))
	a.launch(t, "pages/a/a")
	attachReports(t, a,
		bridge.ComponentReport{ID: "c1", Is: "components/list/list"},
		bridge.ComponentReport{ID: "c2", Is: "components/item/item", Parent: "c1"})
	a.logs.waitConsole(t, "item attached")
	for _, m := range a.logs.console() {
		if m == "linked" {
			t.Error("a one-sided relation linked")
		}
	}
}

func TestSelectComponent(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
  sel(e) {
    const one = this.selectComponent(e.detail.s);
    const all = this.selectAllComponents(e.detail.s);
    const name = x => (x && x.data ? x.data.label : JSON.stringify(x));
    console.log('sel ' + e.detail.s + ' = ' + all.map(name).join(',') + ' first=' + name(one));
  },
});`,
		"components/card/card.js": `Component({
  properties: { label: String },
  methods: {
    inner() { const c = this.selectComponent('.inner'); console.log('inner from card ' + (c && c.data.label)); },
    owner() { const o = this.selectOwnerComponent(); console.log('owner of ' + this.data.label + ' = ' + (o.data.label || o.route)); },
  },
});`,
		"components/exp/exp.js": `Component({
  behaviors: ['wx://component-export'],
  properties: { label: String },
  export() { return { label: 'exported ' + this.data.label }; },
});`,
	}))
	a.launch(t, "pages/a/a")
	card := func(id, owner, parent, nodeID, class, lbl string) bridge.ComponentReport {
		return bridge.ComponentReport{ID: id, Owner: owner, Parent: parent, Is: "components/card/card", NodeID: nodeID, Class: class, Props: label(lbl)}
	}
	attachReports(t, a,
		card("c1", "p1", "", "first", "card big", "one"),
		card("c2", "p1", "", "", "card", "two"),
		card("c3", "c1", "c1", "", "inner", "three"),  // in c1's own template
		card("c4", "p1", "c1", "", "slotted", "four"), // the page's, in c1's slot
		bridge.ComponentReport{ID: "c5", Is: "components/exp/exp", NodeID: "x5", Props: label("five")},
	)
	tests := []struct{ sel, want string }{
		{"#first", "one first=one"},
		{".card", "one,two first=one"},
		{".card.big", "one first=one"},
		{"#first.card", "one first=one"},
		{".inner", " first=null"}, // inside a component's template: not the page's
		{"#first >>> .inner", "three first=three"},
		{".card .slotted", "four first=four"},
		{"#first > .slotted", "four first=four"},
		{".big .card", " first=null"},
		{".card, #x5", `one,two,{"label":"exported five"} first=one`},
		{"#x5", `{"label":"exported five"} first={"label":"exported five"}`},
		{"#nobody", " first=null"},
		{"view", " first=null"}, // tag selectors are not supported: a warning
	}
	for _, tt := range tests {
		a.event(t, "p1", "sel", `{"s": `+jsonString(t, tt.sel)+`}`)
		if got := a.logs.waitConsole(t, "sel "+tt.sel+" = "); got != "sel "+tt.sel+" = "+tt.want {
			t.Errorf("%q: %q, want %q", tt.sel, got, tt.want)
		}
	}
	a.event(t, "c1", "inner", `{}`)
	a.logs.waitConsole(t, "inner from card three")
	a.event(t, "c3", "owner", `{}`)
	a.logs.waitConsole(t, "owner of three = one")
	a.event(t, "c4", "owner", `{}`)
	a.logs.waitConsole(t, "owner of four = pages/a/a")
}

// getCurrentPages() inside onLoad already ends with the page being loaded.
func TestGetCurrentPagesInOnLoad(t *testing.T) {
	log := `console.log(this.route + ' onLoad sees ' + getCurrentPages().map(p => p.route).join(','))`
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onLoad() { ` + log + ` } })`,
		"pages/b/b.js": `Component({ methods: { onLoad() { ` + log + ` } } })`,
	}))
	tests := []struct {
		nav  bridge.Nav
		want string
	}{
		{nav("launch", nil, "p1", "pages/a/a", "p1", false), "pages/a/a onLoad sees pages/a/a"},
		{nav("navigateTo", nil, "p2", "pages/b/b", "p2", false, "p1", "p2"), "pages/b/b onLoad sees pages/a/a,pages/b/b"},
		{nav("redirectTo", []string{"p2"}, "p3", "pages/a/a", "p3", false, "p1", "p3"), "pages/a/a onLoad sees pages/a/a,pages/a/a"},
		{nav("reLaunch", []string{"p1", "p3"}, "p4", "pages/b/b", "p4", false), "pages/b/b onLoad sees pages/b/b"},
	}
	for _, tt := range tests {
		mark := len(a.logs.console())
		a.deliver(t, bridge.KindNav, tt.nav)
		a.sync(t)
		if got := a.since(mark); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s: %q, want %q", tt.nav.Action, got, tt.want)
		}
	}
}

// A page built with Component(): created (defaults only), attached (query properties
// set), onLoad, onShow; after the first render, ready, then onReady. Behaviors'
// lifetimes run first.
func TestComponentPageLifecycle(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"behaviors/b.js": `module.exports = Behavior({ attached() { console.log('b.attached'); }, data: { fromB: 1 }, methods: { onShow() { console.log('b.onShow (overridden)'); } } });`,
		"pages/a/a.js": `Component({
  behaviors: [require('../../behaviors/b')],
  properties: { id: { type: Number, value: -1 } },
  lifetimes: {
    created() { console.log('created id=' + this.data.id); },
    attached() { console.log('attached id=' + this.data.id); },
    ready() { console.log('ready'); },
  },
  methods: {
    onLoad(q) { console.log('onLoad ' + q.id + ' fromB=' + this.data.fromB); },
    onShow() { console.log('onShow'); },
    onReady() { console.log('onReady'); },
  },
});`,
	}))
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a", Query: map[string]string{"id": "7"}}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	r := a.host.nextRender(t)
	a.sync(t)
	want := []string{"created id=-1", "b.attached", "attached id=7", "onLoad 7 fromB=1", "onShow"}
	if got := a.logs.console(); !reflect.DeepEqual(got, want) {
		t.Errorf("before the first render: %q, want %q", got, want)
	}
	a.ack(t, r.Seq)
	a.sync(t)
	if got := a.since(len(want)); !reflect.DeepEqual(got, []string{"ready", "onReady"}) {
		t.Errorf("after the first render: %q, want ready, onReady", got)
	}
}

// Page() takes behaviors too: their data and methods under the page's own.
func TestPageBehaviors(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"behaviors/b.js": `module.exports = Behavior({ data: { o: { a: 1, b: 1 }, n: 'b' }, methods: { hello() { console.log('hello from b ' + this.data.n); }, who() { return 'b'; } } });`,
		"pages/a/a.js":   `Page({ behaviors: [require('../../behaviors/b')], data: { o: { b: 2 } }, who() { return 'page'; }, onLoad() { this.hello(); console.log('who ' + this.who()); } });`,
	}))
	a.launch(t, "pages/a/a")
	a.logs.waitConsole(t, "hello from b b")
	a.logs.waitConsole(t, "who page")
	if d := a.pageData(t, "p1"); !reflect.DeepEqual(d["o"], map[string]any{"a": float64(1), "b": float64(2)}) {
		t.Errorf("data.o = %v", d["o"])
	}
}

// wx://form-field gives the component name and value properties and marks it for the
// render side, whose <form> collects it.
func TestFormFieldBehavior(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":              `Page({})`,
		"components/f/f.js":         `Component({ behaviors: ['wx://form-field'] })`,
		"components/plain/plain.js": `Component({ behaviors: ['wx://no-such-thing'] })`,
	}))
	defer a.rt.Stop()
	defs := a.rt.Definitions()
	f := defs["components/f/f"]
	if !f.FormField {
		t.Error("form-field component not marked")
	}
	if p, ok := f.Properties["name"]; !ok || p.Type != "String" {
		t.Errorf("name property = %+v (%v)", p, ok)
	}
	if p, ok := f.Properties["value"]; !ok || p.Type != "" {
		t.Errorf("value property = %+v (%v), want any type", p, ok)
	}
	if defs["components/plain/plain"].FormField {
		t.Error("plain component marked as a form field")
	}
	found := false
	for _, r := range a.logs.snapshot() {
		found = found || strings.Contains(r.msg, `"wx://no-such-thing" is not a behavior`)
	}
	if !found {
		t.Error("no warning for an unknown built-in behavior")
	}
}

// The components of a page's first render hear its show before they are ready, as in
// WeChat where they exist before the page shows; later ones do not. A component's
// error lifetime hears what its handlers throw.
func TestComponentLifetimesOnAPage(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onLoad() { console.log('a.onLoad'); }, onShow() { console.log('a.onShow'); }, onReady() { console.log('a.onReady'); } })`,
		"components/x/x.js": `Component({
  properties: { label: String },
  lifetimes: {
    created() { console.log('created'); },
    attached() { console.log(this.data.label + ' attached'); },
    ready() { console.log(this.data.label + ' ready'); },
    error(e) { console.log(this.data.label + ' error ' + e.message); },
  },
  pageLifetimes: { show() { console.log(this.data.label + ' page show'); }, hide() { console.log(this.data.label + ' page hide'); } },
  methods: { boom() { throw new Error('boom'); } },
});`,
	}))
	a.deliver(t, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false))
	r := a.host.nextRender(t)
	// The render acknowledges the mount with the components it made.
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: r.Seq, Attached: []bridge.ComponentReport{
		{ID: "c1", Page: "p1", Owner: "p1", Is: "components/x/x", Props: label("first")}}})
	a.sync(t)
	want := []string{"a.onLoad", "a.onShow", "created", "first attached", "first page show", "first ready", "a.onReady"}
	if got := a.logs.console(); !reflect.DeepEqual(got, want) {
		t.Errorf("first render = %q\nwant %q", got, want)
	}
	mark := len(want)
	attachReports(t, a, bridge.ComponentReport{ID: "c2", Is: "components/x/x", Props: label("later")})
	if got, want := a.since(mark), []string{"created", "later attached", "later ready"}; !reflect.DeepEqual(got, want) {
		t.Errorf("later = %q, want %q", got, want)
	}
	mark = len(a.logs.console())
	a.event(t, "c1", "boom", `{}`)
	a.sync(t)
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"first error boom"}) {
		t.Errorf("error lifetime = %q", got)
	}
}

// BenchmarkAttachRelatedList attaches a list with 200 related items and detaches it
// again: what relations and behaviors add to building a long list of components.
func BenchmarkAttachRelatedList(b *testing.B) {
	a := startApp(b, mapApp(map[string]string{
		"pages/a/a.js":       `Page({})`,
		"behaviors/field.js": `module.exports = Behavior({ data: { meta: { a: 1 } }, methods: { f() {} }, attached() {} });`,
		"components/list/list.js": `Component({
  relations: { '../item/item': { type: 'child', linked() { this.n = (this.n || 0) + 1; }, unlinked() { this.n--; } } },
});`,
		"components/item/item.js": `Component({
  behaviors: [require('../../behaviors/field')],
  properties: { label: String },
  relations: { '../list/list': { type: 'parent', linked(l) { this.list = l; } } },
});`,
	}))
	a.deliver(b, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false))
	const items = 200
	reps := []bridge.ComponentReport{{ID: "c1", Page: "p1", Owner: "p1", Is: "components/list/list"}}
	for i := 0; i < items; i++ {
		reps = append(reps, bridge.ComponentReport{ID: "c" + strconv.Itoa(i+2), Page: "p1", Owner: "p1", Parent: "c1", Is: "components/item/item", Props: label("x")})
	}
	ids := make([]string, 0, len(reps))
	for i := len(reps) - 1; i >= 0; i-- {
		ids = append(ids, reps[i].ID)
	}
	attach, err := json.Marshal(reps)
	if err != nil {
		b.Fatal(err)
	}
	detach, _ := json.Marshal(ids)
	r := a.rt
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		onLoop(r, func() {
			r.call(r.fw.attach, string(attach))
			r.call(r.fw.detach, string(detach))
		})
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/items, "µs/item")
}

// Ended component instances are garbage: goja's WeakMap holds its values strongly, so
// the framework's instance → record map must not keep a record that reaches back to
// its instance (it did: every detached component stayed, about 3 KB each), and a
// WeakMap keyed by long-lived objects leaves a Go cleanup on them per use (deepCopy's
// did, once per instance created).
func TestDetachedInstancesAreCollected(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"components/list/list.js": `Component({
  relations: { '../item/item': { type: 'child' } },
});`,
		"components/item/item.js": `Component({
  properties: { label: String },
  data: { big: { text: 'x'.repeat(200) } },
  relations: { '../list/list': { type: 'parent', linked(l) { this.list = l; } } },
});`,
	}))
	a.deliver(t, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false))
	const items = 100
	reps := []bridge.ComponentReport{{ID: "c1", Page: "p1", Owner: "p1", Is: "components/list/list"}}
	for i := 0; i < items; i++ {
		reps = append(reps, bridge.ComponentReport{ID: "c" + strconv.Itoa(i+2), Page: "p1", Owner: "p1", Parent: "c1", Is: "components/item/item", Props: label("x")})
	}
	var ids []string
	for i := len(reps) - 1; i >= 0; i-- {
		ids = append(ids, reps[i].ID)
	}
	attach, _ := json.Marshal(reps)
	detach, _ := json.Marshal(ids)
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	cycle := func(n int) {
		for i := 0; i < n; i++ {
			onLoop(a.rt, func() {
				a.rt.call(a.rt.fw.attach, string(attach))
				a.rt.call(a.rt.fw.detach, string(detach))
			})
		}
	}
	cycle(10)
	before := heap()
	cycle(30)
	grown := int64(heap()) - int64(before)
	// 3000 instances created and ended: kept, they were ~10 MB; collected, ~0.
	if grown > 1<<20 {
		t.Errorf("heap grew %d KB over 3000 ended instances: they are not collected", grown>>10)
	}
	t.Logf("heap growth over 3000 ended instances: %d KB", grown>>10)
}

// A relations entry that is no relation (a linked() placed straight inside relations,
// as a popular UI kit ships) is ignored with a warning, as WeChat does: the component
// is registered and its good relation still links.
func TestBadRelationEntryIsIgnored(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"components/list/list.js": `Component({ relations: {
  '../item/item': { type: 'child', linked() { console.log('list linked'); } },
  linked() { console.log('stray linked'); },
  odd: { type: 'sibling' },
} })`,
		"components/item/item.js": `Component({ relations: { '../list/list': { type: 'parent' } } })`,
	}))
	a.launch(t, "pages/a/a")
	if _, ok := a.rt.Definitions()["components/list/list"]; !ok {
		t.Fatal("the list component is left out")
	}
	attachReports(t, a,
		bridge.ComponentReport{ID: "c1", Is: "components/list/list"},
		bridge.ComponentReport{ID: "c2", Is: "components/item/item", Parent: "c1"})
	a.logs.waitConsole(t, "list linked")
	logs := ""
	for _, r := range a.logs.snapshot() {
		logs += r.msg + "\n"
	}
	for _, want := range []string{`relation "linked" needs a type`, `relation "odd" needs a type`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, m := range a.logs.console() {
		if m == "stray linked" {
			t.Error("the stray linked() ran")
		}
	}
}
