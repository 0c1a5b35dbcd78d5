package assets

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/render/wxml"
)

// compileWXML compiles pages/a/a.wxml with the other files given, as the host does,
// and returns the template as the runtime receives it.
func compileWXML(t *testing.T, src string, files map[string]string) any {
	t.Helper()
	fsys := fstest.MapFS{"pages/a/a.wxml": {Data: []byte(src)}}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	tpl, _, err := wxml.Compile(fsys, "pages/a/a.wxml")
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	raw, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// buildWXML compiles and builds a template; it returns the summary and what was logged.
func buildWXML(t *testing.T, env *jsEnv, src string, files map[string]string, data map[string]any) (string, string) {
	t.Helper()
	if _, err := env.vm.RunString("logged.length = 0"); err != nil {
		t.Fatal(err)
	}
	got, err := env.call("build", compileWXML(t, src, files), data)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	logs, err := env.run("logged.join('\\n')")
	if err != nil {
		t.Fatal(err)
	}
	return decodeString(t, got), decodeString(t, logs)
}

const fmtWXS = `
var num = require('../lib/num.wxs');
function price(p) {
  switch (typeof p) {
    case 'number': return '¥' + num.fixed(p, 2);
    default: return '-';
  }
}
module.exports = { price: price, count: 0 };
module.exports.cls = function (s) {
  try { return s.done ? 'done' : 'todo'; } catch (e) { return 'err:' + e.message; }
};
`

const numWXS = `
module.exports = {
  fixed: function (n, d) { return n.toFixed(d); },
  half: function (w) { var x = w; x /= 2; return x >>> 0; }
};
`

func TestWXSInTemplates(t *testing.T) {
	files := map[string]string{"utils/fmt.wxs": fmtWXS, "lib/num.wxs": numWXS}
	tests := []struct {
		name string
		src  string
		data map[string]any
		want string
	}{
		{"text and src from the app root",
			`<wxs module="fmt" src="/utils/fmt.wxs"/><view>{{fmt.price(p)}} {{fmt.price('x')}}</view>`,
			map[string]any{"p": 3.5}, `view("¥3.50 -")`},
		{"relative src, class and style",
			`<wxs module="fmt" src="../../utils/fmt.wxs"></wxs><wxs module="n" src="../../lib/num.wxs"/>` +
				`<view class="a {{fmt.cls(s)}}" style="width: {{n.half(w)}}px"/>`,
			map[string]any{"s": map[string]any{"done": true}, "w": 101}, `view{"class":"a done","style":"width: 50px"}()`},
		{"try/catch turns a WXS error into a value",
			`<wxs module="fmt" src="/utils/fmt.wxs"/><view>{{fmt.cls(nothing)}}</view>`,
			nil, `view("err:cannot read property \"done\" of undefined")`},
		{"inline module after its use, wx:if and wx:for",
			`<view wx:for="{{m.range(3)}}" wx:if="{{m.odd(item)}}">{{item}}</view>
<wxs module="m">
function range(n) { var out = []; for (var i = 0; i < n; i++) out.push(i); return out; }
module.exports = { range: range, odd: function (x) { return x % 2 === 1; } };
</wxs>`, nil, `view("1")`},
		{"closures, arguments, for-in, while, do, switch fallthrough",
			`<wxs module="m">
function counter() { var n = 0; return function () { n++; return n; }; }
function sum() { var s = 0; for (var i = 0; i < arguments.length; i++) s += arguments[i]; return s; }
function keys(o) { var ks = []; for (var k in o) ks.push(k + '=' + o[k]); return ks.join(','); }
function loops() { var i = 0, j = 0; while (i < 3) i++; do { j++; } while (j < 0); return i * 10 + j; }
function sw(x) { var r = ''; switch (x) { case 1: r += 'a'; case 2: r += 'b'; break; default: r += 'z'; } return r; }
module.exports = { all: function (o) { var c = counter(); c(); return [c(), sum(1, 2, 3), keys(o), loops(), sw(1), sw(2), sw(9)].join('|'); } };
</wxs><view>{{m.all(obj)}}</view>`,
			map[string]any{"obj": map[string]any{"a": 1}}, `view("2|6|a=1|31|ab|b|z")`},
		{"library: Math, JSON, getRegExp, getDate, string and array methods",
			`<wxs module="m">
module.exports.f = function (s, list) {
  var re = getRegExp('(\\d+)-(\\d+)', 'g');
  var d = getDate(2024, 0, 31);
  return [
    Math.max(1, 5, 3), Math.floor(2.7), JSON.stringify({a: [1, 'x']}), JSON.parse('{"b":2}').b,
    s.replace(re, '$2/$1'), re.test('1-2'), s.toUpperCase().split('-').length,
    d.getFullYear() + '/' + (d.getMonth() + 1) + '/' + d.getDate(),
    list.map(function (x) { return x * 2; }).filter(function (x) { return x > 2; }).join(','),
    list.slice().sort(function (a, b) { return b - a; })[0], (1.005).toFixed(1), parseInt('42px'),
    encodeURIComponent('a b'), 'abc'.indexOf('c'), 'a,b'.split(',').length, typeof s, typeof list.map,
    list.constructor, s.constructor, ({}).constructor, f.constructor, (3).constructor, getDate().constructor, re.constructor
  ].join(' ');
};
function f() {}
</wxs><text>{{m.f('10-20 3-4', list)}}</text>`,
			map[string]any{"list": []any{1, 2, 3}},
			`text("5 2 {\"a\":[1,\"x\"]} 2 20/10 4/3 true 3 2024/1/31 4,6 3 1.0 42 a%20b 2 2 string undefined Array String Object Function Number Date RegExp")`},
		{"require cycle gets the exports so far",
			`<wxs module="a" src="/c/a.wxs"/><view>{{a.v}} {{a.b()}}</view>`,
			nil, `view("A B:A")`},
		{"module state is a singleton",
			`<wxs module="m">var n = 0; module.exports.next = function () { n++; return n; };</wxs><view>{{m.next()}}{{m.next()}}</view>`,
			nil, `view("12")`},
		{"WXS does not change the page's data",
			`<wxs module="m">module.exports.f = function (o) { o.x = 2; o.list.push(9); return o.x + o.list.length; };</wxs><view>{{m.f(d)}} {{d.x}} {{d.list.length}}</view>`,
			map[string]any{"d": map[string]any{"x": 1, "list": []any{1}}}, `view("4 1 1")`},
		{"JSON as WeChat documents it",
			`<wxs module="m">module.exports.f = function () { return [JSON.stringify() === undefined, JSON.parse(JSON.stringify()) === undefined, JSON.stringify(function () {}) === undefined, JSON.stringify({a: 1, f: function () {}}), ({}).toString()].join(); };</wxs><view>{{m.f()}}</view>`,
			nil, `view("true,true,true,{\"a\":1},[object Object]")`},
		{"what WXS made passes back into WXS as it is",
			`<wxs module="m">module.exports = { d: function () { return getDate(2020, 5, 1); }, y: function (d) { return d.getFullYear(); }, twice: function (f, x) { return f(f(x)); }, inc: function (x) { return x + 1; } };</wxs><view>{{m.y(m.d())}} {{m.twice(m.inc, 1)}}</view>`,
			nil, `view("2020 3")`},
		{"component properties",
			`<wxs module="m">module.exports.up = function (s) { return s.toUpperCase(); };</wxs><view title="{{m.up(t)}}"/>`,
			map[string]any{"t": "hi"}, `view{"title":"HI"}()`},
	}
	cycle := map[string]string{
		"c/a.wxs": "module.exports.v = 'A'; var b = require('./b.wxs'); module.exports.b = b.f;",
		"c/b.wxs": "var a = require('./a.wxs'); module.exports.f = function () { return 'B:' + a.v; };",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newJSEnv(t)
			all := map[string]string{}
			for k, v := range files {
				all[k] = v
			}
			for k, v := range cycle {
				all[k] = v
			}
			got, logs := buildWXML(t, env, tt.src, all, tt.data)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s\nlogged: %s", got, tt.want, logs)
			}
		})
	}
}

// TestWXSContainment checks that WXS reaches nothing but its own values: no
// prototypes, no constructors, no globals, and that what it refuses is an error that
// leaves the rest of the page rendered.
func TestWXSContainment(t *testing.T) {
	tests := []struct {
		name, code string
		want       string // the text rendered, or "" when the node must fail
		log        string // what the failure must say
	}{
		{"constructor is a type name", `return [({}).constructor.constructor, 'x'.constructor.length].join()`, "String,6", ""},
		{"no __proto__ write", `var o = {}; o['__proto__'] = {polluted: 1}; return 'no'`, "", `cannot set property __proto__`},
		{"no __proto__ read", `var o = {}; return typeof o.__proto__`, "undefined", ""},
		{"no prototype chain through methods", `return typeof 'x'.toUpperCase`, "undefined", ""},
		{"no constructor key write", `var o = {}; o.constructor = 1; return 1`, "", `cannot set property constructor`},
		{"no object literal __proto__", `var o = {__proto__: null}; return 1`, "", `cannot set property __proto__`},
		{"no globals", `return globalThis`, "", `globalThis is not defined`},
		{"no Function", `return Function('return 1')()`, "", `Function is not defined`},
		{"no eval", `return eval('1')`, "", `eval is not defined`},
		{"no methods of Object.prototype", `var o = {}; return o.valueOf()`, "", `Object has no method "valueOf"`},
		{"library objects are read-only", `Math.max = 1; return 1`, "", `cannot set property "max" of Object`},
		{"functions have no properties", `var f = function () {}; return typeof f.call`, "undefined", ""},
		{"JSON.parse drops __proto__", `var o = JSON.parse('{"__proto__": {"x": 1}, "a": 2}'); return typeof o.__proto__ + o.a`, "undefined2", ""},
		{"strings are bounded", `var s = 'x'; for (var i = 0; i < 40; i++) s = s + s; return s.length`, "", `string longer than`},
		{"what a run makes is bounded", `var keep = [], s = 'x'; for (var i = 0; i < 23; i++) s = s + s; for (var j = 0; j < 100; j++) keep.push(s + j); return keep.length`, "", `made more than 67108864 characters and elements`},
		{"a long list built with push is fine", `var a = []; for (var i = 0; i < 100000; i++) a.push(i); a.sort(); return a.length`, "100000", ""},
		{"arrays are bounded", `var a = []; a[1e9] = 1; return 1`, "", `array longer than`},
		{"recursion is bounded", `function f() { return f(); } return f()`, "", `WXS calls nest deeper than 200`},
		{"throw is an error of the module", `throw 'boom'`, "", `WXS module "m" (pages/a/a.wxml):2: boom`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newJSEnv(t)
			src := "<wxs module=\"m\">\nmodule.exports.f = function () { " + tt.code + " };\n</wxs><view>{{m.f()}}</view><text>alive</text>"
			got, logs := buildWXML(t, env, src, nil, nil)
			want := `view("` + tt.want + `"),text("alive")`
			if tt.want == "" {
				want = `view(),text("alive")` // the failing text is left out, nothing else
			}
			if got != want {
				t.Errorf("got  %s\nwant %s\nlogged: %s", got, want, logs)
			}
			if tt.log != "" && !strings.Contains(logs, tt.log) {
				t.Errorf("logged %q, want it to mention %q", logs, tt.log)
			}
			polluted, err := env.run("[({}).polluted, Object.prototype.x, typeof Object.prototype.max]")
			if err != nil || polluted != `["<undefined>","<undefined>","undefined"]` {
				t.Errorf("Object.prototype changed: %s %v", polluted, err)
			}
		})
	}
}

// TestWXSStepBudget: a loop that never ends is stopped with an error naming the module
// and line, the rest of the page renders, and a wx:for of runaway calls stays bounded
// by the per-render budget.
func TestWXSStepBudget(t *testing.T) {
	env := newJSEnv(t)
	// Smaller budgets than the page's keep this test quick under goja; the logic is the same.
	if _, err := env.vm.RunString("WXS_STEPS_PER_CALL = 20000; WXS_STEPS_PER_RENDER = 100000"); err != nil {
		t.Fatal(err)
	}
	src := `<wxs module="spin" src="/spin.wxs"/>
<view wx:for="{{list}}">{{spin.forever(item)}}</view><text>alive</text>`
	files := map[string]string{"spin.wxs": "module.exports.forever = function (x) {\n  var n = 0;\n  while (true) {\n    n++;\n  }\n};\n"}
	list := make([]any, 50)
	for i := range list {
		list[i] = i
	}
	start := time.Now()
	got, logs := buildWXML(t, env, src, files, map[string]any{"list": list})
	if got != `view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),view(),text("alive")` {
		t.Errorf("got %s", got)
	}
	if !strings.Contains(logs, `WXS module spin.wxs:4: stopped after 20000 steps`) {
		t.Errorf("logs do not name the module and line:\n%.400s", logs)
	}
	if !strings.Contains(logs, "the WXS step budget of this render is spent") {
		t.Errorf("the render budget did not stop later calls:\n%.400s", logs)
	}
	t.Logf("50 runaway calls stopped in %v (goja)", time.Since(start))

	// The next render has its budget again.
	got, _ = buildWXML(t, env, `<wxs module="m">module.exports.f = function () { var s = 0; for (var i = 0; i < 1000; i++) s += i; return s; };</wxs><view>{{m.f()}}</view>`, nil, nil)
	if got != `view("499500")` {
		t.Errorf("after a runaway render: %s", got)
	}
}

func TestDynamicHandlers(t *testing.T) {
	env := newJSEnv(t)
	src := `<view bindtap="{{name}}" catchtouchmove="{{lock ? 'noop' : ''}}" bind:longpress="on{{kind}}" catch:tap="fixed"/>`
	for _, tc := range []struct {
		data map[string]any
		want string
	}{
		{map[string]any{"name": "onGo", "lock": true, "kind": "Hold"}, `[["tap","onGo",false],["touchmove","noop",true],["longpress","onHold",false],["tap","fixed",true]]`},
		{map[string]any{"name": "", "lock": false, "kind": "X"}, `[["longpress","onX",false],["tap","fixed",true]]`},
		{map[string]any{"name": 5}, `[["longpress","on",false],["tap","fixed",true]]`}, // a number names nothing
		// Names the bridge would refuse (and count as forged) are never sent.
		{map[string]any{"name": "onLoad", "lock": true, "kind": "-x"}, `[["touchmove","noop",true],["tap","fixed",true]]`},
		{map[string]any{"name": "setData"}, `[["longpress","on",false],["tap","fixed",true]]`},
	} {
		buildWXML(t, env, src, nil, tc.data)
		got, err := env.run("lastTree[0].events.map(function (e) { return [e.type, e.handler, e.catch]; })")
		if err != nil || got != tc.want {
			t.Errorf("data %v: events %s (%v), want %s", tc.data, got, err, tc.want)
		}
	}
}

// BenchmarkWXSSteps measures the interpreter under goja (WebKit's JavaScriptCore is
// faster): one render calling a WXS loop of 10 000 turns, reported per step.
func BenchmarkWXSSteps(b *testing.B) {
	t := &testing.T{}
	env := newJSEnv(t)
	tpl := compileWXML(t, `<wxs module="m">module.exports.sum = function (n) { var s = 0; for (var i = 0; i < n; i++) { s += i % 7; } return s; };</wxs><view>{{m.sum(10000)}}</view>`, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := env.call("build", tpl, map[string]any{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/20000, "ns/step")
}
