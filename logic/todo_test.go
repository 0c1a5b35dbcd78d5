package logic

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// TestTodoFlow drives the todo test app through launch, component attach, a custom
// event from a component to its page, and navigation.
func TestTodoFlow(t *testing.T) {
	a := startApp(t, projectApp(t, "testdata/todo"))
	first := a.launch(t, "pages/index/index")
	if first.Seq != 1 {
		t.Fatalf("first push seq = %d, want 1", first.Seq)
	}
	ops := []string{}
	for _, op := range first.Ops {
		ops = append(ops, op.Op)
	}
	if want := []string{"mount", "data", "show"}; !reflect.DeepEqual(ops, want) {
		t.Fatalf("first push ops = %v, want %v", ops, want)
	}
	if got := string(first.Ops[0].Data); got != `{"todos":[],"input":"","remaining":0}` {
		t.Errorf("mount data = %s", got)
	}
	diff := diffOf(t, first, "p1")
	if diff["remaining"] != float64(2) || len(diff["todos"].([]any)) != 2 {
		t.Errorf("onLoad diff = %v", diff)
	}
	a.logs.waitConsole(t, "index onReady")

	defs := a.rt.Definitions()
	item, ok := defs["components/todo-item/todo-item"]
	if !ok {
		t.Fatalf("Definitions() = %v", defs)
	}
	if got := jsonString(t, item.Properties); got != `{"index":{"type":"Number","value":0},"item":{"type":"Object","value":null}}` {
		t.Errorf("todo-item properties = %s", got)
	}
	if string(item.Data) != `{"editing":false}` {
		t.Errorf("todo-item data = %s", item.Data)
	}

	// The page reports the two items it rendered; tapping the first toggles it.
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{
		{ID: "c1", Page: "p1", Owner: "p1", Is: "components/todo-item/todo-item",
			Props:  map[string]json.RawMessage{"item": json.RawMessage(`{"id":1,"title":"Buy milk","done":false}`), "index": json.RawMessage(`"0"`)},
			Events: map[string]string{"toggle": "onToggle"}},
	}})
	a.event(t, "c1", "onTap", `{}`)
	push := a.host.nextRender(t)
	if got := diffOf(t, push, "p1"); !reflect.DeepEqual(got, map[string]any{"todos[0].done": true, "remaining": float64(1)}) {
		t.Errorf("toggle diff = %v", got)
	}
	a.ack(t, push.Seq)

	// navigateTo: the api leaves; the host routes the nav to logic, then answers.
	a.event(t, "p1", "onStats", `{}`)
	call := a.host.nextAPI(t)
	if call.Name != "navigateTo" || string(call.Args) != `{"url":"/pages/stats/stats?from=index"}` {
		t.Fatalf("api call = %+v", call)
	}
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "navigateTo", Open: &bridge.NavOpen{Page: "p2", Route: "pages/stats/stats", Query: map[string]string{"from": "index"}}, Show: "p2",
		Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1", Route: "pages/index/index"}, {ID: "p2", Route: "pages/stats/stats"}}}})
	a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: call.ID, OK: true, Result: json.RawMessage(`{"errMsg":"navigateTo:ok"}`)})
	push = a.host.nextRender(t)
	if got := diffOf(t, push, "p2"); got["from"] != "index" {
		t.Errorf("stats diff = %v", got)
	}
	stack := a.rt.Stack()
	if len(stack) != 2 || stack[1].ID != "p2" || stack[1].Route != "pages/stats/stats" || stack[1].Query["from"] != "index" {
		t.Errorf("Stack() = %+v", stack)
	}
	if d := a.pageData(t, ""); d["from"] != "index" {
		t.Errorf("PageData(front) = %v", d)
	}
}

// TestExampleTodo loads the shipped example (when present) the way the host would.
func TestExampleTodo(t *testing.T) {
	if _, err := os.Stat("../examples/todo/app.json"); err != nil {
		t.Skip("examples/todo not present")
	}
	a := startApp(t, projectApp(t, "../examples/todo"))
	first := a.launch(t, "pages/index/index")
	if len(first.Ops) < 2 || first.Ops[0].Op != "mount" || first.Ops[len(first.Ops)-1].Op != "show" {
		t.Fatalf("first push = %+v", opsOf(first))
	}
	if _, ok := a.rt.Definitions()["components/todo-item/todo-item"]; !ok {
		t.Errorf("Definitions() = %v", a.rt.Definitions())
	}
	a.event(t, "p1", "onInput", `{"value":"  "}`)
	a.event(t, "p1", "onAdd", `{}`)
	if c := a.host.nextAPI(t); c.Name != "showToast" {
		t.Errorf("empty add: api %s", c.Name)
	}
}
