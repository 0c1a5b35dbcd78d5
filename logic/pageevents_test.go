package logic

import (
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// The page's own events (docs/ui-apis.md) call the page's methods as lifecycles, with
// the detail as argument for onPageScroll and onResize; a mount op says whether the
// page listens to its scroll.
func TestPageEvents(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ data: { log: [] },
			onPullDownRefresh() { this.setData({ log: this.data.log.concat('pull:' + arguments.length) }); },
			onReachBottom() { this.setData({ log: this.data.log.concat('bottom') }); },
			onPageScroll(e) { this.setData({ log: this.data.log.concat('scroll:' + e.scrollTop) }); },
			onResize(e) { this.setData({ log: this.data.log.concat('resize:' + e.size.windowWidth) }); } });`,
		"pages/b/b.js": `Page({ onReachBottom() {} });`,
	}))
	first := a.launch(t, "pages/a/a")
	if op := first.Ops[0]; op.Op != "mount" || !op.PageScroll {
		t.Fatalf("mount op of a page with onPageScroll: %+v", op)
	}
	send := func(typ, handler, detail string) {
		a.deliver(t, bridge.KindEvent, map[string]any{
			"target": "p1", "handler": handler,
			"event": map[string]any{"type": typ, "timeStamp": 1, "detail": json.RawMessage(detail),
				"target": map[string]any{"id": "", "dataset": map[string]any{}}, "currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}},
		})
		a.ack(t, a.host.nextRender(t).Seq)
	}
	send("pulldownrefresh", "onPullDownRefresh", `{}`)
	send("reachbottom", "onReachBottom", `{}`)
	send("pagescroll", "onPageScroll", `{"scrollTop":120}`)
	send("resize", "onResize", `{"size":{"windowWidth":800,"windowHeight":600}}`)
	got, _ := json.Marshal(a.pageData(t, "p1")["log"])
	if want := `["pull:0","bottom","scroll:120","resize:800"]`; string(got) != want {
		t.Errorf("log = %s, want %s", got, want)
	}
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "navigateTo", Open: &bridge.NavOpen{Page: "p2", Route: "pages/b/b", Query: map[string]string{}}, Show: "p2", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}, {ID: "p2"}}}})
	if op := a.host.nextRender(t).Ops[0]; op.Op != "mount" || op.PageScroll {
		t.Errorf("mount op of a page without onPageScroll: %+v", op)
	}
}
