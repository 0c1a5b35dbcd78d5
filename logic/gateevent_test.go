package logic

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// oneRouteIndex is a HandlerIndex of one page and no components.
type oneRouteIndex struct {
	route    string
	handlers map[string]bool
}

func (x oneRouteIndex) PageHandlers(route string) (map[string]bool, bool) {
	return x.handlers, route == x.route
}
func (oneRouteIndex) ComponentHandlers(string) (map[string]bool, bool) { return nil, false }
func (oneRouteIndex) Uses(string, string) bool                         { return false }

// An event the gate decoded reaches the handler as the same object whether logic runs
// in process (it reads the gate's typed value and the page's own bytes) or in a child
// process (it decodes the payload the gate wrote, after the frame's JSON round trip):
// type, detail, dataset, mark, ids; a null mark is {} as an absent one is.
func TestGateEventReachesTheHandlerAlike(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
  onTap(e) { console.log('tap ' + JSON.stringify([e.type, e.timeStamp, e.detail, e.target.id, e.currentTarget.dataset, e.mark])); },
});`,
	}))
	a.launch(t, "pages/a/a")
	g := bridge.NewGate(bridge.GateConfig{App: "x", Window: "w1", Index: oneRouteIndex{"pages/a/a", map[string]bool{"onTap": true}}})
	g.SetStack(bridge.Stack{Pages: []bridge.PageRef{{ID: "p1", Route: "pages/a/a"}}})

	n := 0
	for _, tc := range []struct{ mark, wantMark string }{
		{`{"m":[1,"x"]}`, `{"m":[1,"x"]}`},
		{`null`, `{}`},
		{`{}`, `{}`},
	} {
		for _, path := range []string{"in process", "child"} {
			n++
			raw := fmt.Sprintf(`{"v":1,"kind":"event","payload":{"target":"page","handler":"onTap","event":{"type":"tap","timeStamp":7e2,`+
				`"detail":{"n":%d},"target":{"id":"b","dataset":{"k":"v"}},"currentTarget":{"id":"b","dataset":{"k":"v","i":2}},"mark":%s}}}`, n, tc.mark)
			env, err := g.FromPage([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			if _, typed := env.Value.(*bridge.Event); !typed {
				t.Fatalf("the gate handed no typed event along: %T", env.Value)
			}
			if path == "child" {
				// What isolate's frame carries: the envelope's JSON, without Value.
				b, err := json.Marshal(env)
				if err != nil {
					t.Fatal(err)
				}
				env = bridge.Envelope{}
				if err := json.Unmarshal(b, &env); err != nil {
					t.Fatal(err)
				}
			}
			a.rt.Deliver(env)
			want := fmt.Sprintf(`tap ["tap",700,{"n":%d},"b",{"k":"v","i":2},%s]`, n, tc.wantMark)
			if got := a.logs.waitConsole(t, fmt.Sprintf(`{"n":%d}`, n)); got != want {
				t.Errorf("%s, mark %s: handler saw\n%s\nwant\n%s", path, tc.mark, got, want)
			}
		}
	}
}
