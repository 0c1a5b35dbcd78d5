package bridge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sandframe/sandframe/assets"
)

// fakeIndex is a HandlerIndex over a small app:
// pages/index/index and pages/detail/detail use components/item/item, which uses
// components/badge/badge.
type fakeIndex struct{}

var (
	fakePages = map[string]map[string]bool{
		"pages/index/index":   {"onAdd": true, "onToggle": true},
		"pages/detail/detail": {"onBack": true, "onItemChange": true, ModelKey("text"): true},
		"pages/dyn/dyn":       {"onStatic": true, AnyMethod: true},
	}
	fakeComps = map[string]map[string]bool{
		"components/item/item":   {"onTap": true, "onBadge": true, ModelKey("label"): true},
		"components/badge/badge": {"onPing": true},
		"components/other/other": {"onX": true},
	}
	fakeUses = map[string][]string{
		"pages/index/index":    {"components/item/item"},
		"pages/detail/detail":  {"components/item/item"},
		"pages/dyn/dyn":        {"components/item/item"},
		"components/item/item": {"components/badge/badge"},
	}
)

func (fakeIndex) PageHandlers(route string) (map[string]bool, bool) {
	h, ok := fakePages[route]
	return h, ok
}

func (fakeIndex) ComponentHandlers(is string) (map[string]bool, bool) {
	h, ok := fakeComps[is]
	return h, ok
}

func (fakeIndex) Uses(owner, is string) bool {
	for _, u := range fakeUses[owner] {
		if u == is {
			return true
		}
	}
	return false
}

// newTestGate returns a gate with pages p1 (index) and p2 (detail, in front), and
// component c1 on p1 and c2 on p2, both components/item/item owned by their page.
func newTestGate(t testing.TB, audit *AuditLog) *Gate {
	t.Helper()
	g := NewGate(GateConfig{App: "todo", Window: "w1", Index: fakeIndex{}, Audit: audit, Logger: quiet})
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}, {ID: "p2", Route: "pages/detail/detail"}}})
	_, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":1,"attached":[
		{"id":"c1","page":"p1","owner":"p1","is":"components/item/item"},
		{"id":"c2","page":"p2","owner":"p2","is":"components/item/item","events":{"change":"onItemChange"}}]}}`))
	if err != nil {
		t.Fatalf("setting up components: %v", err)
	}
	return g
}

// event builds a page event message; payload fields are spliced in as raw JSON.
func event(target, handler, dataset string) string {
	return `{"v":1,"kind":"event","payload":{"target":"` + target + `","handler":"` + handler +
		`","event":{"type":"tap","timeStamp":12.5,"detail":{"x":1},"target":{"id":"add","dataset":` + dataset +
		`},"currentTarget":{"id":"add","dataset":{}}}}}`
}

func nested(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

func TestGateRefusesHostileMessages(t *testing.T) {
	tap := event("page", "onBack", `{}`)
	huge := `{"v":1,"kind":"event","payload":{"target":"page","handler":"onBack","event":{"type":"tap","timeStamp":1,"target":{"id":"` +
		strings.Repeat("x", DefaultMaxBytes) + `","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`
	tests := []struct {
		name, raw, want string
		automation      bool
	}{
		{"too big", huge, fmt.Sprintf("message of %d bytes is larger than %d", len(huge), DefaultMaxBytes), false},
		{"too deep in dataset", event("page", "onBack", nested(40)), "payload.event.target.dataset: nesting deeper than 32", false},
		{"too deep in detail", strings.Replace(tap, `"detail":{"x":1}`, `"detail":`+nested(30), 1), "payload.event.detail: nesting deeper than 32", false},
		{"invalid UTF-8", strings.Replace(tap, "onBack", "on\xffBack", 1), "invalid UTF-8 at byte 62", false},
		{"lone high surrogate", strings.Replace(tap, "onBack", `on\ud800Back`, 1), `payload.handler: lone surrogate escape \ud800`, false},
		{"lone low surrogate in dataset key", event("page", "onBack", `{"\udc00":1}`), `payload.event.target.dataset: lone surrogate escape \udc00`, false},
		{"reversed surrogate pair", event("page", "onBack", `{"k":"\udc00\ud800"}`), `payload.event.target.dataset: lone surrogate escape \udc00`, false},
		{"unknown field at top", strings.Replace(tap, `{"v":1,`, `{"v":1,"extra":true,`, 1), `unknown field "extra"`, false},
		{"unknown field in payload", strings.Replace(tap, `"target":"page"`, `"target":"page","foo":1`, 1), `payload: unknown field "foo"`, false},
		{"unknown nested field", strings.Replace(tap, `"id":"add","dataset":{}}`, `"id":"add","dataset":{},"tagName":"view"}`, 1), `payload.event.target: unknown field "tagName"`, false},
		{"field of another kind", strings.Replace(tap, `"target":"page"`, `"seq":3,"target":"page"`, 1), `payload: unknown field "seq"`, false},
		{"sender field", strings.Replace(tap, `{"v":1,`, `{"v":1,"sender":{"app":"bank"},`, 1), "sender: content may not name its sender", false},
		{"duplicate top key", strings.Replace(tap, `{"v":1,`, `{"v":1,"v":1,`, 1), `duplicate key "v"`, false},
		{"duplicate escaped key in dataset", event("page", "onBack", `{"k":1,"\u006b":2}`), `payload.event.target.dataset: duplicate key "k"`, false},
		{"wrong version", strings.Replace(tap, `"v":1`, `"v":2`, 1), "v: version 2 is not supported (want 1)", false},
		{"fractional version", strings.Replace(tap, `"v":1`, `"v":1.5`, 1), "v: must be a non-negative integer, not 1.5", false},
		{"missing kind", strings.Replace(tap, `"kind":"event",`, ``, 1), "kind: missing", false},
		{"kind api", `{"v":1,"kind":"api","payload":{}}`, `kind: a page may not send "api"`, false},
		{"kind render", `{"v":1,"kind":"render","payload":{}}`, `kind: a page may not send "render"`, false},
		{"kind init", `{"v":1,"kind":"init","payload":{}}`, `kind: a page may not send "init"`, false},
		{"missing payload", `{"v":1,"kind":"ready"}`, "payload: missing", false},
		{"payload not an object", `{"v":1,"kind":"ready","payload":[1]}`, "payload: must be an object, not an array", false},
		{"payload null", `{"v":1,"kind":"ready","payload":null}`, "payload: must be an object, not null", false},
		{"trailing garbage", tap + `x`, "trailing data after the JSON value", false},
		{"two messages", tap + tap, "trailing data after the JSON value", false},
		{"not JSON", `hello`, "malformed JSON: invalid character 'h' looking for beginning of value", false},
		{"empty", ``, "unexpected end of JSON", false},
		{"truncated", tap[:40], "payload: unexpected end of JSON", false},
		{"wrong type", strings.Replace(tap, `"handler":"onBack"`, `"handler":7`, 1), "payload.handler: must be a string, not a number", false},
		{"dataset not an object", event("page", "onBack", `"x"`), "payload.event.target.dataset: must be an object", false},
		{"handler not an identifier", event("page", "on-back", `{}`), `payload.handler: "on-back" is not a JavaScript identifier of at most 128 characters`, false},
		{"handler too long", event("page", strings.Repeat("a", 129), `{}`), `payload.handler: "` + strings.Repeat("a", 64) + `…" is not a JavaScript identifier of at most 128 characters`, false},
		{"handler not bound", event("page", "onAdd", `{}`), `payload.handler: "onAdd" is not bound by the template of pages/detail/detail`, false},
		{"component handler not bound", event("c2", "onBack", `{}`), `payload.handler: "onBack" is not bound by the template of components/item/item`, false},
		{"target component of another page", event("c1", "onTap", `{}`), "payload.target: component c1 belongs to page p1, not to p2 in front", false},
		{"target component unknown", event("c99", "onTap", `{}`), "payload.target: component c99 is not a live instance", false},
		{"target not an id", event("window", "onTap", `{}`), `payload.target: "window" is not "page", "host", a page or a component id`, false},
		{"target a page not in front", event("p1", "onAdd", `{}`), `payload.target: page p1 is not the page in front (p2)`, false},
		{"host handler not allowed", event("host", "setStorage", `{}`), `payload.handler: "setStorage" is not a host action`, false},
		{"host navigation without url", event("host", "navigateTo", `{}`), "payload.event.detail.url: navigateTo needs a url of 1 to 2048 bytes", false},
		{"bad event type", strings.Replace(tap, `"type":"tap"`, `"type":"on click"`, 1), `payload.event.type: "on click" is not an event type`, false},
		{"huge number", strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":1e400`, 1), "payload.event.timeStamp: number 1e400 is out of range", false},
		{"huge number in dataset", event("page", "onBack", `{"n":-1e999}`), "payload.event.target.dataset: number -1e999 is out of range", false},
		{"negative timeStamp", strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":-1`, 1), "payload.event.timeStamp: must be a finite number ≥ 0", false},
		{"dataset too big", event("page", "onBack", `{"k":"`+strings.Repeat("x", maxDatasetBytes)+`"}`), fmt.Sprintf("payload.event.target.dataset: %d bytes is more than %d", maxDatasetBytes+8, maxDatasetBytes), false},
		{"negative seq", `{"v":1,"kind":"ready","payload":{"seq":-1}}`, "payload.seq: must be a non-negative integer, not -1", false},
		{"too many detached", `{"v":1,"kind":"ready","payload":{"seq":1,"detached":["c1"` + strings.Repeat(`,"c1"`, maxReports) + `]}}`, "payload.detached: more than 1000 items", false},
		{"attached not in usingComponents", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/other/other"}]}}`,
			"payload.attached[0].is: pages/detail/detail does not use component components/other/other", false},
		{"reused component id", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c2","page":"p2","owner":"p2","is":"components/item/item"}]}}`,
			"payload.attached[0].id: component id c2 is already in use", false},
		{"component id reused in one report", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item"},{"id":"c3","page":"p2","owner":"p2","is":"components/item/item"}]}}`,
			"payload.attached[1].id: component id c3 is already in use", false},
		{"attached on a closed page", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p9","owner":"p9","is":"components/item/item"}]}}`,
			"payload.attached[0].page: page p9 is not open in this window", false},
		{"owner of another page", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"c1","is":"components/badge/badge"}]}}`,
			"payload.attached[0].owner: c1 is neither page p2 nor a live component of it", false},
		{"event bound to an unbound owner method", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","events":{"change":"onAdd"}}]}}`,
			`payload.attached[0].events.change: "onAdd" is not bound by the template of pages/detail/detail`, false},
		{"component path escaping", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"../secret"}]}}`,
			`payload.attached[0].is: "../secret" is not a component path`, false},
		{"parent not live", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","parent":"c77"}]}}`,
			"payload.attached[0].parent: c77 is not a live component of page p2", false},
		{"parent a page", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","parent":"p2"}]}}`,
			`payload.attached[0].parent: "p2" is not a component id`, false},
		{"class too long", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","class":"` + strings.Repeat("x", maxClassLen+1) + `"}]}}`,
			fmt.Sprintf("payload.attached[0].class: longer than %d bytes", maxClassLen), false},
		{"detached unknown", `{"v":1,"kind":"ready","payload":{"seq":2,"detached":["c77"]}}`, "payload.detached[0]: component c77 is not a live instance", false},
		{"props of unknown", `{"v":1,"kind":"ready","payload":{"seq":2,"props":[{"id":"c77","props":{}}]}}`, "payload.props[0].id: component c77 is not a live instance", false},
		{"probeResult without automation", `{"v":1,"kind":"probeResult","payload":{"id":1,"ok":true}}`, "kind: probeResult is accepted only while automation is on", false},
		{"probeResult with field of event", `{"v":1,"kind":"probeResult","payload":{"id":1,"ok":true,"handler":"x"}}`, `payload: unknown field "handler"`, true},
	}
	if len(tests) < 25 {
		t.Fatalf("only %d hostile cases", len(tests))
	}

	auditPath := filepath.Join(t.TempDir(), "audit", "audit.jsonl")
	audit, err := OpenAudit(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	g := newTestGate(t, audit)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.SetAutomation(tt.automation)
			before := g.Violations()
			env, err := g.FromPage([]byte(tt.raw))
			if err == nil {
				t.Fatalf("accepted: %s", env.Payload)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
			var de *DecodeError
			if !asDecodeError(err, &de) {
				t.Errorf("error is %T, want *DecodeError", err)
			}
			if got := g.Violations(); got != before+1 {
				t.Errorf("violations = %d, want %d", got, before+1)
			}
		})
	}
	if err := audit.Close(); err != nil {
		t.Fatal(err)
	}

	// One audit line per refusal, each naming the window and the reason.
	f, err := os.Open(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines int
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %d: %v", lines+1, err)
		}
		if e["app"] != "todo" || e["window"] != "w1" || e["page"] != "p2" || e["decision"] != "refused" || e["reason"] != tests[lines].want {
			t.Errorf("audit line %d = %v", lines+1, e)
		}
		lines++
	}
	if lines != len(tests) {
		t.Errorf("%d audit lines, want %d", lines, len(tests))
	}
}

func asDecodeError(err error, target **DecodeError) bool {
	de, ok := err.(*DecodeError)
	*target = de
	return ok
}

func TestGateAcceptsAndStamps(t *testing.T) {
	tests := []struct {
		name, raw  string
		wantTarget string
	}{
		{"page tap resolves to the page in front", event("page", "onBack", `{"k":1}`), "p2"},
		{"component tap keeps its instance", event("c2", "onTap", `{}`), "c2"},
		{"host navigation", strings.Replace(event("host", "navigateTo", `{}`), `"detail":{"x":1}`, `"detail":{"url":"/pages/index/index?a=1"}`, 1), "host"},
		{"host back without delta", strings.Replace(event("host", "navigateBack", `{}`), `"detail":{"x":1},`, ``, 1), "host"},
		{"host modal answer", strings.Replace(event("host", "modal", `{}`), `"detail":{"x":1}`, `"detail":{"id":"m1","confirm":true}`, 1), "host"},
		{"custom event type", strings.Replace(event("page", "onItemChange", `{}`), `"type":"tap"`, `"type":"item-change"`, 1), "p2"},
	}
	g := newTestGate(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := g.FromPage([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			want := Sender{App: "todo", Window: "w1", Page: "p2", Route: "pages/detail/detail"}
			if env.V != Version || env.Kind != KindEvent || env.Sender == nil || *env.Sender != want {
				t.Fatalf("envelope = %+v, sender %+v", env, env.Sender)
			}
			var ev Event
			if err := json.Unmarshal(env.Payload, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Target != tt.wantTarget {
				t.Errorf("target = %q, want %q", ev.Target, tt.wantTarget)
			}
			// What goes on to logic must itself be a valid message with a sender.
			out, err := json.Marshal(env)
			if err != nil || !strings.Contains(string(out), `"sender":{"app":"todo"`) {
				t.Errorf("re-encoded envelope %s, %v", out, err)
			}
		})
	}
	if g.Violations() != 0 {
		t.Errorf("violations = %d", g.Violations())
	}
}

func TestGateKeepsTheOriginalDataOfAnEvent(t *testing.T) {
	g := newTestGate(t, nil)
	env, err := g.FromPage([]byte(event("page", "onBack", `{"id":7,"name":"x"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	if err := json.Unmarshal(env.Payload, &ev); err != nil {
		t.Fatal(err)
	}
	var dataset map[string]json.RawMessage
	if err := json.Unmarshal(ev.Event.Target.Dataset, &dataset); err != nil {
		t.Fatal(err)
	}
	if string(dataset["id"]) != "7" || string(dataset["name"]) != `"x"` || string(ev.Event.Detail) != `{"x":1}` {
		t.Errorf("event = %+v", ev.Event)
	}
	if ev.Target != "p2" || ev.Handler != "onBack" {
		t.Errorf("payload target %q handler %q, want the resolved p2 (the page in front) and onBack", ev.Target, ev.Handler)
	}
}

func TestGateComponentLifecycle(t *testing.T) {
	g := newTestGate(t, nil)
	steps := []struct {
		name, raw, wantErr string
	}{
		{"nested component owned by c2", `{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"c2","is":"components/badge/badge","events":{"ping":"onBadge"}}]}}`, ""},
		{"event on the nested component", event("c3", "onPing", `{}`), ""},
		{"props of live components", `{"v":1,"kind":"ready","payload":{"seq":3,"props":[{"id":"c3","props":{"n":2}}]}}`, ""},
		{"parent and child attached in one report", `{"v":1,"kind":"ready","payload":{"seq":4,"attached":[{"id":"c4","page":"p2","owner":"p2","is":"components/item/item"},{"id":"c5","page":"p2","owner":"c4","is":"components/badge/badge","parent":"c4","class":"a b"}]}}`, ""},
		{"detach c3", `{"v":1,"kind":"ready","payload":{"seq":5,"detached":["c3"]}}`, ""},
		{"event on detached", event("c3", "onPing", `{}`), "payload.target: component c3 is not a live instance"},
		{"detach twice", `{"v":1,"kind":"ready","payload":{"seq":6,"detached":["c3"]}}`, "payload.detached[0]: component c3 is not a live instance"},
		{"refused report changes nothing", `{"v":1,"kind":"ready","payload":{"seq":6,"attached":[{"id":"c6","page":"p2","owner":"p2","is":"components/item/item"}],"detached":["c99"]}}`, "payload.detached[0]: component c99 is not a live instance"},
		{"so c6 is still free", `{"v":1,"kind":"ready","payload":{"seq":6,"attached":[{"id":"c6","page":"p2","owner":"p2","is":"components/item/item"}]}}`, ""},
	}
	for _, s := range steps {
		_, err := g.FromPage([]byte(s.raw))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != s.wantErr {
			t.Fatalf("%s: error %q, want %q", s.name, got, s.wantErr)
		}
	}

	// Going back to p1 forgets p2's components; c1 becomes the target of page p1.
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}}})
	if _, err := g.FromPage([]byte(event("c2", "onTap", `{}`))); err == nil || err.Error() != "payload.target: component c2 is not a live instance" {
		t.Errorf("event on a component of a closed page: %v", err)
	}
	env, err := g.FromPage([]byte(event("c1", "onTap", `{}`)))
	if err != nil {
		t.Fatal(err)
	}
	if env.Sender.Page != "p1" || env.Sender.Route != "pages/index/index" {
		t.Errorf("sender = %+v", env.Sender)
	}
	// A forgotten id may be handed out again by the render runtime.
	if _, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":7,"attached":[{"id":"c2","page":"p1","owner":"p1","is":"components/item/item"}]}}`)); err != nil {
		t.Errorf("reusing a forgotten id: %v", err)
	}
}

func TestGateProbeResultAndEmptyStack(t *testing.T) {
	g := NewGate(GateConfig{App: "todo", Window: "w1", Index: fakeIndex{}, Logger: quiet})
	// Before launch the document asks for init with no page open.
	env, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":0}}`))
	if err != nil || env.Sender.Page != "" || env.Sender.App != "todo" {
		t.Fatalf("ready{seq:0}: %+v %v", env, err)
	}
	if _, err := g.FromPage([]byte(event("page", "onAdd", `{}`))); err == nil || err.Error() != "payload.target: no page is open" {
		t.Errorf("event with no page: %v", err)
	}
	g.SetAutomation(true)
	env, err = g.FromPage([]byte(`{"v":1,"kind":"probeResult","payload":{"id":3,"ok":false,"error":"no element matches #new"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var pr ProbeResult
	if err := json.Unmarshal(env.Payload, &pr); err != nil || pr.ID != 3 || pr.Error != "no element matches #new" {
		t.Errorf("probeResult = %+v, %v", pr, err)
	}
}

func TestGateConcurrentUse(t *testing.T) {
	g := newTestGate(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				id := fmt.Sprintf("c%d", 100+i*100+j)
				ready := `{"v":1,"kind":"ready","payload":{"seq":1,"attached":[{"id":"` + id + `","page":"p2","owner":"p2","is":"components/item/item"}]}}`
				if _, err := g.FromPage([]byte(ready)); err != nil {
					t.Error(err)
				}
				if _, err := g.FromPage([]byte(event(id, "onTap", `{}`))); err != nil {
					t.Error(err)
				}
				g.FromPage([]byte(event("page", "onNope", `{}`)))
				if j%10 == 0 {
					g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}, {ID: "p2", Route: "pages/detail/detail"}}})
				}
			}
		}()
	}
	wg.Wait()
	if got := g.Violations(); got != 8*50 {
		t.Errorf("violations = %d, want %d", got, 8*50)
	}
}

func TestDecodePageLimits(t *testing.T) {
	msg := event("page", "onBack", nested(5))
	if _, err := DecodePage([]byte(msg), Limits{MaxDepth: 6}); err == nil || err.Error() != "payload.event.target.dataset: nesting deeper than 6" {
		t.Errorf("depth 6: %v", err)
	}
	if _, err := DecodePage([]byte(msg), Limits{MaxDepth: 10}); err != nil {
		t.Errorf("depth 10: %v", err)
	}
	if _, err := DecodePage([]byte(msg), Limits{MaxBytes: 100}); err == nil || !strings.HasPrefix(err.Error(), "message of ") {
		t.Errorf("size 100: %v", err)
	}
	// A proper surrogate pair is fine.
	if _, err := DecodePage([]byte(event("page", "onBack", `{"e":"\ud83d\ude00","r":"\ufffd","s":"\\ud800"}`)), Limits{}); err != nil {
		t.Errorf("surrogate pair: %v", err)
	}
}

func BenchmarkDecodeEvent(b *testing.B) {
	g := newTestGate(b, nil)
	raw := []byte(`{"v":1,"kind":"event","payload":{"target":"page","handler":"onBack","event":{"type":"tap","timeStamp":1234.5,"detail":{"x":10,"y":4},"target":{"id":"add","dataset":{"k":1}},"currentTarget":{"id":"add","dataset":{"k":1}},"mark":{}}}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := g.FromPage(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDecodePage(f *testing.F) {
	seeds := []string{
		event("page", "onBack", `{}`),
		event("c2", "onTap", `{"a":[1,2,{"b":null}]}`),
		event("host", "navigateBack", `{}`),
		`{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","props":{"a":1},"events":{"x":"onA"}}],"detached":["c1"],"props":[{"id":"c2","props":{}}]}}`,
		`{"v":1,"kind":"probeResult","payload":{"id":1,"ok":true,"result":[{"tag":"view"}]}}`,
		`{"v":1,"kind":"event","payload":{},"sender":{}}`,
		`{"v":1,"v":1}`,
		`{"v":1,"kind":"event","payload":{"handler":"\ud800"}}`,
		nested(40),
		`[1,2,3]`,
		`{"v":1e999}`,
		strings.Replace(event("page", "onBack", `{"k":1}`), `"onBack"`, `"on\u0042ack"`, 1),
		`{"v":1,"kind":"model","payload":{"target":"page","key":"text","value":{"a":[1,"b"]}}}`,
		` { "v" : 1 , "kind" : "event" , "payload" : { "target" : "c2" , "handler" : "onTap" , "event" : { "type" : "tap" , "timeStamp" : 0 , "target" : { "id" : "a" , "dataset" : { "k" : [ 1 ] } } , "currentTarget" : { "id" : "a" , "dataset" : null } , "mark" : null } } } `,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	g := newTestGate(f, nil)
	g.SetAutomation(true)
	f.Fuzz(func(t *testing.T, raw []byte) {
		env, err := DecodePage(raw, Limits{})
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			return
		}
		if !pageKinds[env.Kind] || env.V != Version || env.Sender != nil || !json.Valid(env.Payload) {
			t.Fatalf("accepted %+v", env)
		}
		// Whatever the gate accepts must be a valid envelope with a sender.
		if out, err := g.FromPage(raw); err == nil {
			if out.Sender == nil || out.Sender.App != "todo" || !json.Valid(out.Payload) {
				t.Fatalf("gate output %+v", out)
			}
			checkGatePayload(t, out)
		}
	})
}

// checkGatePayload: an accepted message's payload (what a logic child process gets)
// is the typed value the gate handed along (what the host and an in-process logic
// read), whether it is the page's own bytes, an event written around them, or an
// encode.
func checkGatePayload(t *testing.T, out Envelope) {
	t.Helper()
	back := newPagePayload(out.Kind)
	dec := json.NewDecoder(bytes.NewReader(out.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(back); err != nil {
		t.Fatalf("gate payload %s: %v", out.Payload, err)
	}
	value := out.Value
	if e, ok := value.(*Event); ok {
		bare := *e
		bare.raw = nil
		value = &bare
	}
	b1, err1 := json.Marshal(back)
	b2, err2 := json.Marshal(value)
	if err1 != nil || err2 != nil || string(b1) != string(b2) {
		t.Fatalf("gate payload %s is %s, the typed value %s", out.Payload, b1, b2)
	}
}

// TestGatePayloadIsTheTypedValue runs checkGatePayload over the fast path's corpus:
// events on both paths (the page's bytes, and the encode when a string has an
// escape), models, ready reports, probe results.
func TestGatePayloadIsTheTypedValue(t *testing.T) {
	g := newTestGate(t, nil)
	g.SetAutomation(true)
	written, encoded := 0, 0
	kinds := map[Kind]int{}
	for _, msg := range fastCorpus() {
		out, err := g.FromPage([]byte(msg))
		if err != nil {
			continue
		}
		if e, ok := out.Value.(*Event); ok {
			if e.raw != nil {
				written++
			} else {
				encoded++
			}
		}
		kinds[out.Kind]++
		checkGatePayload(t, out)
	}
	if written < 3 || encoded < 1 || kinds[KindReady] < 1 || kinds[KindModel] < 1 || kinds[KindProbeResult] < 1 {
		t.Fatalf("the corpus reached the gate's written event payload %d times, its encode %d times; kinds %v", written, encoded, kinds)
	}
}

var quiet = slog.New(slog.DiscardHandler)

// TestGateDynamicHandlers: a template that names handlers by data lets the page ask
// for any method name, but never a lifecycle or a framework method.
func TestGateDynamicHandlers(t *testing.T) {
	g := NewGate(GateConfig{App: "todo", Window: "w1", Index: fakeIndex{}, Logger: quiet})
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/dyn/dyn"}}})
	for _, tc := range []struct {
		handler string
		ok      bool
	}{
		{"onStatic", true}, {"onPicked", true}, {"noop", true},
		{"onLoad", false}, {"onUnload", false}, {"setData", false}, {"triggerEvent", false},
		{"constructor", false}, {"hasOwnProperty", false},
	} {
		_, err := g.FromPage([]byte(event("page", tc.handler, `{}`)))
		if (err == nil) != tc.ok {
			t.Errorf("handler %s: err = %v, want accepted %v", tc.handler, err, tc.ok)
		}
	}
	// A component whose event the page binds by data, to a method or to a lifecycle.
	ready := func(id, method string) error {
		_, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":1,"attached":[
			{"id":"` + id + `","page":"p1","owner":"p1","is":"components/item/item","events":{"change":"` + method + `"}}]}}`))
		return err
	}
	if err := ready("c1", "onPicked"); err != nil {
		t.Errorf("component event bound by data to a method: %v", err)
	}
	if err := ready("c2", "onLoad"); err == nil || !strings.Contains(err.Error(), `"onLoad" is not bound by the template of pages/dyn/dyn`) {
		t.Errorf("component event bound by data to a lifecycle: %v", err)
	}
}

// The render runtime never sends a handler the gate refuses as a framework name: its
// list (FRAMEWORK_METHODS in build.js) is the gate's.
func TestFrameworkNamesMatchRuntime(t *testing.T) {
	src, err := fs.ReadFile(assets.Files(), "build.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`var FRAMEWORK_METHODS = wxsSet_\("([^"]*)"\)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("FRAMEWORK_METHODS not found in build.js")
	}
	runtime := strings.Fields(string(m[1]))
	var gate []string
	for name := range frameworkNames {
		gate = append(gate, name)
	}
	sort.Strings(runtime)
	sort.Strings(gate)
	if strings.Join(runtime, " ") != strings.Join(gate, " ") {
		t.Errorf("build.js FRAMEWORK_METHODS:\n%v\nbridge frameworkNames:\n%v", runtime, gate)
	}
}

// A model message writes only a key its target's template binds with model:, of the
// page in front or of a live component on it; its shape is checked like an event's.
func TestGateModel(t *testing.T) {
	g := newTestGate(t, nil)
	model := func(target, key, value string) string {
		return `{"v":1,"kind":"model","payload":{"target":"` + target + `","key":"` + key + `","value":` + value + `}}`
	}
	for _, tc := range []struct {
		msg, refusal string
	}{
		{model("page", "text", `"typed"`), ""},
		{model("page", "text", `{"any":["json",1]}`), ""},
		{model("c2", "label", `"x"`), ""},
		{model("page", "count", `1`), `"count" is not bound with model: by the template of pages/detail/detail`},
		{model("page", "onBack", `1`), `is not bound with model:`},
		{model("c2", "text", `"x"`), `"text" is not bound with model: by the template of components/item/item`},
		{model("c1", "label", `"x"`), "belongs to page p1, not to p2 in front"},
		{model("c9", "label", `"x"`), "not a live instance"},
		{model("host", "text", `"x"`), `is not "page", a page or a component id`},
		{model("page", "a.b", `"x"`), "is not a data field name"},
		{model("page", "__proto__", `"x"`), "is not bound with model:"},
		{`{"v":1,"kind":"model","payload":{"target":"page","key":"text"}}`, "payload.value: missing"},
		{`{"v":1,"kind":"model","payload":{"target":"page","key":"text","value":1,"handler":"x"}}`, "handler"},
	} {
		env, err := g.FromPage([]byte(tc.msg))
		if tc.refusal == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", tc.msg, err)
			} else if env.Sender == nil || env.Sender.Page != "p2" || !strings.Contains(string(env.Payload), `"target":"`) {
				t.Errorf("%s: not stamped: %+v", tc.msg, env)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.refusal) {
			t.Errorf("%s: err = %v, want %q", tc.msg, err, tc.refusal)
		}
	}
	env, err := g.FromPage([]byte(model("page", "text", `"typed"`)))
	if err != nil || !strings.Contains(string(env.Payload), `"target":"p2"`) {
		t.Errorf("page target not resolved to the page in front: %s %v", env.Payload, err)
	}
}
