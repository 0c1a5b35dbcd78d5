package logic

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// prepareAndLoad runs cfg's app in a prepared runtime, with the options tryStartApp
// gives New.
func prepareAndLoad(t *testing.T, cfg appConfig) (*testApp, error) {
	t.Helper()
	h, logs := newFakeHost(), newLogSink()
	rt, err := Prepare(Options{Send: h.Send, APIs: testAPIs, Builtins: testBuiltins, Logger: quietLogger})
	if err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	t.Cleanup(rt.Stop)
	err = rt.Load(Options{
		AppID: "test", FS: cfg.fs, Pages: cfg.pages, Components: cfg.components,
		Launch: LaunchOptions{Path: firstOr(cfg.pages), Scene: 1001},
		Send:   h.Send, CallSync: h.CallSync, APIs: testAPIs, Builtins: testBuiltins,
		Logger: slog.New(logs.handler(nil)),
	})
	return &testApp{rt: rt, host: h, logs: logs}, err
}

// TestPreparedRuntimeRunsItsApp: an app loaded into a prepared runtime behaves as in a
// runtime made for it by New: the same first push, the same answer to a tap, its own
// log; what it registers is its own.
func TestPreparedRuntimeRunsItsApp(t *testing.T) {
	cfg := projectApp(t, "testdata/todo")
	fresh := startApp(t, cfg)
	prep, err := prepareAndLoad(t, cfg)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	route := cfg.pages[0]
	want, got := fresh.launch(t, route), prep.launch(t, route)
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) {
		t.Errorf("first push in a prepared runtime:\n%s\nwant (New):\n%s", gj, wj)
	}
	if len(prep.rt.Definitions()) != len(fresh.rt.Definitions()) {
		t.Errorf("definitions %v, want %v", prep.rt.Definitions(), fresh.rt.Definitions())
	}
	if d, err := prep.rt.PageData("p1"); err != nil || !strings.Contains(string(d), `"todos"`) {
		t.Errorf("page data %s %v", d, err)
	}
}

// TestPreparedRuntimeRefuses: Load takes one app, with the options the runtime was
// prepared for; anything else is ErrNotPrepared (the caller uses New), and a load error
// names the file and stops the runtime, as New's does.
func TestPreparedRuntimeRefuses(t *testing.T) {
	app := mapApp(map[string]string{"app.js": "App({})", "pages/a/a.js": "Page({})"})
	load := func(rt *Runtime, mod func(*Options)) error {
		o := Options{FS: app.fs, Pages: app.pages, Send: func(bridge.Envelope) {}, APIs: testAPIs, Builtins: testBuiltins, Logger: quietLogger}
		if mod != nil {
			mod(&o)
		}
		return rt.Load(o)
	}
	prepare := func() *Runtime {
		rt, err := Prepare(Options{Send: func(bridge.Envelope) {}, APIs: testAPIs, Builtins: testBuiltins, Logger: quietLogger})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(rt.Stop)
		return rt
	}
	for name, mod := range map[string]func(*Options){
		"other APIs":      func(o *Options) { o.APIs = testAPIs[:1] },
		"other built-ins": func(o *Options) { o.Builtins = []string{"view"} },
		"other setData":   func(o *Options) { o.MaxSetDataBytes = 1024 },
		"other budget":    func(o *Options) { o.TaskBudget = -1 },
		"devtools' eval":  func(o *Options) { o.DevEval = true },
	} {
		rt := prepare()
		if err := load(rt, mod); !errors.Is(err, ErrNotPrepared) {
			t.Errorf("%s: %v, want ErrNotPrepared", name, err)
		}
		if err := load(rt, nil); err != nil {
			t.Errorf("%s: then the right options: %v", name, err)
		}
		if err := load(rt, nil); !errors.Is(err, ErrNotPrepared) {
			t.Errorf("%s: a second app: %v, want ErrNotPrepared", name, err)
		}
	}
	fresh := startApp(t, app)
	if err := load(fresh.rt, nil); !errors.Is(err, ErrNotPrepared) {
		t.Errorf("a runtime made by New: %v, want ErrNotPrepared", err)
	}

	rt := prepare()
	broken := mapApp(map[string]string{"app.js": "App({})", "pages/a/a.js": "Page({\n  x: (\n})"})
	err := rt.Load(Options{FS: broken.fs, Pages: broken.pages, Send: func(bridge.Envelope) {}, APIs: testAPIs, Builtins: testBuiltins, Logger: quietLogger})
	if err == nil || !strings.Contains(err.Error(), "pages/a/a.js:3") {
		t.Errorf("a broken page: %v, want its file and line", err)
	}
	select {
	case <-rt.Done():
	default:
		t.Error("a prepared runtime whose app failed to load is still running")
	}
}
