package logic

import (
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// BenchmarkRunawayStop measures how long after a runaway task crosses its budget the
// runtime is stopped (loop exited, timers cleared, OnTerminate called): the metric
// ns-beyond-budget. ns/op is budget + that.
func BenchmarkRunawayStop(b *testing.B) {
	const budget = 20 * time.Millisecond
	fsys := fstest.MapFS{
		"app.js":       {Data: []byte("App({})")},
		"pages/a/a.js": {Data: []byte(`Page({ spin() { setInterval(() => {}, 1); for (;;) {} } })`)},
	}
	launch, _ := bridge.NewEnvelope(bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a"}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	spin, _ := bridge.NewEnvelope(bridge.KindEvent, map[string]any{"target": "p1", "handler": "spin", "event": map[string]any{}})
	var beyond time.Duration
	for b.Loop() {
		b.StopTimer()
		var lastStart atomic.Int64
		rt, err := New(Options{
			AppID: "bench", FS: fsys, Pages: []string{"pages/a/a"},
			Send: func(bridge.Envelope) {}, Logger: quietLogger, TaskBudget: budget,
			OnTask: func(start bool) {
				if start {
					lastStart.Store(time.Now().UnixNano())
				}
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		rt.Deliver(launch)
		b.StartTimer()
		rt.Deliver(spin)
		<-rt.Done()
		stopped := time.Now()
		if rt.Err() == nil {
			b.Fatal("not terminated")
		}
		// The spinning task is the last one that started.
		beyond += stopped.Sub(time.Unix(0, lastStart.Load())) - budget
	}
	b.ReportMetric(float64(beyond.Nanoseconds())/float64(b.N), "ns-beyond-budget")
}

// BenchmarkTaskBudget is the cost of one (empty) loop task with the budget on and
// off: the difference is the watchdog's overhead per task.
func BenchmarkTaskBudget(b *testing.B) {
	for _, bc := range []struct {
		name   string
		budget time.Duration
	}{{"off", -1}, {"on", DefaultTaskBudget}} {
		b.Run(bc.name, func(b *testing.B) {
			rt, err := New(Options{
				AppID: "bench", FS: fstest.MapFS{"app.js": {Data: []byte("App({})")}},
				Send: func(bridge.Envelope) {}, Logger: quietLogger, TaskBudget: bc.budget,
			})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Stop()
			done := make(chan struct{})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rt.loop.Enqueue(func() {})
			}
			rt.loop.Enqueue(func() { close(done) })
			<-done
		})
	}
}

// BenchmarkWatchdogBeginEnd is the watchdog's own cost per task: two atomic stores, a
// clock read, and a CompareAndSwap that finds the timer already armed.
func BenchmarkWatchdogBeginEnd(b *testing.B) {
	w := newWatchdog(time.Hour, func(time.Duration) {})
	defer w.stop()
	for b.Loop() {
		w.begin()
		w.end()
	}
}
