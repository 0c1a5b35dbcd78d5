package logic

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

func (h *fakeHost) nextQuery(t *testing.T) bridge.Query {
	t.Helper()
	h.wait(t, "a query", func() bool { return len(h.queries) > h.nextQ })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextQ++
	return h.queries[h.nextQ-1]
}

func (a *testApp) answer(t *testing.T, id uint64, result, errText string) {
	t.Helper()
	res := bridge.QueryResult{ID: id, Error: errText}
	if result != "" {
		res.Result = json.RawMessage(result)
	}
	a.deliver(t, bridge.KindQueryResult, res)
}

// specOf decodes a query's spec.
func specOf(t *testing.T, q bridge.Query) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(q.Spec, &m); err != nil {
		t.Fatalf("spec %s: %v", q.Spec, err)
	}
	return m
}

const queryPage = `Page({
  data: { n: 0 },
  go() {
    this.setData({ n: 1 });
    const q = this.createSelectorQuery();
    q.select('#a').boundingClientRect(r => console.log('item0 ' + JSON.stringify(r)));
    q.selectAll('.b').fields({ dataset: true, properties: ['value'], computedStyle: ['color'], bogus: true });
    q.selectViewport().scrollOffset();
    q.exec(res => console.log('exec ' + JSON.stringify(res)));
  },
  wxForm() {
    wx.createSelectorQuery().select('#x').node().exec(res => {
      const c = res[0].node;
      console.log('node ' + (c === globalThis.__sfCanvasNode(this, { id: 'x', canvasId: 'cv', nodeId: 'n3', width: 300, height: 150 })) + ' ' + c.width + 'x' + c.height + ' ' + typeof c.getContext('2d').fillRect);
    });
  },
  inComp() {
    wx.createSelectorQuery().in(this.selectComponent('#node-c1')).select('.inner').boundingClientRect().exec(res => console.log('in ' + JSON.stringify(res)));
  },
  observe() {
    this.io = this.createIntersectionObserver({ thresholds: [0, 0.5, 2], observeAll: true });
    this.io.relativeToViewport({ bottom: 50 }).observe('.lazy', e => console.log('seen ' + e.id + ' ' + e.intersectionRatio));
  },
  stop() { this.io.disconnect(); },
  observeWx() { wx.createIntersectionObserver({ thresholds: [1] }).observe('#z', () => {}); },
  media() {
    wx.createMediaQueryObserver().observe({ minWidth: 400, orientation: 'landscape', junk: 1 }, r => console.log('media ' + r.matches));
  },
  anim() {
    const a = wx.createAnimation({ duration: 300, timingFunction: 'ease' });
    a.rotate(45).opacity(0.5).step().translateX(10).step({ duration: 100 });
    console.log('export ' + JSON.stringify(a.export()) + ' ' + JSON.stringify(a.export()));
  },
  motion() {
    this.animate('#box', [{ opacity: 1 }, { opacity: 0, rotate: 90 }], 200, () => console.log('animated'));
    this.clearAnimation('#box', { opacity: true }, () => console.log('cleared'));
  },
});`

func queryApp(t *testing.T) *testApp {
	t.Helper()
	return startApp(t, mapApp(map[string]string{
		"app.js":                `App({});`,
		"pages/a/a.js":          queryPage,
		"components/kid/kid.js": `Component({ methods: { look() { this.createSelectorQuery().select('.inner').boundingClientRect().exec(r => console.log('own ' + JSON.stringify(r))); } } })`,
	}))
}

// A selector query leaves after the turn's render push (it sees the setData made
// before it), carries each item's fields, and its answer reaches each item's callback
// and exec's, in WeChat's shapes.
func TestSelectorQuery(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	q := a.host.nextQuery(t)
	if q.Op != "select" || q.Owner != "p1" || q.ID == 0 {
		t.Fatalf("query = %+v", q)
	}
	a.host.mu.Lock()
	kinds := append([]bridge.Kind(nil), a.host.kinds...)
	a.host.mu.Unlock()
	if len(kinds) < 2 || kinds[len(kinds)-2] != bridge.KindRender || kinds[len(kinds)-1] != bridge.KindQuery {
		t.Fatalf("outbound order %v: the query must follow the turn's push", kinds)
	}
	want := `{"items":[{"all":false,"fields":{"dataset":true,"id":true,"rect":true,"size":true},"selector":"#a","viewport":false},` +
		`{"all":true,"fields":{"computedStyle":["color"],"dataset":true,"properties":["value"]},"selector":".b","viewport":false},` +
		`{"all":false,"fields":{"dataset":true,"id":true,"scrollOffset":true},"selector":"","viewport":true}]}`
	if got := jsonString(t, specOf(t, q)); got != want {
		t.Fatalf("spec\n got %s\nwant %s", got, want)
	}
	rect := `{"id":"a","dataset":{},"left":1,"right":11,"top":2,"bottom":22,"width":10,"height":20}`
	a.answer(t, q.ID, `[`+rect+`,[{"dataset":{"k":1}},{"dataset":{}}],{"id":"","dataset":{},"scrollLeft":0,"scrollTop":40,"scrollWidth":400,"scrollHeight":900}]`, "")
	if got := a.logs.waitConsole(t, "item0 "); got != "item0 "+rect {
		t.Errorf("item callback: %s", got)
	}
	if got := a.logs.waitConsole(t, "exec "); !strings.Contains(got, `"scrollTop":40`) || !strings.Contains(got, `[{"dataset":{"k":1}},{"dataset":{}}]`) {
		t.Errorf("exec callback: %s", got)
	}
	// A second answer to a one-shot question is ignored (no second exec line).
	a.answer(t, q.ID, `[null,[],null]`, "")
	a.sync(t)
	n := 0
	for _, l := range a.logs.console() {
		if strings.HasPrefix(l, "exec ") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("exec ran %d times", n)
	}
}

// A refused query (the host's error) still calls back, with null / [] results.
func TestSelectorQueryRefused(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	q := a.host.nextQuery(t)
	a.answer(t, q.ID, "", "256 queries are already waiting for the page")
	if got := a.logs.waitConsole(t, "exec "); got != "exec [null,[],null]" {
		t.Errorf("exec callback: %s", got)
	}
}

// wx.createSelectorQuery() runs in the page in front; in(component) moves the scope to
// the component; a component's own query is scoped to it. node() of a canvas goes
// through logic/js/canvas.js's hook with the owner instance and the page's description.
func TestSelectorQueryScopes(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	attachOne(t, a, "c1", "components/kid/kid", "", nil)

	a.event(t, "p1", "inComp", `{}`)
	q := a.host.nextQuery(t)
	if q.Owner != "c1" {
		t.Fatalf("in(component): owner %q, want c1", q.Owner)
	}
	a.answer(t, q.ID, `[{"id":"","dataset":{},"left":0,"right":5,"top":0,"bottom":5,"width":5,"height":5}]`, "")
	a.logs.waitConsole(t, "in [")

	a.event(t, "c1", "look", `{}`)
	if q := a.host.nextQuery(t); q.Owner != "c1" {
		t.Fatalf("a component's own query: owner %q", q.Owner)
	}

	a.event(t, "p1", "wxForm", `{}`)
	q = a.host.nextQuery(t)
	if q.Owner != "p1" || !strings.Contains(string(q.Spec), `"node":true`) {
		t.Fatalf("wx form: %+v %s", q, q.Spec)
	}
	a.answer(t, q.ID, `[{"node":{"tag":"canvas","id":"x","canvasId":"cv","nodeId":"n3","width":300,"height":150,"type":"2d"}}]`, "")
	got := a.logs.waitConsole(t, "node ")
	// The canvas helper's hook (logic/js/canvas.js) gives the page's one Canvas object.
	want := `node true 300x150 function`
	if got != want {
		t.Errorf("canvas node\n got %s\nwant %s", got, want)
	}
}

// An IntersectionObserver is a subscription: every notification reaches the callback,
// once per entry, until disconnect, which names the same id.
func TestIntersectionObserver(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "observe", `{}`)
	q := a.host.nextQuery(t)
	if q.Op != "observe" || q.Owner != "p1" {
		t.Fatalf("query %+v", q)
	}
	want := `{"all":true,"initialRatio":0,"relative":{"margins":{"bottom":50,"left":0,"right":0,"top":0},"viewport":true},"selector":".lazy","thresholds":[0,0.5]}`
	if got := jsonString(t, specOf(t, q)); got != want {
		t.Fatalf("spec\n got %s\nwant %s", got, want)
	}
	a.answer(t, q.ID, `[{"id":"i1","intersectionRatio":0.5},{"id":"i2","intersectionRatio":1}]`, "")
	a.logs.waitConsole(t, "seen i2 1")
	a.answer(t, q.ID, `[{"id":"i1","intersectionRatio":0}]`, "")
	a.logs.waitConsole(t, "seen i1 0")
	a.event(t, "p1", "stop", `{}`)
	d := a.host.nextQuery(t)
	if d.Op != "disconnect" || d.ID != q.ID || len(d.Spec) != 0 {
		t.Fatalf("disconnect %+v", d)
	}
	a.event(t, "p1", "observeWx", `{}`)
	if w := a.host.nextQuery(t); w.Owner != "p1" || !strings.Contains(string(w.Spec), `"thresholds":[1]`) || !strings.Contains(string(w.Spec), `"viewport":true`) {
		t.Errorf("wx.createIntersectionObserver(options): %+v %s", w, w.Spec)
	}
	a.answer(t, q.ID, `[{"id":"late","intersectionRatio":1}]`, "")
	a.sync(t)
	for _, l := range a.logs.console() {
		if strings.Contains(l, "late") {
			t.Errorf("a notification after disconnect reached the callback: %s", l)
		}
	}
}

func TestMediaQueryObserver(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "media", `{}`)
	q := a.host.nextQuery(t)
	if q.Op != "media" || string(q.Spec) != `{"minWidth":400,"orientation":"landscape"}` {
		t.Fatalf("query %+v %s", q, q.Spec)
	}
	a.answer(t, q.ID, `{"matches":true}`, "")
	a.logs.waitConsole(t, "media true")
	a.answer(t, q.ID, `{"matches":false}`, "")
	a.logs.waitConsole(t, "media false")
}

// wx.createAnimation records steps; export() gives WeChat's {actions} and starts over.
func TestCreateAnimationExport(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "anim", `{}`)
	got := a.logs.waitConsole(t, "export ")
	want := `export {"actions":[` +
		`{"animates":[{"type":"rotate","args":[45]},{"type":"style","args":["opacity",0.5]}],"option":{"transformOrigin":"50% 50% 0","transition":{"duration":300,"timingFunction":"ease","delay":0}}},` +
		`{"animates":[{"type":"translateX","args":[10]}],"option":{"transformOrigin":"50% 50% 0","transition":{"duration":100,"timingFunction":"ease","delay":0}}}]} {"actions":[]}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// this.animate and this.clearAnimation are one-shot questions; their callbacks run on
// the page's answer.
func TestAnimateCallbacks(t *testing.T) {
	a := queryApp(t)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "motion", `{}`)
	an := a.host.nextQuery(t)
	cl := a.host.nextQuery(t)
	if an.Op != "animate" || cl.Op != "clear" {
		t.Fatalf("ops %s %s", an.Op, cl.Op)
	}
	if got := string(an.Spec); got != `{"selector":"#box","keyframes":[{"opacity":1},{"opacity":0,"rotate":90}],"duration":200}` {
		t.Errorf("animate spec %s", got)
	}
	if got := string(cl.Spec); got != `{"selector":"#box","props":["opacity"]}` {
		t.Errorf("clear spec %s", got)
	}
	a.answer(t, an.ID, `{}`, "")
	a.logs.waitConsole(t, "animated")
	a.answer(t, cl.ID, `{}`, "")
	a.logs.waitConsole(t, "cleared")
}

// The questions of instances that ended are forgotten (their callbacks would keep the
// instance alive): a page observing in many components that come and go stays bounded.
func TestQueriesOfEndedInstancesAreForgotten(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({})`,
		"components/kid/kid.js": `Component({ lifetimes: { attached() {
			this.createIntersectionObserver().relativeToViewport().observe('.x', () => {});
		} } })`,
	}))
	a.launch(t, "pages/a/a")
	for i := 1; i <= 200; i++ {
		id := "c" + strconv.Itoa(i)
		attachOne(t, a, id, "components/kid/kid", "", nil)
		a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Detached: []string{id}})
	}
	a.sync(t)
	a.host.mu.Lock()
	n := len(a.host.queries)
	a.host.mu.Unlock()
	if n != 200 {
		t.Fatalf("%d observe queries sent, want 200", n)
	}
	got := a.rt.queryPending(t)
	t.Logf("%d questions pending after 200 components came and went", got)
	if got > 130 {
		t.Errorf("%d questions still pending after their 200 components ended", got)
	}
}

// queryPending is how many questions query.js keeps callbacks for.
func (r *Runtime) queryPending(t *testing.T) int {
	t.Helper()
	n := make(chan int, 1)
	if !r.loop.Enqueue(func() {
		v, err := r.fw.queryPending(goja.Undefined())
		if err != nil {
			t.Error(err)
		}
		n <- int(v.ToInteger())
	}) {
		t.Fatal("loop stopped")
	}
	return <-n
}
