package assets

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// A push is one JSON array of envelopes (render/encode.go). Every receiver handles
// each envelope on its own, in order: a malformed one in the middle of a batch is
// logged and the ones around it still run.

// badBatch is a batch with, between two good envelopes, each way an envelope can be
// malformed: another version, not an object, an array, an unknown kind, and a good
// envelope whose handling throws (%s is a kind the receiver knows, with a payload that
// makes its handler throw).
const badBatch = `[
  {"v":1,"kind":%[1]s,"payload":%[2]s},
  {"v":2,"kind":%[1]s,"payload":%[2]s},
  5, null, "text", [{"v":1,"kind":%[1]s,"payload":%[2]s}],
  {"v":1,"kind":"nope","payload":{}},
  {"v":1,"kind":%[1]s,"payload":%[4]s},
  {"v":1,"kind":%[1]s,"payload":%[3]s}
]`

// batchOf fills badBatch, on one line (it goes in a JavaScript string literal).
func batchOf(kind, first, last, throws string) string {
	return "'" + strings.ReplaceAll(fmt.Sprintf(badBatch, kind, first, last, throws), "\n", "") + "'"
}

func runSteps(t *testing.T, vm *goja.Runtime, steps []struct{ name, script, want string }) {
	t.Helper()
	for _, s := range steps {
		v, err := vm.RunString(s.script)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := v.String(); got != s.want {
			t.Errorf("%s: got %s, want %s", s.name, got, s.want)
		}
	}
}

func TestRuntimeTransportBatches(t *testing.T) {
	vm := runtimeTransportVM(t)
	batch := batchOf(`"probe"`, `{"op":"first"}`, `{"op":"last"}`, `{"op":"boom"}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"a batch before the document waits for it",
			`installTransport(); window.__sf_recv('[{"v":1,"kind":"probe","payload":{"op":"a"}},{"v":1,"kind":"probe","payload":{"op":"b"}}]');
			 window.__sf_recv({v: 1, kind: "probe", payload: {op: "c"}}); JSON.stringify(handled)`, `[]`},
		{"then runs in order", `openInbox(); JSON.stringify(handled)`, `["a","b","c"]`},
		{"a malformed envelope spoils only itself",
			`handled = []; window.__sf_recv(` + batch + `); JSON.stringify([handled, errors.length])`,
			`[["first","last"],7]`},
		{"each refusal is reported as a message's",
			`errors.every(function (e) { return e.indexOf("message: ") === 0; })`, `true`},
		{"a batch that is not JSON is one error, and the next push works",
			`errors = []; handled = []; window.__sf_recv("[{"); window.__sf_recv('[{"v":1,"kind":"probe","payload":{"op":"after"}}]');
			 JSON.stringify([handled, errors.length])`, `[["after"],1]`},
		{"one envelope as text still works",
			`handled = []; window.__sf_recv('{"v":1,"kind":"probe","payload":{"op":"single"}}'); JSON.stringify(handled)`, `["single"]`},
		{"an empty batch is nothing", `handled = []; errors = []; window.__sf_recv("[]"); JSON.stringify([handled, errors])`, `[[],[]]`},
	})
}

func TestLauncherTransportBatches(t *testing.T) {
	vm := launcherJS(t, transportPrelude, "channel.js", "transport.js")
	batch := batchOf(`"launcherEvent"`, `{"event":"e","data":{"n":1}}`, `{"event":"e","data":{"n":2}}`, `{"event":"boom"}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"a malformed envelope spoils only itself",
			`installTransport(); var got = [];
			 onEvent("e", function (d) { got.push(d.n); }); onEvent("boom", function () { throw new Error("boom"); });
			 window.__sf_recv(` + batch + `); JSON.stringify([got, logged.length])`,
			`[[1,2],7]`},
		{"answers in one batch settle in order",
			`window.sent = []; window.__sf_post = function (s) { window.sent.push(s); }; outcome = {};
			 call("a").then(function (r) { outcome.a = r; }); call("b").then(null, function (e) { outcome.b = e.message; });
			 window.__sf_recv('[{"v":1,"kind":"launcherResult","payload":{"id":1,"ok":true,"result":{"x":1}}},{"v":1,"kind":"probe","payload":{"id":3}},{"v":1,"kind":"launcherResult","payload":{"id":2,"ok":false,"error":"no"}}]');
			 JSON.stringify(probes)`, `[{"id":3}]`},
		{"both reached their callers", `JSON.stringify(outcome)`, `{"a":{"x":1},"b":"no"}`},
	})
}

func TestDevToolsTransportBatches(t *testing.T) {
	vm := devToolsTransportVM(t)
	batch := batchOf(`"probe"`, `{"id":1}`, `{"id":2}`, `{"boom":true}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"a malformed envelope spoils only itself",
			`window.__sf_recv(` + batch + `); JSON.stringify([probes, logged.length])`, `[[1,2],7]`},
		{"answers settle from a batch",
			`var out = []; call("x").then(function (r) { out.push(r); }); call("y").then(function (r) { out.push(r); });
			 window.__sf_recv(JSON.stringify([{v: 1, kind: "devtoolsResult", payload: {id: sent[1].payload.id, ok: true, result: "y"}},
			   {v: 1, kind: "devtoolsResult", payload: {id: 99, ok: true}},
			   {v: 1, kind: "devtoolsResult", payload: {id: sent[0].payload.id, ok: true}}])); logged.length`, `7`},
		{"in the batch's order", `JSON.stringify(out)`, `["y",null]`},
	})
}

// runtimeTransportVM runs transport.js over stubs of what it calls: probes are handled
// (one named "boom" throws), errors reported.
func runtimeTransportVM(t *testing.T) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if _, err := vm.RunString(`
		var window = {}, handled = [], errors = [];
		function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
		function reportError(where, err) { errors.push(where + ": " + err.message); }
		function handleProbe(p) { if (p.op === "boom") throw new Error("boom"); handled.push(p.op); }
		var performance = { now: function () { return 0; } };
	`); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunScript("transport.js", mustRead("transport.js")); err != nil {
		t.Fatal(err)
	}
	return vm
}

// devToolsTransportVM runs DevTools' transport (over the shared channel.js) with a
// __sf_post that keeps what is sent; probes are recorded (one with boom throws).
func devToolsTransportVM(t *testing.T) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if _, err := vm.RunString(`var window = {}; var sent = []; window.__sf_post = function (t) { sent.push(JSON.parse(t)); };
		var logged = []; var console = { error: function (m) { logged.push(String(m)); }, warn: function () {}, log: function () {} };
		var probes = []; function handleProbe(p) { if (p.boom) throw new Error("boom"); probes.push(p.id); }`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ name, src string }{{"channel.js", readLauncher("channel.js")}, {"transport.js", readDevTools("transport.js")}} {
		if _, err := vm.RunScript(f.name, f.src); err != nil {
			t.Fatal(err)
		}
	}
	return vm
}
