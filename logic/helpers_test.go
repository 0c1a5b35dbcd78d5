package logic

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

const waitFor = 15 * time.Second // a limit on a hang, not a speed target: -race on a loaded machine is slow

// fakeHost records what the runtime sends and answers like a host would.
type fakeHost struct {
	mu      sync.Mutex
	renders []bridge.Render
	apis    []bridge.APICall
	notify  chan struct{}
	nextR   int
	nextA   int
	queries []bridge.Query // query.go: questions for the page
	kinds   []bridge.Kind  // every outbound kind in order
	nextQ   int
	// sync answers CallSync; nil answers every call with ok and {"errMsg":"name:ok"}.
	sync func(bridge.APICall) bridge.APIResult
}

func newFakeHost() *fakeHost { return &fakeHost{notify: make(chan struct{}, 1)} }

func (h *fakeHost) Send(env bridge.Envelope) {
	h.mu.Lock()
	h.kinds = append(h.kinds, env.Kind)
	switch env.Kind {
	case bridge.KindQuery:
		var q bridge.Query
		if err := json.Unmarshal(env.Payload, &q); err != nil {
			panic("query payload is not JSON: " + err.Error())
		}
		h.queries = append(h.queries, q)
	case bridge.KindRender:
		var r bridge.Render
		if err := json.Unmarshal(env.Payload, &r); err != nil {
			panic("render payload is not JSON: " + err.Error() + ": " + string(env.Payload))
		}
		h.renders = append(h.renders, r)
	case bridge.KindAPI:
		var c bridge.APICall
		if err := json.Unmarshal(env.Payload, &c); err != nil {
			panic("api payload is not JSON: " + err.Error())
		}
		h.apis = append(h.apis, c)
	default:
		panic("unexpected outbound kind " + string(env.Kind))
	}
	h.mu.Unlock()
	select {
	case h.notify <- struct{}{}:
	default:
	}
}

func (h *fakeHost) CallSync(c bridge.APICall) bridge.APIResult {
	if h.sync != nil {
		return h.sync(c)
	}
	return bridge.APIResult{ID: c.ID, OK: true, Result: json.RawMessage(`{"errMsg":"` + c.Name + `:ok"}`)}
}

func (h *fakeHost) wait(t *testing.T, what string, ready func() bool) {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		h.mu.Lock()
		ok := ready()
		h.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-h.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// nextRender returns the next render push not yet returned.
func (h *fakeHost) nextRender(t *testing.T) bridge.Render {
	t.Helper()
	h.wait(t, "a render push", func() bool { return len(h.renders) > h.nextR })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextR++
	return h.renders[h.nextR-1]
}

// nextAPI returns the next api call not yet returned.
func (h *fakeHost) nextAPI(t *testing.T) bridge.APICall {
	t.Helper()
	h.wait(t, "an api call", func() bool { return len(h.apis) > h.nextA })
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextA++
	return h.apis[h.nextA-1]
}

func (h *fakeHost) renderCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.renders)
}

// firstRender is the first render push sent, if any (the loop may be sending more).
func (h *fakeHost) firstRender() (bridge.Render, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.renders) == 0 {
		return bridge.Render{}, false
	}
	return h.renders[0], true
}

// logSink records log records; console output arrives with source=console.
type logSink struct {
	mu      sync.Mutex
	records []logRecord
	notify  chan struct{}
}

type logRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func newLogSink() *logSink { return &logSink{notify: make(chan struct{}, 1)} }

func (s *logSink) handler(attrs []slog.Attr) slog.Handler { return &sinkHandler{s: s, attrs: attrs} }

type sinkHandler struct {
	s     *logSink
	attrs []slog.Attr
}

func (h *sinkHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *sinkHandler) WithGroup(string) slog.Handler            { return h }
func (h *sinkHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &sinkHandler{s: h.s, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}
func (h *sinkHandler) Handle(_ context.Context, r slog.Record) error {
	rec := logRecord{level: r.Level, msg: r.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		rec.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool { rec.attrs[a.Key] = a.Value.String(); return true })
	h.s.mu.Lock()
	h.s.records = append(h.s.records, rec)
	h.s.mu.Unlock()
	select {
	case h.s.notify <- struct{}{}:
	default:
	}
	return nil
}

// snapshot returns a copy of every record so far.
func (s *logSink) snapshot() []logRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]logRecord(nil), s.records...)
}

// console returns the console messages so far.
func (s *logSink) console() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.records {
		if r.attrs["source"] == "console" {
			out = append(out, r.msg)
		}
	}
	return out
}

// waitConsole waits until a console message containing sub appears and returns it.
func (s *logSink) waitConsole(t *testing.T, sub string) string {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		for _, m := range s.console() {
			if strings.Contains(m, sub) {
				return m
			}
		}
		select {
		case <-s.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for console %q; have %q", sub, s.console())
		}
	}
}

// testApp is a mini-app under test with its fake host and log.
type testApp struct {
	rt   *Runtime
	host *fakeHost
	logs *logSink
}

type appConfig struct {
	fs         fs.FS
	pages      []string
	components []string
	maxSetData int
	sync       func(bridge.APICall) bridge.APIResult
	budget     time.Duration     // Options.TaskBudget
	terminated func(Termination) // Options.OnTerminate
	onTask     func(bool)        // Options.OnTask
	launch     string            // Options.Launch.Path; the first page when empty
	compPages  []string          // Options.ComponentPages
	console    func(ConsoleLine) // Options.Console
	devEval    bool              // Options.DevEval
}

func startApp(t testing.TB, cfg appConfig) *testApp {
	t.Helper()
	a, err := tryStartApp(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(a.rt.Stop)
	return a
}

func tryStartApp(cfg appConfig) (*testApp, error) {
	h := newFakeHost()
	h.sync = cfg.sync
	logs := newLogSink()
	rt, err := New(Options{
		AppID:           "test",
		FS:              cfg.fs,
		Pages:           cfg.pages,
		Components:      cfg.components,
		ComponentPages:  cfg.compPages,
		Launch:          LaunchOptions{Path: cmpOr(cfg.launch, firstOr(cfg.pages)), Scene: 1001},
		Send:            h.Send,
		CallSync:        h.CallSync,
		APIs:            testAPIs,
		Builtins:        testBuiltins,
		Logger:          slog.New(logs.handler(nil)),
		MaxSetDataBytes: cfg.maxSetData,
		TaskBudget:      cfg.budget,
		OnTerminate:     cfg.terminated,
		OnTask:          cfg.onTask,
		Console:         cfg.console,
		DevEval:         cfg.devEval,
	})
	if err != nil {
		return nil, err
	}
	return &testApp{rt: rt, host: h, logs: logs}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// mapApp builds an in-memory app: files maps path → source; pages and components are
// taken from the files named pages/... and components/... ending in .js.
func mapApp(files map[string]string) appConfig {
	m := fstest.MapFS{}
	cfg := appConfig{fs: m}
	for name, src := range files {
		m[name] = &fstest.MapFile{Data: []byte(src)}
		// Only dir/name/name.js files are pages or components; others are modules.
		route := strings.TrimSuffix(name, ".js")
		if !strings.HasSuffix(name, ".js") || path.Base(route) != path.Base(path.Dir(route)) {
			continue
		}
		switch {
		case strings.HasPrefix(name, "pages/"):
			cfg.pages = append(cfg.pages, route)
		case strings.HasPrefix(name, "components/"):
			cfg.components = append(cfg.components, route)
		}
	}
	sortStrings(cfg.pages)
	sortStrings(cfg.components)
	if _, ok := files["app.js"]; !ok {
		m["app.js"] = &fstest.MapFile{Data: []byte("App({})")}
	}
	return cfg
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// projectApp loads a mini-app directory the way the host would: pages from app.json,
// components from every page's and component's usingComponents.
func projectApp(t testing.TB, dir string) appConfig {
	t.Helper()
	fsys := os.DirFS(dir)
	var manifest struct {
		Pages []string `json:"pages"`
	}
	readJSON(t, fsys, "app.json", &manifest)
	cfg := appConfig{fs: fsys, pages: manifest.Pages}
	seen := map[string]bool{}
	var visit func(owner string)
	visit = func(owner string) {
		var page struct {
			UsingComponents map[string]string `json:"usingComponents"`
		}
		if _, err := fs.Stat(fsys, owner+".json"); err != nil {
			return
		}
		readJSON(t, fsys, owner+".json", &page)
		for _, ref := range page.UsingComponents {
			p := strings.TrimPrefix(ref, "/")
			if strings.HasPrefix(ref, ".") {
				p = path.Join(path.Dir(owner), ref)
			}
			if !seen[p] {
				seen[p] = true
				cfg.components = append(cfg.components, p)
				visit(p)
			}
		}
	}
	for _, p := range manifest.Pages {
		visit(p)
	}
	return cfg
}

func readJSON(t testing.TB, fsys fs.FS, name string, v any) {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
}

func envelope(t testing.TB, kind bridge.Kind, payload any) bridge.Envelope {
	t.Helper()
	env, err := bridge.NewEnvelope(kind, payload)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func (a *testApp) deliver(t testing.TB, kind bridge.Kind, payload any) {
	t.Helper()
	if !a.rt.Deliver(envelope(t, kind, payload)) {
		t.Fatalf("Deliver(%s) refused", kind)
	}
}

// launch opens route as p1 and acks its first push; returns that push.
func (a *testApp) launch(t *testing.T, route string) bridge.Render {
	t.Helper()
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: route, Query: map[string]string{}}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	r := a.host.nextRender(t)
	a.ack(t, r.Seq)
	return r
}

func (a *testApp) ack(t testing.TB, seq uint64) {
	t.Helper()
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: seq})
}

func (a *testApp) event(t testing.TB, target, handler string, detail string) {
	t.Helper()
	a.deliver(t, bridge.KindEvent, map[string]any{
		"target": target, "handler": handler,
		"event": map[string]any{"type": "tap", "timeStamp": 1, "detail": json.RawMessage(detail),
			"target": map[string]any{"id": "", "dataset": map[string]any{}}, "currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}},
	})
}

// pageData reads a page's data into a generic value.
func (a *testApp) pageData(t testing.TB, id string) map[string]any {
	t.Helper()
	raw, err := a.rt.PageData(id)
	if err != nil {
		t.Fatalf("PageData(%q): %v", id, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("PageData(%q) is not JSON: %v", id, err)
	}
	return m
}

// diffOf returns the decoded diff of the data op for target in r.
func diffOf(t testing.TB, r bridge.Render, target string) map[string]any {
	t.Helper()
	for _, op := range r.Ops {
		if op.Op == "data" && op.Target == target {
			var m map[string]any
			if err := json.Unmarshal(op.Diff, &m); err != nil {
				t.Fatalf("diff is not JSON: %v", err)
			}
			return m
		}
	}
	t.Fatalf("push %d has no data op for %s: %+v", r.Seq, target, r.Ops)
	return nil
}

func jsonString(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
