package logic

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

func attachOne(t *testing.T, a *testApp, id, is string, props string, events map[string]string) {
	t.Helper()
	var p map[string]json.RawMessage
	if props != "" {
		if err := json.Unmarshal([]byte(props), &p); err != nil {
			t.Fatal(err)
		}
	}
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{
		{ID: id, Page: "p1", Owner: "p1", Is: is, Props: p, Events: events, NodeID: "node-" + id,
			Dataset: map[string]json.RawMessage{"k": json.RawMessage(`7`)}},
	}})
	a.sync(t)
}

func TestPropertyCoercion(t *testing.T) {
	tests := []struct {
		prop  string // property declaration
		value string // JSON value set by the owner; "" = not set
		want  string // JSON of the value in this.data after attach
	}{
		{`String`, ``, `""`},
		{`String`, `5`, `"5"`},
		{`String`, `true`, `"true"`},
		{`String`, `null`, `""`},
		{`String`, `{"a":1}`, `""`},
		{`{type: String, value: 'dflt'}`, ``, `"dflt"`},
		{`Number`, ``, `0`},
		{`Number`, `"3.5"`, `3.5`},
		{`Number`, `"x"`, `0`},
		{`{type: Number, value: 7}`, `"x"`, `7`},
		{`Boolean`, ``, `false`},
		{`Boolean`, `0`, `false`},
		{`Boolean`, `"a"`, `true`},
		{`Array`, ``, `[]`},
		{`Array`, `{"a":1}`, `[]`},
		{`Array`, `[1]`, `[1]`},
		{`Object`, ``, `null`},
		{`Object`, `"s"`, `null`},
		{`Object`, `{"a":1}`, `{"a":1}`},
		{`null`, `"s"`, `"s"`},
		{`null`, ``, `null`},
		{`{type: Number, optionalTypes: [String]}`, `"abc"`, `"abc"`},
	}
	for _, tt := range tests {
		t.Run(tt.prop+"="+tt.value, func(t *testing.T) {
			a := startApp(t, mapApp(map[string]string{
				"pages/a/a.js": `Page({})`,
				"components/x/x.js": fmt.Sprintf(`Component({
  properties: { p: %s },
  lifetimes: { attached() { console.log('p=' + JSON.stringify(this.data.p) + ' same=' + (this.properties === this.data)); } },
});`, tt.prop),
			}))
			a.launch(t, "pages/a/a")
			props := ""
			if tt.value != "" {
				props = `{"p":` + tt.value + `}`
			}
			attachOne(t, a, "c1", "components/x/x", props, nil)
			if got := a.logs.waitConsole(t, "p="); got != "p="+tt.want+" same=true" {
				t.Errorf("got %q, want p=%s", got, tt.want)
			}
		})
	}
}

func TestObservers(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"components/x/x.js": `Component({
  properties: { n: { type: Number, value: 0, observer(v, old) { console.log('prop n ' + old + '->' + v); } } },
  data: { a: 1, b: 2, o: { x: 1, y: 1 }, list: [0, 0, 0] },
  observers: {
    'a, b': function (a, b) { console.log('a,b ' + a + ' ' + b); },
    'o.x': function (x) { console.log('o.x ' + x); },
    'list[1]': function (v) { console.log('list[1] ' + v); },
    'o.**': function (o) { console.log('o.** ' + JSON.stringify(o)); },
    '**': function () { console.log('**'); },
    'n': function (n) { console.log('n ' + n); },
  },
  methods: { run(e) { this.setData(e.detail); } },
});`,
	}))
	a.launch(t, "pages/a/a")
	attachOne(t, a, "c1", "components/x/x", "", nil)
	tests := []struct {
		set  string
		want []string
	}{
		{`{"a": 5}`, []string{"a,b 5 2", "**"}},
		{`{"b": 6, "a": 7}`, []string{"a,b 7 6", "**"}}, // once per setData, not per key
		{`{"o.x": 3}`, []string{`o.x 3`, `o.** {"x":3,"y":1}`, "**"}},
		{`{"o.y": 4}`, []string{`o.** {"x":3,"y":4}`, "**"}},
		{`{"o": {"x": 9}}`, []string{`o.x 9`, `o.** {"x":9}`, "**"}},
		{`{"list[1]": 8}`, []string{"list[1] 8", "**"}},
		{`{"list[2]": 8}`, []string{"**"}},
		{`{"list": [1, 2]}`, []string{"list[1] 2", "**"}},
		// observers run in definition order
		{`{"n": "12"}`, []string{"**", "n 12", "prop n 0->12"}},
	}
	for _, tt := range tests {
		mark := len(a.logs.console())
		a.event(t, "c1", "run", tt.set)
		a.sync(t)
		if got := a.since(mark); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("setData(%s): observers %q, want %q", tt.set, got, tt.want)
		}
	}
	// Property updates from the owner are coerced and observed.
	mark := len(a.logs.console())
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Props: []bridge.ComponentProps{{ID: "c1", Props: map[string]json.RawMessage{"n": json.RawMessage(`"40"`)}}}})
	a.sync(t)
	if got, want := a.since(mark), []string{"**", "n 40", "prop n 12->40"}; !reflect.DeepEqual(got, want) {
		t.Errorf("props update: %q, want %q", got, want)
	}
}

func TestTriggerEvent(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onPicked(e) { console.log('page got ' + JSON.stringify(e) + ' this.route=' + this.route); } })`,
		"components/x/x.js": `Component({
  methods: {
    pick() { this.triggerEvent('picked', { v: 1 }, { bubbles: true }); console.log('after trigger'); },
    unbound() { this.triggerEvent('nobody', {}); console.log('unbound ok'); },
  },
});`,
	}))
	a.launch(t, "pages/a/a")
	attachOne(t, a, "c1", "components/x/x", "", map[string]string{"picked": "onPicked"})
	a.event(t, "c1", "pick", `{}`)
	got := a.logs.waitConsole(t, "page got ")
	var ev map[string]any
	js := strings.TrimSuffix(strings.TrimPrefix(got, "page got "), " this.route=pages/a/a")
	if err := json.Unmarshal([]byte(js), &ev); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if ev["type"] != "picked" || !reflect.DeepEqual(ev["detail"], map[string]any{"v": float64(1)}) {
		t.Errorf("event = %v", ev)
	}
	want := map[string]any{"id": "node-c1", "dataset": map[string]any{"k": float64(7)}}
	if !reflect.DeepEqual(ev["target"], want) || !reflect.DeepEqual(ev["currentTarget"], want) {
		t.Errorf("target/currentTarget = %v / %v", ev["target"], ev["currentTarget"])
	}
	if _, ok := ev["timeStamp"].(float64); !ok {
		t.Errorf("timeStamp = %v", ev["timeStamp"])
	}
	a.logs.waitConsole(t, "after trigger")
	a.event(t, "c1", "unbound", `{}`)
	a.logs.waitConsole(t, "unbound ok")
}

func TestComponentSetDataPushesToItsID(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":      `Page({ data: { n: 0 } })`,
		"components/x/x.js": `Component({ data: { open: false }, methods: { toggle() { this.setData({ open: !this.data.open }); } } })`,
	}))
	a.launch(t, "pages/a/a")
	attachOne(t, a, "c9", "components/x/x", "", nil)
	a.event(t, "c9", "toggle", `{}`)
	if d := diffOf(t, a.host.nextRender(t), "c9"); d["open"] != true {
		t.Errorf("diff = %v", d)
	}
}

func TestComponentConstructedPage(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Component({
  properties: { id: Number },
  data: { loaded: false },
  methods: {
    onLoad(q) { this.setData({ loaded: true }); console.log('onLoad id=' + this.data.id + ' q=' + q.id); },
    onShow() { console.log('onShow'); },
  },
});`,
	}))
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a", Query: map[string]string{"id": "42"}}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	a.logs.waitConsole(t, "onLoad id=42 q=42")
	a.logs.waitConsole(t, "onShow")
	if d := a.pageData(t, "p1"); d["loaded"] != true || d["id"] != float64(42) {
		t.Errorf("data = %v", d)
	}
}

// A property type WeChat accepts but does not list (Function, Date) means "any value",
// with a warning, as in WeChat; the component loads.
func TestUnlistedPropertyTypeIsAny(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":      "Page({})",
		"components/c/c.js": "Component({properties: {search: {type: Function, value: null}, when: Date}})",
	}))
	defer a.rt.Stop()
	defs := a.rt.Definitions()
	if p, ok := defs["components/c/c"].Properties["search"]; !ok || p.Type != "" {
		t.Errorf("search = %+v (%v), want a property of any type", p, ok)
	}
	found := false
	for _, r := range a.logs.snapshot() {
		found = found || strings.Contains(r.msg, `property "when": type Date is not String`)
	}
	if !found {
		t.Errorf("no warning for the Date type: %v", a.logs.snapshot())
	}
}
