package logic

import (
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// benchRuntime starts an app whose only page is src, launched as p1, with a Send that
// only counts pushes and bytes.
func benchRuntime(b *testing.B, src string) (*Runtime, *atomic.Int64) {
	b.Helper()
	var bytes atomic.Int64
	r, err := New(Options{
		AppID:  "bench",
		FS:     fstest.MapFS{"app.js": {Data: []byte("App({})")}, "pages/a/a.js": {Data: []byte(src)}},
		Pages:  []string{"pages/a/a"},
		Send:   func(env bridge.Envelope) { bytes.Add(int64(len(env.Payload))) },
		Logger: quietLogger,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(r.Stop)
	env, _ := bridge.NewEnvelope(bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a"}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	r.Deliver(env)
	return r, &bytes
}

// onLoop runs fn as one loop job and waits for it.
func onLoop(r *Runtime, fn func()) {
	done := make(chan struct{})
	r.loop.Enqueue(func() { fn(); close(done) })
	<-done
}

// benchTurns calls the page method `name` with the turn number, then ends the turn
// (nextTick, rejections, flush → encode → Send): one setData turn per iteration.
func benchTurns(b *testing.B, r *Runtime, name string, bytes *atomic.Int64) {
	onLoop(r, func() {
		page := r.vm.Get("getCurrentPages").(*goja.Object)
		getPages, _ := goja.AssertFunction(page)
		pages, err := getPages(goja.Undefined())
		if err != nil {
			b.Fatal(err)
		}
		inst := pages.(*goja.Object).Get("0").(*goja.Object)
		method, ok := goja.AssertFunction(inst.Get(name))
		if !ok {
			b.Fatalf("no method %s", name)
		}
		r.endTurn()
		start := bytes.Load()
		seq := r.seq
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := method(inst, r.vm.ToValue(i)); err != nil {
				b.Fatal(err)
			}
			r.endTurn()
		}
		b.StopTimer()
		if pushes := r.seq - seq; pushes != uint64(b.N) {
			b.Fatalf("%d pushes for %d turns", pushes, b.N)
		}
		b.ReportMetric(float64(bytes.Load()-start)/float64(b.N), "push-bytes/op")
	})
}

func BenchmarkSetDataOneField(b *testing.B) {
	r, bytes := benchRuntime(b, `Page({ data: { count: 0, title: 'x' }, bump(i) { this.setData({ count: i }); } })`)
	benchTurns(b, r, "bump", bytes)
}

// BenchmarkSetDataList1000 pushes a whole 1000-item list each turn (one item changed):
// validate, stringify, measure, apply, diff and encode the push.
func BenchmarkSetDataList1000(b *testing.B) {
	r, bytes := benchRuntime(b, `
const list = [];
for (let i = 0; i < 1000; i++) list.push({ id: i, title: 'Task number ' + i, done: false, tags: ['a', 'b'] });
Page({
  data: { list: list },
  push(i) {
    const list = this.data.list;
    list[i % 1000].done = !list[i % 1000].done;
    this.setData({ list: list });
  },
});`)
	benchTurns(b, r, "push", bytes)
}

// BenchmarkColdStartTodo: New → launch nav → first push → ack → onReady, with a fake
// host. It uses examples/todo when the example exists, else testdata/todo.
func BenchmarkColdStartTodo(b *testing.B) {
	dir := "testdata/todo"
	if _, err := os.Stat("../examples/todo/app.json"); err == nil {
		dir = "../examples/todo"
	}
	b.Logf("app: %s", dir)
	cfg := projectApp(b, dir)
	route := cfg.pages[0]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pushed := make(chan uint64, 4)
		r, err := New(Options{
			AppID: "todo", FS: cfg.fs, Pages: cfg.pages, Components: cfg.components, Logger: quietLogger, APIs: testAPIs, Builtins: testBuiltins,
			Launch: LaunchOptions{Path: route},
			Send: func(env bridge.Envelope) {
				if env.Kind == bridge.KindRender {
					select {
					case pushed <- 0:
					default:
					}
				}
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		nav, _ := bridge.NewEnvelope(bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: route}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
		r.Deliver(nav)
		<-pushed
		ack, _ := bridge.NewEnvelope(bridge.KindReady, bridge.Ready{Seq: 1})
		r.Deliver(ack)
		var readied bool
		onLoop(r, func() { readied = r.pages["p1"].readyDone })
		if !readied {
			b.Fatal("onReady did not run after the ack")
		}
		r.Stop()
	}
}
