package logic

import (
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestNoRuntimeCodeCompilation: each way of turning a string into code fails with a
// clear error at load time, naming app.js and the position.
func TestNoRuntimeCodeCompilation(t *testing.T) {
	tests := []struct{ name, code string }{
		{"eval", `eval('1 + 1')`},
		{"indirect eval", `(0, eval)('1')`},
		{"globalThis.eval", `globalThis.eval('1')`},
		{"new Function", `new Function('return 1')`},
		{"Function()", `Function('return 1')`},
		{"function constructor", `(function () {}).constructor('return 1')`},
		{"arrow constructor", `(() => 1).constructor('return 1')`},
		{"class constructor's constructor", `(class {}).constructor('return 1')`},
		{"async function constructor", `(async function () {}).constructor('return 1')`},
		{"async arrow constructor", `Object.getPrototypeOf(async () => {}).constructor('return 1')`},
		{"generator function constructor", `(function* () {}).constructor('return 1')`},
		{"new on the generator constructor", `new (Object.getPrototypeOf(function* () {}).constructor)('yield 1')`},
		{"Reflect.construct", `Reflect.construct(Function, ['return 1'])`},
		{"bound constructor", `Function.prototype.constructor.bind(null, 'return 1')()`},
		{"setTimeout string", `setTimeout('1', 0)`},
		{"setInterval string", `setInterval('1', 0)`},
		{"restore by assignment fails", `Function.prototype.constructor = 1; eval = 1; (function(){}).constructor('x')`},
		{"restore by defineProperty fails", `try { Object.defineProperty(globalThis, 'eval', {value: 1}) } catch (e) {} eval('1')`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tryStartApp(mapApp(map[string]string{"app.js": tt.code + ";\nApp({});", "pages/a/a.js": "Page({})"}))
			if err == nil {
				a.rt.Stop()
				t.Fatal("code compiled at run time without an error")
			}
			if !strings.Contains(err.Error(), "app.js:1:") || !strings.Contains(err.Error(), "eval is not allowed in mini-apps") {
				t.Errorf("error = %q", err)
			}
		})
	}
}

func TestHardenedRuntimeStillWorks(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js": `
console.log([
  (function () {}) instanceof Function,
  typeof Function,
  typeof (async () => 1)().then,
  [...(function* () { yield 1; yield 2; })()].join(','),
  JSON.stringify({a: [1]}),
].join(' '));
App({});`,
		"pages/a/a.js": "Page({})",
	}))
	if got := a.logs.console(); len(got) != 1 || got[0] != "true function function 1,2 {\"a\":[1]}" {
		t.Errorf("console = %q", got)
	}
}

// TestWxIsTheAppsOwn: an app may add to wx and wrap its members (WeChat libraries do:
// wx.lin = ..., request interceptors) and wrap App/Page/Component; the call still leaves
// as an api message through the host's checks, and the host's natives stay out of reach.
func TestWxIsTheAppsOwn(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js": `'use strict';
wx.lin = { version: 1 };
const seen = [];
const original = wx.showToast;
wx.showToast = function (opts) { seen.push(opts.title); return original.call(wx, Object.assign({}, opts, { title: '[' + opts.title + ']' })); };
const originalPage = Page;
Page = function (def) { def.wrapped = true; return originalPage(def); };
console.log('same=' + (wx === sf) + ' lin=' + wx.lin.version + ' extensible=' + Object.isExtensible(wx));
const props = [];
for (const k of Object.getOwnPropertyNames(original)) props.push(k);
console.log('fn props=' + props.sort().join(','));
App({ onLaunch() { wx.showToast({ title: 'hi' }); console.log('seen=' + seen.join()); } });`,
		"pages/a/a.js": "Page({ onLoad() { console.log('wrapped page=' + this.wrapped) } })",
	}))
	defer a.rt.Stop()
	call := a.host.nextAPI(t)
	if call.Name != "showToast" || !strings.Contains(string(call.Args), `"title":"[hi]"`) {
		t.Fatalf("api call = %s %s, want showToast with the interceptor's title", call.Name, call.Args)
	}
	a.logs.waitConsole(t, "seen=hi")
	got := strings.Join(a.logs.console(), "\n")
	for _, want := range []string{"same=true lin=1 extensible=true", "fn props=length,name"} {
		if !strings.Contains(got, want) {
			t.Errorf("console = %q, want %q", got, want)
		}
	}
	a.launch(t, "pages/a/a")
	a.logs.waitConsole(t, "wrapped page=true")
}

// TestGlobalsAreOnlyStandardPlusOurs: nothing internal (host natives, framework
// functions, Go objects) is reachable from the global object.
func TestGlobalsAreOnlyStandardPlusOurs(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js":       `console.log(Object.getOwnPropertyNames(globalThis).join(','));App({});`,
		"pages/a/a.js": "Page({})",
	}))
	baseline := map[string]bool{}
	for _, k := range goja.New().GlobalObject().GetOwnPropertyNames() {
		baseline[k] = true
	}
	var extra []string
	for _, k := range strings.Split(a.logs.console()[0], ",") {
		if !baseline[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	// __sfCanvasNode: the 2d Canvas for SelectorQuery's node() (logic/js/canvas.js).
	want := []string{"App", "Behavior", "Component", "Page", "__sfCanvasNode", "clearInterval", "clearTimeout", "console", "getApp", "getCurrentPages", "global", "setInterval", "setTimeout", "sf", "wx"}
	if !slices.Equal(extra, want) {
		t.Errorf("non-standard globals = %v, want %v", extra, want)
	}
}

// TestNoCallerChain: a handler cannot walk .caller up into the framework's functions.
func TestNoCallerChain(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ probe() {
  const out = [];
  try { out.push(typeof arguments.callee.caller); } catch (e) { out.push(e.name); }
  function f() { return f.caller; }
  try { out.push(typeof f()); } catch (e) { out.push(e.name); }
  try { out.push(typeof this.setData.caller); } catch (e) { out.push(e.name); }
  console.log('caller ' + out.join(' '));
} })`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "probe", `{}`)
	if got := a.logs.waitConsole(t, "caller "); got != "caller TypeError undefined TypeError" {
		t.Errorf("caller probe = %q", got)
	}
}
