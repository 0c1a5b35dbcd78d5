package logic

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// runCase starts an app whose only page has data `initial` and a handler `run` whose
// body is code; it launches the page, calls run, and returns the app.
func runCase(t *testing.T, initial, code string, maxSetData int) *testApp {
	t.Helper()
	cfg := mapApp(map[string]string{
		"pages/a/a.js": fmt.Sprintf(`Page({
  data: %s,
  run() {
    try { %s } catch (e) { console.log('caught: ' + e.message); }
  },
});`, initial, code),
	})
	cfg.maxSetData = maxSetData
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", `{}`)
	return a
}

// settle waits until every job queued so far has run (PageData is a loop job).
func (a *testApp) settle(t *testing.T) {
	t.Helper()
	if _, err := a.rt.PageData("p1"); err != nil {
		t.Fatal(err)
	}
}

func TestSetDataPaths(t *testing.T) {
	tests := []struct {
		name     string
		initial  string
		code     string
		wantDiff string // JSON of the pushed diff; "" means no push
		wantData string // JSON of the page data afterwards
		wantErr  string // substring of the caught error
	}{
		{"nested set keeps siblings", `{"a":{"b":{"c":0,"d":1}}}`, `this.setData({'a.b.c': 5})`,
			`{"a.b.c":5}`, `{"a":{"b":{"c":5,"d":1}}}`, ""},
		{"missing objects are created", `{}`, `this.setData({'x.y.z': 1})`,
			`{"x.y.z":1}`, `{"x":{"y":{"z":1}}}`, ""},
		{"numeric index creates an array", `{}`, `this.setData({'list[2].done': true})`,
			`{"list[2].done":true}`, `{"list":[null,null,{"done":true}]}`, ""},
		{"array element field", `{"list":[{"done":false},{"done":false}]}`, `this.setData({'list[1].done': true})`,
			`{"list[1].done":true}`, `{"list":[{"done":false},{"done":true}]}`, ""},
		{"nested indexes", `{}`, `this.setData({'grid[1][0]': 7})`,
			`{"grid[1][0]":7}`, `{"grid":[null,[7]]}`, ""},
		{"object replaced by path through a primitive", `{"a":1}`, `this.setData({'a.b': 2})`,
			`{"a.b":2}`, `{"a":{"b":2}}`, ""},
		{"Date becomes ISO string", `{}`, `this.setData({d: new Date(0)})`,
			`{"d":"1970-01-01T00:00:00.000Z"}`, `{"d":"1970-01-01T00:00:00.000Z"}`, ""},
		{"undefined and functions inside values are dropped", `{}`, `this.setData({o: {a: 1, u: undefined, f: function () {}}})`,
			`{"o":{"a":1}}`, `{"o":{"a":1}}`, ""},
		{"top-level undefined is ignored", `{"u":1}`, `this.setData({u: undefined, k: 1})`,
			`{"k":1}`, `{"u":1,"k":1}`, ""},
		{"null is set", `{"u":1}`, `this.setData({u: null})`,
			`{"u":null}`, `{"u":null}`, ""},
		{"direct mutation does not render", `{"x":0}`, `this.data.x = 9; this.setData({y: 1})`,
			`{"y":1}`, `{"x":9,"y":1}`, ""},
		{"coalesced in one turn, microtasks included", `{}`,
			`this.setData({a: 1}); this.setData({b: 2}); Promise.resolve().then(() => this.setData({a: 3, c: 4}));`,
			`{"b":2,"a":3,"c":4}`, `{"a":3,"b":2,"c":4}`, ""},
		{"overlapping paths keep write order", `{}`,
			`this.setData({'o.b': 1}); this.setData({o: {c: 2}}); this.setData({'o.b': 3});`,
			`{"o":{"c":2},"o.b":3}`, `{"o":{"c":2,"b":3}}`, ""},
		{"invalid path: empty segment", `{"a":1}`, `this.setData({'a..b': 1})`, "", `{"a":1}`, `invalid data path "a..b"`},
		{"invalid path: unclosed bracket", `{"a":1}`, `this.setData({'a[1': 1})`, "", `{"a":1}`, `expected ']'`},
		{"invalid path: non-numeric index", `{"a":1}`, `this.setData({'a[x]': 1})`, "", `{"a":1}`, `expected an array index`},
		{"invalid path: leading bracket", `{"a":1}`, `this.setData({'[0]': 1})`, "", `{"a":1}`, `expected a field name`},
		{"invalid path: text after bracket", `{"a":1}`, `this.setData({'a[1]b': 1})`, "", `{"a":1}`, `unexpected 'b'`},
		{"invalid path: trailing dot", `{"a":1}`, `this.setData({'a.': 1})`, "", `{"a":1}`, `after '.'`},
		{"invalid path refuses the whole call", `{"a":1}`, `this.setData({a: 2, 'b..c': 1})`, "", `{"a":1}`, `invalid data path`},
		{"not an object", `{}`, `this.setData('x')`, "", `{}`, `first argument must be an object`},
		{"cyclic value", `{}`, `const o = {}; o.o = o; this.setData({o: o})`, "", `{}`, `circular`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := runCase(t, tt.initial, tt.code, 0)
			if tt.wantErr != "" {
				msg := a.logs.waitConsole(t, "caught: ")
				if !strings.Contains(msg, tt.wantErr) {
					t.Errorf("error = %q, want it to contain %q", msg, tt.wantErr)
				}
			}
			a.settle(t)
			if tt.wantDiff == "" {
				if n := a.host.renderCount(); n != 1 {
					t.Errorf("pushes = %d, want only the launch push", n)
				}
			} else {
				push := a.host.nextRender(t)
				if len(push.Ops) != 1 || push.Ops[0].Op != "data" || push.Ops[0].Target != "p1" {
					t.Fatalf("push ops = %+v", push.Ops)
				}
				if got := string(push.Ops[0].Diff); got != tt.wantDiff {
					t.Errorf("diff = %s, want %s", got, tt.wantDiff)
				}
				if n := a.host.renderCount(); n != 2 {
					t.Errorf("pushes = %d, want 2 (launch + one coalesced)", n)
				}
			}
			raw, err := a.rt.PageData("p1")
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, string(raw), tt.wantData) {
				t.Errorf("data = %s, want %s", raw, tt.wantData)
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

// TestSetDataLimit checks the boundary: {"s":"xxx"} is 8 bytes plus the string.
func TestSetDataLimit(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		strLen  int
		refused bool
	}{
		{"small limit, exactly at it", 100, 92, false},
		{"small limit, one over", 100, 93, true},
		{"default 1 MiB, exactly at it", 0, 1<<20 - 8, false},
		{"default 1 MiB, one over", 0, 1<<20 - 7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := runCase(t, `{"s":"before"}`, fmt.Sprintf(`this.setData({s: 'x'.repeat(%d)}); console.log('accepted')`, tt.strLen), tt.max)
			a.settle(t)
			logs := strings.Join(a.logs.console(), "\n")
			if tt.refused {
				if !strings.Contains(logs, "caught: setData: ") || !strings.Contains(logs, "over the limit") {
					t.Fatalf("want a limit error, console = %.300s", logs)
				}
				if d := a.pageData(t, "p1"); d["s"] != "before" {
					t.Errorf("data changed by a refused call")
				}
				return
			}
			if !strings.Contains(logs, "accepted") {
				t.Fatalf("call refused: %.300s", logs)
			}
			push := a.host.nextRender(t)
			if n := len(push.Ops[0].Diff); n != tt.strLen+8 {
				t.Errorf("diff is %d bytes, want %d", n, tt.strLen+8)
			}
		})
	}
}

func TestSetDataCallbackAfterAck(t *testing.T) {
	a := runCase(t, `{}`, `this.setData({a: 1}, () => console.log('cb a=' + this.data.a)); console.log('sync a=' + this.data.a)`, 0)
	push := a.host.nextRender(t)
	a.settle(t)
	logs := strings.Join(a.logs.console(), "|")
	if !strings.Contains(logs, "sync a=1") {
		t.Errorf("this.data not updated synchronously: %s", logs)
	}
	if strings.Contains(logs, "cb ") {
		t.Fatalf("callback ran before the ack: %s", logs)
	}
	a.ack(t, push.Seq-1) // an older ack is not enough
	a.settle(t)
	if strings.Contains(strings.Join(a.logs.console(), "|"), "cb ") {
		t.Fatal("callback ran on an older ack")
	}
	a.ack(t, push.Seq)
	a.logs.waitConsole(t, "cb a=1")
}

func TestPageDataPerInstance(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ data: { list: [1, 2], o: { n: 0 } }, grow() { this.data.list.push(3); this.data.o.n++; } })`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "grow", `{}`)
	a.deliver(t, "nav", map[string]any{"action": "navigateTo", "open": map[string]any{"page": "p2", "route": "pages/a/a", "query": map[string]string{}}, "show": "p2",
		"stack": map[string]any{"pages": []map[string]string{{"id": "p1"}, {"id": "p2"}}}})
	if d := a.pageData(t, "p2"); !jsonEqual(t, jsonString(t, d), `{"list":[1,2],"o":{"n":0}}`) {
		t.Errorf("second instance shares data with the first: %v", d)
	}
	if d := a.pageData(t, "p1"); !jsonEqual(t, jsonString(t, d), `{"list":[1,2,3],"o":{"n":1}}`) {
		t.Errorf("first instance = %v", d)
	}
}
