package render

import (
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/render/wxml"
)

// pageEval runs body (a function body returning a JSON-encodable value) in the
// runtime window and returns its answer.
func pageEval(tb testing.TB, body string, out any) {
	tb.Helper()
	const id = 515151
	js := `(function () { var r; try { r = (function () {` + body + `})(); } catch (e) { r = {error: String(e)}; }
  window.__sf_post(JSON.stringify({v: 1, kind: "probeResult", payload: {id: 515151, ok: true, result: r}})); })();`
	if err := rtWin.Eval(js); err != nil {
		tb.Fatal(err)
	}
	for {
		select {
		case r := <-rtProbes:
			if r.ID != id {
				continue
			}
			if err := json.Unmarshal(r.Result, out); err != nil {
				tb.Fatalf("page answered %s: %v", r.Result, err)
			}
			return
		case <-time.After(20 * time.Second):
			tb.Fatal("the page did not answer")
		}
	}
}

// watchRows keeps the rows' element and text nodes, the vnodes the runtime patched
// them from (el.__sfNode), and starts recording every DOM
// mutation under the page.
const watchRows = `
var page = document.querySelector('page[data-page="p1"]');
window.__memoRows = Array.prototype.slice.call(page.querySelectorAll(".row"));
window.__memoTexts = window.__memoRows.map(function (r) { return r.firstChild; });
window.__memoVnodes = window.__memoRows.map(function (r) { return r.__sfNode; });
window.__memoMuts = [];
window.__memoObs = new MutationObserver(function (ms) { window.__memoMuts.push.apply(window.__memoMuts, ms); });
window.__memoObs.observe(page, {subtree: true, childList: true, attributes: true, characterData: true});
return window.__memoRows.length;`

// checkRows reports how many rows (and their text nodes) are the very nodes kept by
// watchRows, and the mutations recorded since.
const checkRows = `
var page = document.querySelector('page[data-page="p1"]');
var rows = Array.prototype.slice.call(page.querySelectorAll(".row"));
var muts = window.__memoMuts.concat(window.__memoObs.takeRecords());
window.__memoObs.disconnect();
var kinds = {};
muts.forEach(function (m) { kinds[m.type] = (kinds[m.type] || 0) + 1; });
var changed = muts.filter(function (m) { return m.type === "characterData"; }).map(function (m) {
  return window.__memoTexts.indexOf(m.target) + "=" + m.target.data;
});
return {
  rows: rows.length,
  sameRows: rows.filter(function (r, i) { return r === window.__memoRows[i]; }).length,
  sameTexts: rows.filter(function (r, i) { return r.firstChild === window.__memoTexts[i]; }).length,
  sameVnodes: rows.filter(function (r, i) { return r.__sfNode === window.__memoVnodes[i]; }).length,
  kinds: kinds, changed: changed.slice(0, 5), text500: rows[500] && rows[500].textContent
};`

type rowsCheck struct {
	Rows, SameRows, SameTexts int
	SameVnodes                int
	Kinds                     map[string]int
	Changed                   []string
	Text500                   string
	Error                     string
}

// TestOneFieldUpdateTouchesOneText: setData({'list[500].title': …}) on 1000 rows
// leaves every row's element and text node the same node, re-renders none of the
// other rows (their vnodes are kept), and the DOM sees exactly one change: that text. A whole new list with the same keys keeps every node and
// changes only the texts.
func TestOneFieldUpdateTouchesOneText(t *testing.T) {
	setupRuntime(t)
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: listDiff(1000, -2)}})
	var n int
	pageEval(t, watchRows, &n)
	if n != 1000 {
		t.Fatalf("the page shows %d rows, want 1000", n)
	}
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(`{"list[500].title":"changed"}`)}})
	var c rowsCheck
	pageEval(t, checkRows, &c)
	if c.Error != "" {
		t.Fatal(c.Error)
	}
	if c.Rows != 1000 || c.SameRows != 1000 || c.SameTexts != 1000 {
		t.Errorf("after a one-field update: %d rows, %d the same elements, %d the same text nodes; want 1000 of each", c.Rows, c.SameRows, c.SameTexts)
	}
	// Rows no data path reached were neither rebuilt nor patched: their vnodes are
	// those of the render before.
	if c.SameVnodes != 999 {
		t.Errorf("%d rows kept their vnode, want 999 (all but row 500)", c.SameVnodes)
	}
	if len(c.Kinds) != 1 || c.Kinds["characterData"] != 1 || len(c.Changed) != 1 || c.Changed[0] != "500=changed" {
		t.Errorf("the DOM saw %v (%v), want one characterData change of row 500", c.Kinds, c.Changed)
	}

	pageEval(t, watchRows, &n)
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: listDiff(1000, -3)}})
	pageEval(t, checkRows, &c)
	if c.Rows != 1000 || c.SameRows != 1000 || c.SameTexts != 1000 {
		t.Errorf("after a list replaced with the same keys: %d rows, %d the same elements, %d the same text nodes; want 1000 of each", c.Rows, c.SameRows, c.SameTexts)
	}
	if len(c.Kinds) != 1 || c.Kinds["characterData"] != 1000 || c.Text500 != "row 500/-3" {
		t.Errorf("the DOM saw %v, row 500 shows %q; want 1000 characterData changes and \"row 500/-3\"", c.Kinds, c.Text500)
	}
}

// TestListOfComponentsUpdatesOneInstance: components in a keyed list, each given a
// property from its row. A one-field update reaches the one instance of that row: its
// text changes, and every other instance keeps its host vnode (not re-rendered, no
// property update) and its text node.
func TestListOfComponentsUpdatesOneInstance(t *testing.T) {
	setupRuntime(t)
	defer restoreBenchPage(t)
	page, _, err := wxml.Compile(fstest.MapFS{"pages/c/c.wxml": {Data: []byte(
		`<item-row wx:for="{{list}}" wx:key="id" title="{{item.title}}" class="r"/>`)}}, "pages/c/c.wxml")
	if err != nil {
		t.Fatal(err)
	}
	row, _, err := wxml.Compile(fstest.MapFS{"components/row/row.wxml": {Data: []byte(`<text class="t">{{title}}</text>`)}}, "components/row/row.wxml")
	if err != nil {
		t.Fatal(err)
	}
	init, _ := bridge.NewEnvelope(bridge.KindInit, map[string]any{
		"app": map[string]any{"id": "bench", "window": map[string]any{}}, "css": "",
		"pages": map[string]any{"pages/c/c": map[string]any{"template": page, "css": "", "window": map[string]any{},
			"components": map[string]any{"item-row": "components/row/row"}}},
		"components": map[string]any{"components/row/row": map[string]any{"template": row, "css": "",
			"properties": map[string]any{"title": map[string]any{"type": "String"}}}},
		"images": map[string]any{},
		"system": map[string]any{"windowWidth": 320, "windowHeight": 240, "pixelRatio": 1},
	})
	rtWin.Send(init)
	pushWait(t, []bridge.RenderOp{
		{Op: "mount", Page: "p1", Route: "pages/c/c", Data: json.RawMessage(`{"list":[{"id":1,"title":"a"},{"id":2,"title":"b"},{"id":3,"title":"c"},{"id":4,"title":"d"}]}`)},
		{Op: "show", Page: "p1"},
	})
	const keep = `
var hosts = Array.prototype.slice.call(document.querySelectorAll('page[data-page="p1"] .r'));
window.__memoHosts = hosts;
window.__memoHostNodes = hosts.map(function (h) { return h.__sfNode; });
window.__memoHostTexts = hosts.map(function (h) { return h.querySelector(".t").firstChild; });
return hosts.map(function (h) { return h.textContent; }).join(",");`
	var shown string
	pageEval(t, keep, &shown)
	if shown != "a,b,c,d" {
		t.Fatalf("the page shows %q, want a,b,c,d", shown)
	}
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(`{"list[2].title":"C"}`)}})
	var got struct {
		Shown                           string
		SameHosts, SameNodes, SameTexts []bool
	}
	pageEval(t, `
var hosts = Array.prototype.slice.call(document.querySelectorAll('page[data-page="p1"] .r'));
return {
  shown: hosts.map(function (h) { return h.textContent; }).join(","),
  sameHosts: hosts.map(function (h, i) { return h === window.__memoHosts[i]; }),
  sameNodes: hosts.map(function (h, i) { return h.__sfNode === window.__memoHostNodes[i]; }),
  sameTexts: hosts.map(function (h, i) { return h.querySelector(".t").firstChild === window.__memoHostTexts[i]; })
};`, &got)
	if got.Shown != "a,b,C,d" {
		t.Errorf("the page shows %q, want a,b,C,d", got.Shown)
	}
	if fmt.Sprint(got.SameHosts) != "[true true true true]" || fmt.Sprint(got.SameTexts) != "[true true true true]" {
		t.Errorf("hosts kept %v, text nodes kept %v; want every one", got.SameHosts, got.SameTexts)
	}
	if fmt.Sprint(got.SameNodes) != "[true true false true]" {
		t.Errorf("host vnodes kept %v, want all but row 3's", got.SameNodes)
	}
}

// restoreBenchPage puts back the benchmarks' init and page p1 (empty list).
func restoreBenchPage(t *testing.T) { mountBenchPage(t) }
