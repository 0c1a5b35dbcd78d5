package assets

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/dop251/goja"
)

// pureFiles are the runtime files that touch no DOM; the tests load them alone.
var pureFiles = []string{"util.js", "expr.js", "wxs.js", "value.js", "path.js", "keyed.js", "paths.js", "scope.js", "memo.js", "build.js", "pickers.js", "richtext.js", "regions.js", "pickregion.js", "widgetmath.js"}

// testHelpers adapt the pure functions to JSON in and out. repr keeps what JSON
// cannot say (undefined, NaN, Infinity) as marker strings so tests can assert them.
const testHelpers = `
var logged = [];
var console = { error: function (m) { logged.push(String(m)); }, log: function () {} };
function repr(v) {
  return JSON.stringify(v, function (k, x) {
    if (x === undefined) return "<undefined>";
    if (typeof x === "number" && !isFinite(x)) return "<" + String(x) + ">";
    return x;
  });
}
function dataLookup(d) { return function (n) { return hasOwn(d, n) ? d[n] : undefined; }; }
function evalWith(e, d) { return evalExpr(e, dataLookup(d)); }
function setPathOn(root, path, value) { setPath(root, path, value); return root; }
function renderWith(v, d) { return renderValue(v, dataLookup(d)); }
// summary writes a vnode list compactly: tag{attrs}(children), "text", <comp is {props}>(content).
function summary(vs) {
  return vs.map(function (v) {
    if (v.t === "text") return JSON.stringify(v.text);
    var attrs = Object.keys(v.attrs).length ? JSON.stringify(v.attrs) : "";
    if (v.t === "comp") return "<" + v.tag + " " + v.is + " " + JSON.stringify(v.props) + attrs + ">(" + summary(v.content) + ")";
    return v.tag + attrs + "(" + summary(v.children) + ")";
  }).join(",");
}
function flatKeys(vs, out) {
  out = out || [];
  vs.forEach(function (v) { out.push(v.key); if (v.children) flatKeys(v.children, out); });
  return out;
}
function build(template, data, opts) {
  var ctx = { owner: "p1", template: template, components: {}, compDefs: {}, rpx: 0.5, dirty: null };
  Object.keys(opts || {}).forEach(function (k) { ctx[k] = k === "dirty" ? new Set(opts[k]) : opts[k]; });
  var tree = buildTree(ctx, data);
  globalThis.lastTree = tree;
  globalThis.lastBudget = ctx.budget;
  return summary(tree);
}
function callJSON(name, argsJSON) { return repr(globalThis[name].apply(null, JSON.parse(argsJSON))); }
`

// jsEnv is a goja runtime with the pure runtime files loaded.
type jsEnv struct {
	t  *testing.T
	vm *goja.Runtime
}

func newJSEnv(t *testing.T) *jsEnv {
	t.Helper()
	vm := goja.New()
	if _, err := vm.RunString(testHelpers); err != nil {
		t.Fatalf("helpers: %v", err)
	}
	for _, name := range pureFiles {
		src, err := fs.ReadFile(Files(), name)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		if _, err := vm.RunScript(name, string(src)); err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
	}
	return &jsEnv{t: t, vm: vm}
}

// call calls a global function with JSON-encodable args; it returns the repr of the
// result, or the thrown error's message as err.
func (e *jsEnv) call(fn string, args ...any) (string, error) {
	e.t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		e.t.Fatalf("marshal args: %v", err)
	}
	callJSON, ok := goja.AssertFunction(e.vm.Get("callJSON"))
	if !ok {
		e.t.Fatal("callJSON missing")
	}
	v, err := callJSON(goja.Undefined(), e.vm.ToValue(fn), e.vm.ToValue(string(raw)))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// run evaluates a JS expression and returns the repr of its value.
func (e *jsEnv) run(expr string) (string, error) {
	e.t.Helper()
	v, err := e.vm.RunString("repr(" + expr + ")")
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

// mustJSON is a compact JSON encoding for expected values.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(raw)
}
