package logic

import (
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// A model message (a model:value binding the user changed) sets the page's key as its
// own setData would: data changes, observers of a component run, the render gets the
// change, and the handler bound beside it sees the new value.
func TestModelSetsTheBoundKey(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
  data: {text: 'old', other: 1},
  onInput(e) { console.log('input sees ' + this.data.text + ' / ' + e.detail.value); },
});`,
	}))
	a.launch(t, "pages/a/a")
	a.deliver(t, bridge.KindModel, bridge.Model{Target: "p1", Key: "text", Value: []byte(`"typed"`)})
	r := a.host.nextRender(t)
	if d := diffOf(t, r, "p1"); d["text"] != "typed" || len(d) != 1 {
		t.Errorf("render diff = %v, want {text: typed}", d)
	}
	a.event(t, "p1", "onInput", `{"value":"typed"}`)
	a.logs.waitConsole(t, "input sees typed / typed")
	data := a.pageData(t, "p1")
	if data["text"] != "typed" || data["other"] != float64(1) {
		t.Errorf("data = %v", data)
	}
	// "page" means the page in front, as for events.
	a.deliver(t, bridge.KindModel, bridge.Model{Target: "page", Key: "text", Value: []byte(`{"n":[1,2]}`)})
	a.host.nextRender(t)
	if got := a.pageData(t, "p1")["text"]; got == nil {
		t.Errorf("text after model to \"page\" = %v", got)
	}
	// Unknown instances are dropped with a warning, never a crash.
	a.deliver(t, bridge.KindModel, bridge.Model{Target: "p9", Key: "text", Value: []byte(`1`)})
	a.settle(t)
}
