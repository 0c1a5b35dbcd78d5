package assets

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// memoHarness renders a template the way owners.js renderOwner does (memoBegin, the
// owner's kept memo, its dirty roots and paths), applies setData diffs as applyData
// does, and compares every render with a fresh build of the same data without memo.
const memoHarness = `
function memoNorm(vs) {
  return JSON.stringify(vs, function (k, x) { return k === "fresh" || k === "dom" || k === "inst" ? undefined : x; });
}
function memoFreshBuild(template, data) {
  var ctx = { owner: "p1", template: template, components: {}, compDefs: {}, rpx: 0.5, dirty: null, styleScope: "p", ownerScope: "p", selfScope: "p" };
  return buildTree(ctx, data);
}
var memoOwner = null;
function memoRender() {
  var o = memoOwner;
  var ctx = { owner: "p1", template: o.template, components: {}, compDefs: {}, rpx: 0.5, dirty: o.dirty, styleScope: "p", ownerScope: "p", selfScope: "p" };
  var memo = ctx.memo = memoBegin(o.memo, ctx, o.dirtyPaths);
  var tree = buildTree(ctx, o.data);
  o.memo = { sig: memo.sig, template: memo.template, lists: memo.lists };
  o.dirty = new Set();
  o.dirtyPaths = [];
  o.old = o.tree;
  o.tree = tree;
}
function memoStart(template, data) {
  if (typeof data === "string") data = JSON.parse(data); // JSON text keeps key order
  memoOwner = { template: template, data: data, memo: null, dirty: null, dirtyPaths: null, tree: [] };
  memoRender();
  return memoCheck();
}
// memoSet applies one setData diff and re-renders; the result says whether the render
// equals a fresh build, and how many vnodes (at every depth) are the very objects of
// the render before.
function memoSet(diff) {
  var o = memoOwner;
  if (typeof diff === "string") diff = JSON.parse(diff);
  Object.keys(diff).forEach(function (p) {
    var keys = setPath(o.data, p, diff[p]);
    o.dirty.add(String(keys[0]));
    o.dirtyPaths.push(keys);
  });
  memoRender();
  return memoCheck();
}
// memoResetList sets list anew to a copy of itself (as logic's setData({list:
// this.data.list.concat(more)}) does), with item at changed (if any) retitled and
// one more item when add is set.
function memoResetList(changed, add) {
  var list = JSON.parse(JSON.stringify(memoOwner.data.list || []));
  if (changed >= 0 && changed < list.length && isObject(list[changed])) list[changed].title = "changed " + changed;
  if (add) list.push({ id: 500 + list.length, title: "added", tags: ["t"] });
  return memoSet({ list: list });
}
function memoCheck() {
  var o = memoOwner, fresh = memoNorm(memoFreshBuild(o.template, o.data)), got = memoNorm(o.tree);
  var before = new Set(), same = 0, total = 0;
  (function walk(vs) { vs.forEach(function (v) { before.add(v); walk(v.children || []); walk(v.content || []); }); })(o.old || []);
  (function walk(vs) { vs.forEach(function (v) { total++; if (before.has(v)) same++; walk(v.children || []); walk(v.content || []); }); })(o.tree);
  return { equal: fresh === got, same: same, total: total, got: got.length < 400 ? got : got.slice(0, 400), fresh: fresh.length < 400 ? fresh : fresh.slice(0, 400) };
}
`

type memoStep struct {
	diff string // a setData diff, JSON
	same int    // vnodes kept from the render before (-1: do not check)
}

type memoResult struct {
	Equal       bool
	Same, Total int
	Got, Fresh  string
}

func memoEnv(t *testing.T) *jsEnv {
	env := newJSEnv(t)
	if _, err := env.vm.RunString(memoHarness); err != nil {
		t.Fatal(err)
	}
	return env
}

func memoCall(t *testing.T, env *jsEnv, fn string, args ...any) memoResult {
	t.Helper()
	raw, err := env.call(fn, args...)
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	var r memoResult
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatalf("%s answered %s", fn, raw)
	}
	return r
}

func rows(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestMemoKeepsUnreachedItems(t *testing.T) {
	list10 := rows(10, func(i int) string { return fmt.Sprintf(`{"id":%d,"title":"r%d","x":false}`, i, i) })
	tests := []struct {
		name  string
		wxml  string
		files map[string]string
		data  string
		steps []memoStep
	}{
		// Each row is one element and one text: 2 vnodes; #n is 2 more (always rebuilt).
		{"one field of one row", `<view id="n">{{n}}</view><view wx:for="{{list}}" wx:key="id" class="row">{{item.title}}</view>`, nil,
			`{"n":1,"list":` + list10 + `}`,
			[]memoStep{{`{"list[5].title":"five"}`, 18}, {`{"n":2}`, 20}, {`{"list[5]":{"id":5,"title":"V"}}`, 18}, {`{"list[0].title":"a","list[9].title":"b"}`, 16}}},
		{"list replaced, spliced, appended by path", `<view wx:for="{{list}}" wx:key="id">{{index}}:{{item.title}}</view>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list":` + rows(9, func(i int) string { return fmt.Sprintf(`{"id":%d,"title":"r%d"}`, i+1, i+1) }) + `}`, 0},
				{`{"list[9]":{"id":42,"title":"new"}}`, 18}, {`{"list[3].title":"t"}`, 18}, {`{"list[12]":{"id":43,"title":"pad"}}`, -1}, {`{"list[10].title":"null row now"}`, -1}}},
		{"nested path list", `<view wx:for="{{a.b.list}}" wx:key="id">{{item.title}}</view>`, nil,
			`{"a":{"b":{"list":` + list10 + `},"c":1}}`,
			[]memoStep{{`{"a.b.list[1].title":"x"}`, 18}, {`{"a.c":2}`, 20}, {`{"a.b.other":2}`, 20}, {`{"a.b":{"list":[{"id":1,"title":"only"}]}}`, 0}, {`{"a":{"b":{"list":[{"id":1,"title":"only"}]}}}`, 2}}},
		{"list set anew keeps equal items", `<view wx:for="{{list}}" wx:key="id">{{index}}:{{item.title}}<text wx:for="{{item.o}}" wx:for-item="v">{{index}}={{v}}</text></view>`, nil,
			`{"list":[{"id":1,"title":"a","o":{"x":1,"y":2}},{"id":2,"title":"b","o":{}}]}`,
			[]memoStep{
				// list.concat(more): both old rows kept (6 and 2 vnodes).
				{`{"list":[{"id":1,"title":"a","o":{"x":1,"y":2}},{"id":2,"title":"b","o":{}},{"id":3,"title":"c","o":{}}]}`, 8},
				// The same keys in another order render differently: row 1 rebuilt.
				{`{"list":[{"id":1,"title":"a","o":{"y":2,"x":1}},{"id":2,"title":"b","o":{}},{"id":3,"title":"c","o":{}}]}`, 4},
				// A row changed in place, then the list set with that change: nothing
				// kept by equality (row 2's vnodes were built before its change).
				{`{"list[1].title":"B","list":[{"id":1,"title":"a","o":{"y":2,"x":1}},{"id":2,"title":"B","o":{}},{"id":3,"title":"c","o":{}}]}`, 0},
				{`{"list[1].title":"b","list":[{"id":1,"title":"a","o":{"y":2,"x":1}},{"id":2,"title":"b","o":{}},{"id":3,"title":"c","o":{}}]}`, 0},
				// Equal rows at other positions show another index: rebuilt.
				{`{"list":[{"id":0,"title":"z","o":{}},{"id":1,"title":"a","o":{"y":2,"x":1}},{"id":2,"title":"b","o":{}},{"id":3,"title":"c","o":{}}]}`, 0},
				{`{"list":[{"id":0,"title":"z","o":{}},{"id":1,"title":"a","o":{"y":2,"x":1}},{"id":2,"title":"b","o":{}},{"id":3,"title":"c","o":{}}],"other":1}`, 12},
			}},
		{"body reads the list itself", `<view wx:for="{{list}}" wx:key="id">{{item.title}}/{{list.length}}</view>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[10]":{"id":10,"title":"more"}}`, 0}, {`{"list[2].title":"z"}`, 0}}},
		{"body reads another root", `<view wx:for="{{list}}" wx:key="id" class="{{sel === index ? 'on' : ''}}">{{item.title}}</view>`, nil,
			`{"sel":1,"list":` + list10 + `}`,
			[]memoStep{{`{"sel":2}`, 0}, {`{"list[4].title":"q"}`, 18}, {`{"other":1}`, 20}}},
		{"object list", `<view wx:for="{{obj}}" wx:key="*this">{{index}}={{item}}</view>`, nil,
			`{"obj":{"a":"1","b":"2","c":"3"}}`,
			[]memoStep{{`{"obj.b":"two"}`, 4}, {`{"obj.z":"26"}`, 6}, {`{"obj":{"c":"3","a":"1"}}`, 4}}},
		{"no wx:key and *this", `<text wx:for="{{words}}">{{item}}</text><text wx:for="{{words}}" wx:key="*this">{{item}}</text>`, nil,
			`{"words":["a","b","c"]}`,
			[]memoStep{{`{"words[1]":"B"}`, 8}, {`{"words[3]":"d"}`, 12}}},
		{"wx:key changes and duplicates", `<view wx:for="{{list}}" wx:key="id">{{item.title}}</view>`, nil,
			`{"list":[{"id":1,"title":"a"},{"id":1,"title":"b"},{"id":2,"title":"c"}]}`,
			[]memoStep{{`{"list[2].title":"C"}`, -1}, {`{"list[1].id":7}`, -1}, {`{"list[0].id":2}`, -1}, {`{"list[2].title":"c2"}`, -1}}},
		{"WXS call in the body is never kept", `<wxs module="m">module.exports.f = function (x) { return x + "!"; };</wxs><view wx:for="{{list}}" wx:key="id">{{m.f(item.title)}}</view>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[3].title":"w"}`, 0}}},
		{"template in the body", `<template name="row"><text>{{title}}</text></template><block wx:for="{{list}}" wx:key="id"><template is="row" data="{{...item}}"/></block>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[3].title":"w"}`, 18}, {`{"list":[]}`, 0}}},
		{"template whose body calls WXS", `<wxs module="m">module.exports.f = function (x) { return x + "!"; };</wxs><template name="row"><text>{{m.f(title)}}</text></template><block wx:for="{{list}}" wx:key="id"><template is="row" data="{{...item}}"/></block>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[3].title":"w"}`, 0}}},
		{"templates using templates", `<template name="cell"><text>{{v}}</text></template><template name="row"><view><template is="cell" data="{{v: title}}"/></view></template><block wx:for="{{list}}" wx:key="id"><template is="row" data="{{...item}}"/></block>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[3].title":"w"}`, 27}}},
		{"template using a template that calls WXS", `<wxs module="m">module.exports.f = function (x) { return x + "!"; };</wxs><template name="cell"><text>{{m.f(v)}}</text></template><template name="row"><view><template is="cell" data="{{v: title}}"/></view></template><block wx:for="{{list}}" wx:key="id"><template is="row" data="{{...item}}"/></block>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[3].title":"w"}`, 0}}},
		{"nested loops", `<view wx:for="{{groups}}" wx:for-item="g" wx:for-index="gi"><text wx:for="{{g.items}}">{{gi}}.{{index}}={{item}}</text></view>`, nil,
			`{"groups":[{"items":["a","b"]},{"items":["c","d"]},{"items":["e"]}]}`,
			// Group 1 is rebuilt (its inner loop's list is a loop variable: all of it);
			// groups 0 and 2 are kept whole (5 and 3 vnodes).
			[]memoStep{{`{"groups[1].items[0]":"C"}`, 8}, {`{"groups[1].items[2]":"x"}`, 8}, {`{"groups[2]":{"items":[]}}`, 12}}},
		{"items of changing size", `<block wx:for="{{list}}" wx:key="id"><view>{{item.title}}</view><view wx:if="{{item.x}}">x{{item.id}}</view></block>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[1].x":true}`, 18}, {`{"list[2].title":"t"}`, 20}, {`{"list[1].x":false,"list[8].x":true}`, 16}, {`{"list[9].title":"last"}`, 20}, {`{"list[0].x":true}`, 20}}},
		{"two loops over one list", `<view wx:for="{{list}}" wx:key="id">{{item.title}}</view><text wx:for="{{list}}">{{index}}</text>`, nil,
			`{"list":` + list10 + `}`,
			// The index-only loop rebuilds item 2 too: a path below an item reaches all of it.
			[]memoStep{{`{"list[2].title":"z"}`, 36}}},
		{"loop variable shadowing a data root", `<view wx:for="{{list}}" wx:key="id"><text wx:for="{{item.tags}}" wx:for-item="sel">{{sel}}</text>{{sel}}</view>`, nil,
			`{"sel":"S","list":[{"id":1,"tags":["a"]},{"id":2,"tags":["b"]}]}`,
			[]memoStep{{`{"sel":"T"}`, 0}, {`{"list[1].tags[0]":"c"}`, 4}}},
		{"model and live attribute in rows", `<input wx:for="{{list}}" wx:key="id" value="{{item.title}}"/>`, nil,
			`{"list":` + list10 + `}`,
			[]memoStep{{`{"list[5].title":"five"}`, 9}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := memoEnv(t)
			r := memoCall(t, env, "memoStart", compileWXML(t, tc.wxml, tc.files), tc.data)
			if !r.Equal {
				t.Fatalf("first render differs:\n got %s\nwant %s", r.Got, r.Fresh)
			}
			for i, st := range tc.steps {
				r = memoCall(t, env, "memoSet", st.diff)
				if !r.Equal {
					t.Fatalf("step %d %s: render differs from a fresh build:\n got %s\nwant %s", i, st.diff, r.Got, r.Fresh)
				}
				if st.same >= 0 && r.Same != st.same {
					t.Errorf("step %d %s: %d of %d vnodes kept, want %d", i, st.diff, r.Same, r.Total, st.same)
				}
			}
		})
	}
}

// TestMemoRandomSetData applies random setData paths to a page with lists, nested
// lists, objects and templates, and holds every render to a fresh build.
func TestMemoRandomSetData(t *testing.T) {
	const src = `<view id="top">{{title}}</view>
<template name="cell"><text class="c">{{label}}</text></template>
<view wx:for="{{list}}" wx:key="id" class="row {{item.on ? 'on' : ''}}" data-id="{{item.id}}">
  <text>{{index}}:{{item.title}}</text>
  <text wx:if="{{item.on}}">on</text>
  <block wx:for="{{item.tags}}" wx:for-item="tag"><template is="cell" data="{{label: tag}}"/></block>
</view>
<view wx:for="{{groups.a}}">{{item}}</view>
<view wx:for="{{map}}" wx:key="*this">{{index}}/{{item}}</view>
<view wx:for="{{list}}" wx:key="*this">{{item.title}}</view>`
	tpl := compileWXML(t, src, nil)
	rng := rand.New(rand.NewSource(13))
	env := memoEnv(t)
	data := map[string]any{"title": "t", "list": []any{}, "groups": map[string]any{"a": []any{1, 2}}, "map": map[string]any{"x": "1"}}
	for i := 0; i < 6; i++ {
		data["list"] = append(data["list"].([]any), map[string]any{"id": i, "title": fmt.Sprint("r", i), "on": i%2 == 0, "tags": []any{"a"}})
	}
	if r := memoCall(t, env, "memoStart", tpl, data); !r.Equal {
		t.Fatalf("first render differs")
	}
	for step := 0; step < 400; step++ {
		n := 6 + rng.Intn(3)
		var path string
		var value any
		switch rng.Intn(12) {
		case 0:
			path, value = "title", fmt.Sprint("t", step)
		case 1:
			path, value = fmt.Sprintf("list[%d].title", rng.Intn(n)), fmt.Sprint("s", step)
		case 2:
			path, value = fmt.Sprintf("list[%d].on", rng.Intn(n)), rng.Intn(2) == 0
		case 3:
			path, value = fmt.Sprintf("list[%d].tags[%d]", rng.Intn(n), rng.Intn(3)), fmt.Sprint("g", step)
		case 4:
			path, value = fmt.Sprintf("list[%d].id", rng.Intn(n)), rng.Intn(8)
		case 5:
			path, value = fmt.Sprintf("list[%d]", rng.Intn(n+1)), map[string]any{"id": 100 + step, "title": "fresh", "tags": []any{}}
		case 6:
			items := []any{}
			for j := 0; j < 3+rng.Intn(6); j++ {
				items = append(items, map[string]any{"id": rng.Intn(10), "title": fmt.Sprint("n", j), "on": j%3 == 0, "tags": []any{"z"}})
			}
			path, value = "list", items
		case 7:
			path, value = fmt.Sprintf("groups.a[%d]", rng.Intn(4)), step
		case 8:
			path, value = "groups", map[string]any{"a": []any{"q"}}
		case 9:
			path, value = fmt.Sprintf("map.k%d", rng.Intn(4)), fmt.Sprint(step)
		case 10:
			path, value = "map", map[string]any{"b": "2", "a": "1"}
		case 11:
			path, value = fmt.Sprintf("list[%d].tags", rng.Intn(n)), []any{"x", "y"}
		}
		var r memoResult
		switch rng.Intn(6) {
		case 0:
			r = memoCall(t, env, "memoResetList", rng.Intn(n+1)-1, rng.Intn(2) == 0)
			path = "list (set anew)"
		default:
			r = memoCall(t, env, "memoSet", map[string]any{path: value})
		}
		if !r.Equal {
			t.Fatalf("step %d %s=%v: render differs from a fresh build:\n got %s\nwant %s", step, path, value, r.Got, r.Fresh)
		}
	}
}
