package assets

import (
	"fmt"
	"strings"
	"testing"
)

// The host writes an envelope of this version without a sender in the short form
// ["kind", payload] (render/encode.go; docs/protocol.md, "Batches"). Every receiver
// reads it as {v: 1, kind, payload}, in order among full envelopes; a short form that
// is not [string, payload] is refused alone, as a malformed envelope is.

// shortBatch mixes short and full envelopes with malformed short forms: too short, a
// kind that is not a string, too long, an unknown kind, and one whose handling throws
// (%[1]s a kind the receiver knows; %[2]s, %[3]s, %[4]s good payloads; %[5]s one that
// makes its handler throw).
const shortBatch = `[
  [%[1]s,%[2]s],
  [%[1]s],
  [5,%[2]s],
  [%[1]s,%[2]s,1],
  ["nope",{}],
  {"v":1,"kind":%[1]s,"payload":%[3]s},
  [%[1]s,%[5]s],
  [%[1]s,%[4]s]
]`

func shortBatchOf(kind, a, b, c, throws string) string {
	return "'" + strings.ReplaceAll(fmt.Sprintf(shortBatch, kind, a, b, c, throws), "\n", "") + "'"
}

func TestRuntimeTransportShortForm(t *testing.T) {
	vm := runtimeTransportVM(t)
	batch := shortBatchOf(`"probe"`, `{"op":"a"}`, `{"op":"b"}`, `{"op":"c"}`, `{"op":"boom"}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"short forms wait for the document too",
			`installTransport(); window.__sf_recv('[["probe",{"op":"early"}]]'); JSON.stringify(handled)`, `[]`},
		{"and run when it is ready", `openInbox(); JSON.stringify(handled)`, `["early"]`},
		{"short and full envelopes run in order; a bad short form spoils only itself",
			`handled = []; errors = []; window.__sf_recv(` + batch + `); JSON.stringify([handled, errors.length])`,
			`[["a","b","c"],5]`},
		{"the payload may be anything a full envelope's may", `handled = []; errors = []; window.__sf_recv('[["probe",null],["probe",{"op":"d"}]]'); JSON.stringify([handled, errors.length])`,
			`[[null,"d"],0]`},
	})
}

func TestLauncherTransportShortForm(t *testing.T) {
	vm := launcherJS(t, transportPrelude, "channel.js", "transport.js")
	batch := shortBatchOf(`"launcherEvent"`, `{"event":"e","data":{"n":1}}`, `{"event":"e","data":{"n":2}}`, `{"event":"e","data":{"n":3}}`, `{"event":"boom"}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"short and full envelopes run in order; a bad short form spoils only itself",
			`installTransport(); var got = [];
			 onEvent("e", function (d) { got.push(d.n); }); onEvent("boom", function () { throw new Error("boom"); });
			 window.__sf_recv(` + batch + `); JSON.stringify([got, logged.length])`,
			`[[1,2,3],5]`},
		{"an answer in the short form settles its call",
			`window.sent = []; window.__sf_post = function (s) { window.sent.push(s); }; outcome = {};
			 call("a").then(function (r) { outcome.a = r; });
			 window.__sf_recv('[["launcherResult",{"id":1,"ok":true,"result":{"x":1}}]]'); "sent"`, `sent`},
		{"it reached its caller", `JSON.stringify(outcome)`, `{"a":{"x":1}}`},
	})
}

func TestDevToolsTransportShortForm(t *testing.T) {
	vm := devToolsTransportVM(t)
	batch := shortBatchOf(`"probe"`, `{"id":1}`, `{"id":2}`, `{"id":3}`, `{"boom":true}`)
	runSteps(t, vm, []struct{ name, script, want string }{
		{"short and full envelopes run in order; a bad short form spoils only itself",
			`window.__sf_recv(` + batch + `); JSON.stringify([probes, logged.length])`, `[[1,2,3],5]`},
	})
}
