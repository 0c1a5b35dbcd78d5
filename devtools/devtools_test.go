package devtools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

var quiet = slog.New(slog.DiscardHandler)

func TestRingKeepsTheLastAndCountsWhatWasDropped(t *testing.T) {
	r := newRing[int](3)
	if items, last, dropped := r.since(0); len(items) != 0 || last != 0 || dropped != 0 {
		t.Fatalf("empty: %v %d %d", items, last, dropped)
	}
	for i := 1; i <= 5; i++ {
		if seq := r.add(i * 10); seq != uint64(i) {
			t.Fatalf("seq %d for item %d", seq, i)
		}
	}
	items, last, dropped := r.since(0)
	if fmt.Sprint(items) != "[30 40 50]" || last != 5 || dropped != 2 {
		t.Fatalf("since 0: %v %d %d", items, last, dropped)
	}
	items, last, dropped = r.since(4)
	if fmt.Sprint(items) != "[50]" || last != 5 || dropped != 0 {
		t.Fatalf("since 4: %v %d %d", items, last, dropped)
	}
	if items, last, _ := r.since(5); len(items) != 0 || last != 5 {
		t.Fatalf("since 5: %v %d", items, last)
	}
	r.clear()
	r.add(60)
	if items, last, dropped := r.since(5); fmt.Sprint(items) != "[60]" || last != 6 || dropped != 0 {
		t.Fatalf("after clear: %v %d %d", items, last, dropped)
	}
}

// The hub keeps bounded rings, takes only its app's network calls, and turns the
// bridge taps into the Performance timeline: pushes and bytes, the apply time of a
// push (until the page's ready for its seq), tasks and refusals.
func TestHubCollects(t *testing.T) {
	h := NewHub("demo")
	base := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	h.now = func() time.Time { return base.Add(3 * time.Second) }
	h.cur = PerfSample{Time: base}
	for i := 0; i < ConsoleLines+5; i++ {
		h.DevConsole(logic.ConsoleLine{Text: fmt.Sprint(i)})
	}
	lines, _, dropped := h.console.since(0)
	if len(lines) != ConsoleLines || lines[0].Text != "5" || dropped != 5 {
		t.Errorf("console ring: %d lines from %q, %d dropped", len(lines), lines[0].Text, dropped)
	}
	h.ObserveNet(netapi.Exchange{App: "other", URL: "https://x"})
	h.ObserveNet(netapi.Exchange{App: "demo", URL: "https://y", Refused: "url not in domain list"})
	if xs, _, _ := h.network.since(0); len(xs) != 1 || xs[0].URL != "https://y" {
		t.Errorf("network: %+v", xs)
	}
	at := func(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }
	h.DevMessage(host.DevMessage{Time: at(100), Dir: host.DirHostToPage, Kind: "render", Bytes: 300, Seq: 1})
	h.DevMessage(host.DevMessage{Time: at(200), Dir: host.DirHostToPage, Kind: "render", Bytes: 100, Seq: 2})
	h.DevMessage(host.DevMessage{Time: at(130), Dir: host.DirPageToHost, Kind: "ready", Seq: 1})
	h.DevMessage(host.DevMessage{Time: at(250), Dir: host.DirPageToHost, Kind: "ready", Seq: 2})
	h.DevMessage(host.DevMessage{Time: at(300), Dir: host.DirPageToHost, Kind: "devtools", Refused: "a page may not send"})
	h.DevMessage(host.DevMessage{Time: at(400), Dir: host.DirLogicToHost, Kind: "api", API: "request"})
	h.DevTask(at(500), 20*time.Millisecond)
	h.DevTask(at(600), 5*time.Millisecond)
	h.DevMessage(host.DevMessage{Time: at(1100), Dir: host.DirHostToPage, Kind: "render", Bytes: 50, Seq: 3})
	h.Tick() // closes the second of at(1100)
	samples, _, _ := h.perf.since(0)
	if len(samples) != 2 {
		t.Fatalf("samples: %+v", samples)
	}
	s := samples[0]
	if s.Pushes != 2 || s.PushBytes != 400 || s.Applies != 2 || s.ApplyMS != 80 || s.ApplyMaxMS != 50 ||
		s.Tasks != 2 || s.TaskMS != 25 || s.TaskMaxMS != 20 || s.APICalls != 1 || s.Refused != 1 || !s.Time.Equal(base) {
		t.Errorf("first second: %+v", s)
	}
	if samples[1].Pushes != 1 || samples[1].HeapBytes == 0 {
		t.Errorf("second second: %+v", samples[1])
	}
	if msgs, _, _ := h.bridge.since(0); len(msgs) != 7 {
		t.Errorf("bridge ring: %d messages", len(msgs))
	}
	// With its window closed the hub records nothing.
	h.off.Store(true)
	h.DevConsole(logic.ConsoleLine{Text: "late"})
	h.DevMessage(host.DevMessage{Time: at(1200), Dir: host.DirHostToPage, Kind: "render"})
	h.ObserveNet(netapi.Exchange{App: "demo"})
	if _, last, _ := h.console.since(0); last != ConsoleLines+5 {
		t.Errorf("a closed hub took a console line: last %d", last)
	}
	if msgs, _, _ := h.bridge.since(0); len(msgs) != 7 {
		t.Errorf("a closed hub took a message: %d", len(msgs))
	}
}

func TestDecodeIsStrict(t *testing.T) {
	ok := `{"v":1,"kind":"devtools","payload":{"id":3,"op":"storage.list","args":{}}}`
	kind, req, _, err := Decode([]byte(ok))
	if err != nil || kind != bridge.KindDevTools || req.ID != 3 || req.Op != "storage.list" {
		t.Fatalf("%s %+v %v", kind, req, err)
	}
	for name, raw := range map[string]string{
		"other kind":     `{"v":1,"kind":"event","payload":{}}`,
		"launcher kind":  `{"v":1,"kind":"launcher","payload":{"id":1,"op":"apps.list"}}`,
		"unknown field":  `{"v":1,"kind":"devtools","payload":{"id":1,"op":"info","sender":"x"}}`,
		"envelope field": `{"v":1,"kind":"devtools","sender":{"app":"x"},"payload":{"id":1,"op":"info"}}`,
		"version":        `{"v":2,"kind":"devtools","payload":{"id":1,"op":"info"}}`,
		"no id":          `{"v":1,"kind":"devtools","payload":{"op":"info"}}`,
		"trailing":       ok + `{}`,
		"bad utf-8":      "{\"v\":1,\"kind\":\"devtools\",\"payload\":{\"id\":1,\"op\":\"\xff\"}}",
		"too large":      `{"v":1,"kind":"devtools","payload":{"id":1,"op":"x","args":{"a":"` + strings.Repeat("a", MaxMessage) + `"}}}`,
	} {
		if _, _, _, err := Decode([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// fakeSession is a Session over real stores.
type fakeSession struct {
	st      *storage.AppStore
	perms   *perms.Manager
	app     perms.App
	audit   *bridge.AuditLog
	evalOK  bool
	setData []string
	probes  []string
}

func (f *fakeSession) DevInfo() host.DevAppInfo {
	return host.DevAppInfo{Key: "demo", ID: "demo", CanEval: f.evalOK}
}
func (f *fakeSession) DevEval(expr string) (json.RawMessage, error) {
	if !f.evalOK {
		return nil, host.ErrNoDevEval
	}
	return json.RawMessage(`"` + expr + `"`), nil
}
func (f *fakeSession) DevSetData(page string, data json.RawMessage) error {
	f.setData = append(f.setData, page+" "+string(data))
	return nil
}
func (f *fakeSession) DevPages() []logic.PageInfo {
	return []logic.PageInfo{{ID: "p1", Route: "pages/a/a"}, {ID: "p2", Route: "pages/b/b"}}
}
func (f *fakeSession) DevPageData(page string) (json.RawMessage, error) {
	if page == "p2" {
		return nil, errors.New("gone")
	}
	return json.RawMessage(`{"n":1}`), nil
}
func (f *fakeSession) DevComponents(page string) []host.DevComponent {
	if page != "p1" {
		return nil
	}
	return []host.DevComponent{{LiveComponent: bridge.LiveComponent{ID: "c1", Page: "p1", Is: "components/x/x"}, Data: json.RawMessage(`{"k":1}`)}}
}
func (f *fakeSession) DevProbe(_ context.Context, op, selector, _ string) (json.RawMessage, error) {
	f.probes = append(f.probes, op+" "+selector)
	return json.RawMessage(`{"tag":"page"}`), nil
}
func (f *fakeSession) DevStorage() (*storage.AppStore, error) { return f.st, nil }
func (f *fakeSession) DevPerms() (*perms.Manager, perms.App)  { return f.perms, f.app }
func (f *fakeSession) DevAudit() *bridge.AuditLog             { return f.audit }
func (f *fakeSession) DevWebProcess() int                     { return 0 }

func newFake(t *testing.T) *fakeSession {
	t.Helper()
	dir := t.TempDir()
	st, err := storage.Open(storage.Config{Dir: filepath.Join(dir, "storage"), ConfigDir: dir,
		Keyring: &storage.FileKeyring{Dir: dir}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	as, err := st.App("demo")
	if err != nil {
		t.Fatal(err)
	}
	grants, err := perms.OpenStore(filepath.Join(dir, "perms.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { grants.Close() })
	m := perms.NewManager(perms.Config{Store: grants, Logger: quiet})
	audit, err := bridge.OpenAudit(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { audit.Close() })
	app := perms.App{ID: "demo", Claims: map[string]perms.Claim{"clipboard:write": {Reason: "copy codes"}}}
	return &fakeSession{st: as, perms: m, app: app, audit: audit}
}

func call(t *testing.T, s *Service, op string, args string, out any) error {
	t.Helper()
	res := s.Handle(context.Background(), Request{ID: 9, Op: op, Args: json.RawMessage(args)})
	if res.ID != 9 {
		t.Fatalf("%s answered id %d", op, res.ID)
	}
	if !res.OK {
		return errors.New(res.Error)
	}
	if out != nil {
		raw, _ := json.Marshal(res.Result)
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s result %s: %v", op, raw, err)
		}
	}
	return nil
}

// Every op of the page against real stores.
func TestServiceOps(t *testing.T) {
	f := newFake(t)
	hub := NewHub("demo")
	s := NewService(hub, f, quiet)

	if err := call(t, s, "console.eval", `{"expr":"1+1"}`, nil); !strings.Contains(fmt.Sprint(err), "project folder") {
		t.Errorf("eval outside dev: %v", err)
	}
	f.evalOK = true
	var ev struct{ Value string }
	if err := call(t, s, "console.eval", `{"expr":"1+1"}`, &ev); err != nil || ev.Value != "1+1" {
		t.Errorf("eval: %+v %v", ev, err)
	}
	hub.DevConsole(logic.ConsoleLine{Text: "a"})
	hub.DevConsole(logic.ConsoleLine{Text: "b"})
	var cs struct {
		Items []logic.ConsoleLine
		Last  uint64
	}
	if err := call(t, s, "console.since", `{"after":1}`, &cs); err != nil || len(cs.Items) != 1 || cs.Items[0].Text != "b" || cs.Last != 2 {
		t.Errorf("console.since: %+v %v", cs, err)
	}

	var ad struct {
		Pages []struct {
			ID, Error  string
			Data       json.RawMessage
			Components []host.DevComponent
		}
	}
	if err := call(t, s, "appdata.get", ``, &ad); err != nil || len(ad.Pages) != 2 || string(ad.Pages[0].Data) != `{"n":1}` ||
		ad.Pages[1].Error != "gone" || len(ad.Pages[0].Components) != 1 || ad.Pages[0].Components[0].Is != "components/x/x" {
		t.Errorf("appdata.get: %+v %v", ad, err)
	}
	if err := call(t, s, "appdata.set", `{"page":"p1","path":"list[0].done","value":true}`, nil); err != nil ||
		len(f.setData) != 1 || f.setData[0] != `p1 {"list[0].done":true}` {
		t.Errorf("appdata.set: %v %v", f.setData, err)
	}
	if err := call(t, s, "appdata.set", `{"page":"p1","path":"","value":1}`, nil); err == nil {
		t.Error("a set without a path")
	}

	if err := call(t, s, "wxml.highlight", `{"path":"0.1"}`, nil); err != nil || f.probes[0] != "dev.highlight 0.1" {
		t.Errorf("wxml: %v %v", f.probes, err)
	}

	if err := call(t, s, "storage.set", `{"key":"k","value":{"a":[1,2]}}`, nil); err != nil {
		t.Fatal(err)
	}
	if err := call(t, s, "storage.set", `{"key":"","value":1}`, nil); err == nil {
		t.Error("a set without a key")
	}
	var sl struct{ Items []storageItem }
	if err := call(t, s, "storage.list", ``, &sl); err != nil || len(sl.Items) != 1 || sl.Items[0].Key != "k" || string(sl.Items[0].Value) != `{"a":[1,2]}` {
		t.Errorf("storage.list: %+v %v", sl, err)
	}
	if v, err := f.st.Get("k"); err != nil || string(v) != `{"a":[1,2]}` {
		t.Errorf("the app's store holds %s, %v", v, err)
	}
	if err := call(t, s, "storage.remove", `{"key":"k"}`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Get("k"); !errors.Is(err, storage.ErrNoKey) {
		t.Errorf("after remove: %v", err)
	}
	f.st.Set("x", json.RawMessage(`1`))
	if err := call(t, s, "storage.clear", ``, nil); err != nil {
		t.Fatal(err)
	}
	if keys, _ := f.st.Keys(); len(keys) != 0 {
		t.Errorf("after clear: %v", keys)
	}

	if err := f.perms.Grant(f.app, "clipboard:write"); err != nil {
		t.Fatal(err)
	}
	f.audit.Record(bridge.AuditEntry{App: "demo", Kind: "api", API: "setClipboardData", Decision: "ok"})
	f.audit.Record(bridge.AuditEntry{App: "other", Kind: "api", Decision: "ok"})
	f.audit.Record(bridge.AuditEntry{App: "demo", Kind: "devtools", Decision: bridge.DecisionRefused, Reason: "forged"})
	var pl struct {
		Decisions []decision
		Audit     []bridge.AuditEntry
	}
	if err := call(t, s, "perms.list", ``, &pl); err != nil || len(pl.Decisions) != 1 || pl.Decisions[0].Decision != "granted" ||
		pl.Decisions[0].Reason != "copy codes" || len(pl.Audit) != 2 || pl.Audit[0].Reason != "forged" {
		t.Errorf("perms.list: %+v %v", pl, err)
	}
	if err := call(t, s, "perms.reset", ``, nil); err != nil {
		t.Fatal(err)
	}
	if err := call(t, s, "perms.list", ``, &pl); err != nil || pl.Decisions[0].Decision != "ask" {
		t.Errorf("after reset: %+v %v", pl.Decisions, err)
	}

	if err := call(t, s, "nope", ``, nil); err == nil || !strings.Contains(err.Error(), "unknown op") {
		t.Errorf("unknown op: %v", err)
	}
	if err := call(t, s, "console.since", `{"after":1,"extra":2}`, nil); err == nil {
		t.Error("unknown argument accepted")
	}
}
