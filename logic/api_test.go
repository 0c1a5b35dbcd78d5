package logic

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

var apiApp = map[string]string{
	"pages/a/a.js": `Page({
  promiseOk() {
    const p = wx.showToast({ title: 'Saved', icon: 'success' });
    console.log('returns promise=' + (p instanceof Promise));
    p.then(r => console.log('resolved ' + JSON.stringify(r)));
  },
  promiseFail() {
    sf.showModal({ title: 'Q' }).then(() => console.log('wrongly resolved'), r => console.log('rejected ' + r.errMsg));
  },
  callbacks() {
    const ret = wx.showModal({
      title: 'Q', content: 'sure?',
      success(r) { console.log('success ' + r.errMsg + ' confirm=' + r.confirm); },
      fail() { console.log('wrong fail'); },
      complete(r) { console.log('complete ' + r.errMsg); },
    });
    console.log('returns ' + typeof ret);
  },
  callbackFail() {
    wx.navigateTo({ url: '/pages/x/x', fail(r) { console.log('fail ' + r.errMsg); }, complete() { console.log('complete after fail'); } });
  },
  navigate() {
    wx.navigateTo({ url: '/pages/a/a?n=2' }).then(r => {
      const pages = getCurrentPages();
      console.log('navigated ' + r.errMsg + ' pages=' + pages.length + ' top=' + pages[pages.length - 1].options.n);
    });
  },
  syncOk() {
    const info = wx.getSystemInfoSync();
    console.log('sync ' + info.windowWidth + ' ' + info.errMsg);
  },
  syncFail() {
    try { wx.getSystemInfoSync(); } catch (e) { console.log('sync threw ' + e.message); }
  },
  canIUse() {
    console.log(['showToast', 'getSystemInfoSync', 'nextTick', 'showToast.object.title', 'nope', 42].map(n => wx.canIUse(n)).join(','));
  },
  tick() {
    console.log('a');
    wx.nextTick(() => { console.log('tick'); this.setData({ t: 2 }); });
    this.setData({ s: 1 });
    console.log('b');
  },
  badArgs() {
    try { wx.showToast('x'); } catch (e) { console.log(e.name + ' ' + e.message); }
  },
});`,
}

func TestAPIStyles(t *testing.T) {
	syncOK := true
	cfg := mapApp(apiApp)
	cfg.sync = func(c bridge.APICall) bridge.APIResult {
		if c.Name != "getSystemInfoSync" || !c.Sync {
			t.Errorf("sync call = %+v", c)
		}
		if !syncOK {
			return bridge.APIResult{ID: c.ID, OK: false, Result: json.RawMessage(`{"errMsg":"getSystemInfoSync:fail denied"}`)}
		}
		return bridge.APIResult{ID: c.ID, OK: true, Result: json.RawMessage(`{"errMsg":"getSystemInfoSync:ok","windowWidth":420}`)}
	}
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")

	answer := func(name string, ok bool, result string, nav *bridge.Nav) bridge.APICall {
		t.Helper()
		c := a.host.nextAPI(t)
		if c.Name != name {
			t.Fatalf("api = %s, want %s", c.Name, name)
		}
		if nav != nil { // the host's router: the nav reaches logic before the answer
			a.deliver(t, bridge.KindNav, *nav)
		}
		a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: c.ID, OK: ok, Result: json.RawMessage(result)})
		return c
	}

	a.event(t, "p1", "promiseOk", `{}`)
	c := answer("showToast", true, `{"errMsg":"showToast:ok"}`, nil)
	if string(c.Args) != `{"title":"Saved","icon":"success"}` || c.Sync {
		t.Errorf("args = %s", c.Args)
	}
	a.logs.waitConsole(t, `resolved {"errMsg":"showToast:ok"}`)
	a.logs.waitConsole(t, "returns promise=true")

	a.event(t, "p1", "promiseFail", `{}`)
	answer("showModal", false, `{"errMsg":"showModal:fail cancelled by the host"}`, nil)
	a.logs.waitConsole(t, "rejected showModal:fail cancelled by the host")

	a.event(t, "p1", "callbacks", `{}`)
	c = answer("showModal", true, `{"errMsg":"showModal:ok","confirm":true,"cancel":false}`, nil)
	if string(c.Args) != `{"title":"Q","content":"sure?"}` {
		t.Errorf("functions leaked into args: %s", c.Args)
	}
	a.logs.waitConsole(t, "complete showModal:ok")
	mark := len(a.logs.console()) - 3
	if got, want := a.since(mark), []string{"returns undefined", "success showModal:ok confirm=true", "complete showModal:ok"}; !reflect.DeepEqual(got, want) {
		t.Errorf("callback order = %q, want %q", got, want)
	}

	a.event(t, "p1", "callbackFail", `{}`)
	answer("navigateTo", false, `{"errMsg":"navigateTo:fail page \"pages/x/x\" is not found"}`, nil)
	a.logs.waitConsole(t, `fail navigateTo:fail page "pages/x/x" is not found`)
	a.logs.waitConsole(t, "complete after fail")

	// The nav is applied (lifecycles, ops) before the promise resolves.
	a.event(t, "p1", "navigate", `{}`)
	answer("navigateTo", true, `{"errMsg":"navigateTo:ok"}`, &bridge.Nav{Action: "navigateTo",
		Open: &bridge.NavOpen{Page: "p2", Route: "pages/a/a", Query: map[string]string{"n": "2"}}, Show: "p2",
		Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}, {ID: "p2"}}}})
	a.logs.waitConsole(t, "navigated navigateTo:ok pages=2 top=2")
	if ops := opsOf(a.host.nextRender(t)); !reflect.DeepEqual(ops, []string{"mount p2", "show p2 [p1 p2]"}) {
		t.Errorf("nav ops = %q", ops)
	}

	a.event(t, "p2", "syncOk", `{}`)
	a.logs.waitConsole(t, "sync 420 getSystemInfoSync:ok")
	syncOK = false
	a.event(t, "p2", "syncFail", `{}`)
	a.logs.waitConsole(t, "sync threw getSystemInfoSync:fail denied")

	a.event(t, "p2", "canIUse", `{}`)
	a.logs.waitConsole(t, "true,true,true,true,false,false")

	a.event(t, "p2", "badArgs", `{}`)
	a.logs.waitConsole(t, "TypeError wx.showToast: the argument must be an object")
}

func TestNextTick(t *testing.T) {
	a := startApp(t, mapApp(apiApp))
	a.launch(t, "pages/a/a")
	mark := len(a.logs.console())
	a.event(t, "p1", "tick", `{}`)
	r := a.host.nextRender(t)
	if got := string(r.Ops[0].Diff); got != `{"s":1,"t":2}` {
		t.Errorf("nextTick setData not in the same push: %s", got)
	}
	if got := a.since(mark); !reflect.DeepEqual(got, []string{"a", "b", "tick"}) {
		t.Errorf("order = %q", got)
	}
}

func TestAPIResultForUnknownCallIsDropped(t *testing.T) {
	a := startApp(t, mapApp(apiApp))
	a.launch(t, "pages/a/a")
	// An API result carries no navigation (the host's router sends navs): a "nav" in
	// one, even for a call that is pending, is not applied.
	a.deliver(t, bridge.KindAPIResult, map[string]any{"id": 99, "ok": true, "result": map[string]string{"errMsg": "x:ok"},
		"nav": bridge.Nav{Action: "navigateTo", Open: &bridge.NavOpen{Page: "p9", Route: "pages/a/a"}, Show: "p9",
			Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}, {ID: "p9"}}}}})
	a.sync(t)
	if len(a.rt.Stack()) != 1 {
		t.Errorf("a forged apiResult navigated: %+v", a.rt.Stack())
	}
	warned := false
	for _, r := range a.logs.snapshot() {
		warned = warned || strings.Contains(r.msg, "apiResult for no pending call")
	}
	if !warned {
		t.Error("no warning for an unknown apiResult")
	}
}
