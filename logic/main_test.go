package logic

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/bridge"
)

// TestMain fails the package if any test leaves a goroutine behind. regexp2's clock
// (the match timeout's, see RegexpMatchTimeout) is shared and ends on its own.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, regexpClock) }

var regexpClock = goleak.IgnoreAnyFunction("github.com/dlclark/regexp2/v2.runClock")

func TestStopLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), regexpClock)
	a, err := tryStartApp(projectApp(t, "testdata/todo"))
	if err != nil {
		t.Fatal(err)
	}
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/index/index"}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	a.host.nextRender(t)
	// Pending timers and intervals must die with the runtime.
	a.rt.loop.Enqueue(func() {
		if _, err := a.rt.vm.RunString(`setInterval(() => {}, 1); setTimeout(() => {}, 60000);`); err != nil {
			t.Error(err)
		}
	})
	a.sync(t)
	a.rt.Stop()
	select {
	case <-a.rt.Done():
	default:
		t.Fatal("Done not closed after Stop returned")
	}
}

// TestStopFromSend: a host that stops the app from inside Send (on the loop) must not
// deadlock, and the runtime still ends.
func TestStopFromSend(t *testing.T) {
	var rt *Runtime
	ready := make(chan struct{})
	var err error
	rt, err = New(Options{
		AppID: "x",
		FS:    fstest.MapFS{"app.js": {Data: []byte("App({})")}, "pages/a/a.js": {Data: []byte("Page({})")}},
		Pages: []string{"pages/a/a"},
		Send: func(bridge.Envelope) {
			<-ready
			rt.Stop()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	close(ready)
	env, _ := bridge.NewEnvelope(bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a"}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	rt.Deliver(env)
	<-rt.Done()
	if rt.Deliver(env) {
		t.Error("Deliver after stop returned true")
	}
	if _, err := rt.PageData(""); err == nil {
		t.Error("PageData after stop succeeded")
	}
}

func TestNewValidatesOptions(t *testing.T) {
	fs := fstest.MapFS{"app.js": {Data: []byte("App({})")}}
	if _, err := New(Options{Send: func(bridge.Envelope) {}}); err == nil {
		t.Error("New without FS succeeded")
	}
	if _, err := New(Options{FS: fs}); err == nil {
		t.Error("New without Send succeeded")
	}
}

func TestMalformedInboundIsDropped(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": "Page({})"}))
	for _, env := range []bridge.Envelope{
		{V: 1, Kind: bridge.KindNav, Payload: json.RawMessage(`{"action":`)},
		{V: 1, Kind: bridge.KindRender, Payload: json.RawMessage(`{}`)},
		{V: 1, Kind: bridge.KindEvent, Payload: json.RawMessage(`{"target":"p404","handler":"x"}`)},
	} {
		if !a.rt.Deliver(env) {
			t.Errorf("Deliver(%s) = false on a running app", env.Kind)
		}
	}
	a.sync(t)
	a.launch(t, "pages/a/a") // still works
}

func TestLoadTimeout(t *testing.T) {
	saved := loadTimeout
	loadTimeout = 50 * time.Millisecond
	defer func() { loadTimeout = saved }()
	_, err := tryStartApp(mapApp(map[string]string{"app.js": "for (;;) {}", "pages/a/a.js": "Page({})"}))
	if err == nil || !strings.Contains(err.Error(), "took longer than 50ms") {
		t.Fatalf("New = %v", err)
	}
}

func TestComponentDetached(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js":      "Page({})",
		"components/x/x.js": "Component({ lifetimes: { detached() { console.log('detached ' + this.id); } }, methods: { hi() { console.log('hi'); } } })",
	}))
	a.launch(t, "pages/a/a")
	attachOne(t, a, "c1", "components/x/x", "", nil)
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Detached: []string{"c1"}})
	a.logs.waitConsole(t, "detached node-c1")
	a.event(t, "c1", "hi", `{}`)
	a.sync(t)
	for _, m := range a.logs.console() {
		if m == "hi" {
			t.Error("event reached a detached component")
		}
	}
}
