package logic

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/bridge"
)

// terminations records OnTerminate calls.
type terminations struct {
	mu   sync.Mutex
	got  []Termination
	once chan struct{}
}

func newTerminations() *terminations { return &terminations{once: make(chan struct{})} }

func (r *terminations) record(t Termination) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, t)
	if len(r.got) == 1 {
		close(r.once)
	}
}

func (r *terminations) list() []Termination {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Termination(nil), r.got...)
}

// wait waits for the first termination, then for the loop to exit.
func (r *terminations) wait(t *testing.T, rt *Runtime, within time.Duration) Termination {
	t.Helper()
	select {
	case <-r.once:
	case <-time.After(within):
		t.Fatalf("not terminated within %s", within)
	}
	<-rt.Done()
	return r.list()[0]
}

const goodPage = `Page({ data: { n: 0 }, ping() { this.setData({ n: this.data.n + 1 }); console.log('pong ' + this.data.n); } })`

// TestRunawayTaskTerminates: whatever kind of task spins, the app is terminated with
// reason "cpu" once the task has run for its budget, and a second app carries on.
func TestRunawayTaskTerminates(t *testing.T) {
	good := startApp(t, mapApp(map[string]string{"pages/a/a.js": goodPage}))
	good.launch(t, "pages/a/a")

	const budget = 150 * time.Millisecond
	for _, tc := range []struct {
		name    string
		page    string
		trigger func(t *testing.T, a *testApp)
	}{
		{"event handler", `Page({ spin() { while (true) {} } })`,
			func(t *testing.T, a *testApp) { a.event(t, "p1", "spin", `{}`) }},
		{"timer", `Page({ spin() { setTimeout(() => { for (;;) {} }, 0); } })`,
			func(t *testing.T, a *testApp) { a.event(t, "p1", "spin", `{}`) }},
		{"tight loop in setInterval", `Page({ spin() { let n = 0; setInterval(() => { if (++n === 5) { for (;;) {} } }, 1); } })`,
			func(t *testing.T, a *testApp) { a.event(t, "p1", "spin", `{}`) }},
		{"nextTick", `Page({ spin() { wx.nextTick(() => { for (;;) {} }); } })`,
			func(t *testing.T, a *testApp) { a.event(t, "p1", "spin", `{}`) }},
		{"api result", `Page({ spin() { wx.showToast({ title: 'x' }).then(() => { for (;;) {} }); } })`,
			func(t *testing.T, a *testApp) {
				a.event(t, "p1", "spin", `{}`)
				call := a.host.nextAPI(t)
				a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: call.ID, OK: true, Result: json.RawMessage(`{"errMsg":"showToast:ok"}`)})
			}},
		{"lifecycle", `Page({ onHide() { for (;;) {} } })`,
			func(t *testing.T, a *testApp) {
				a.deliver(t, bridge.KindNav, bridge.Nav{Action: "navigateTo", Open: &bridge.NavOpen{Page: "p2", Route: "pages/a/a"}, Show: "p2", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}, {ID: "p2"}}}})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := newTerminations()
			cfg := mapApp(map[string]string{"pages/a/a.js": tc.page})
			cfg.budget, cfg.terminated = budget, term.record
			a := startApp(t, cfg)
			a.launch(t, "pages/a/a")
			start := time.Now()
			tc.trigger(t, a)
			got := term.wait(t, a.rt, budget+waitFor)
			if elapsed := time.Since(start); elapsed < budget {
				t.Errorf("terminated after %s, before the budget of %s", elapsed, budget)
			}
			if got.Reason != ReasonCPU || got.Detail == "" {
				t.Errorf("termination = %+v, want reason cpu with a detail", got)
			}
			var te *TerminatedError
			if err := a.rt.Err(); !errors.As(err, &te) || te.Reason != ReasonCPU {
				t.Errorf("Err() = %v, want a *TerminatedError with reason cpu", err)
			}
			if a.rt.Deliver(envelope(t, bridge.KindEvent, map[string]string{"target": "p1", "handler": "spin"})) {
				t.Error("Deliver after termination returned true")
			}
			a.rt.Stop() // does not change the reason, nor report again
			if n := len(term.list()); n != 1 {
				t.Errorf("OnTerminate called %d times", n)
			}
			if err := a.rt.Err(); !errors.As(err, &te) {
				t.Errorf("Err() after Stop = %v", err)
			}

			// The other app still answers.
			n := len(good.logs.console())
			good.event(t, "p1", "ping", `{}`)
			good.sync(t)
			if got := good.since(n); len(got) != 1 {
				t.Errorf("good app after the other was terminated: console %q", got)
			}
		})
	}
}

// TestManyShortTasksStayUnderBudget: the budget is per task, not cumulative.
func TestManyShortTasksStayUnderBudget(t *testing.T) {
	term := newTerminations()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ go() {
  let n = 0;
  const iv = setInterval(() => {
    const t = Date.now(); while (Date.now() - t < 5) {}
    if (++n === 100) { clearInterval(iv); console.log('done ' + n); }
  }, 1);
} })`})
	cfg.budget, cfg.terminated = 250*time.Millisecond, term.record
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	// ≥ 500 ms of JS in all, 5 ms per task.
	deadline := time.Now().Add(waitFor + time.Second)
	for !slices.Contains(a.logs.console(), "done 100") {
		if got := term.list(); len(got) > 0 {
			t.Fatalf("terminated: %+v", got)
		}
		if time.Now().After(deadline) {
			t.Fatalf("interval did not finish: console %q", a.logs.console())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := term.list(); len(got) != 0 || a.rt.Err() != nil {
		t.Errorf("terminated: %+v, Err %v", got, a.rt.Err())
	}
}

// TestCallSyncIsNotCharged: time the host spends answering a sync API stops the clock.
func TestCallSyncIsNotCharged(t *testing.T) {
	const budget = 100 * time.Millisecond
	term := newTerminations()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ go() { wx.getSystemInfoSync(); wx.getSystemInfoSync(); console.log('answered'); } })`})
	cfg.budget, cfg.terminated = budget, term.record
	cfg.sync = func(c bridge.APICall) bridge.APIResult {
		time.Sleep(budget * 2)
		return bridge.APIResult{ID: c.ID, OK: true, Result: json.RawMessage(`{"errMsg":"getSystemInfoSync:ok"}`)}
	}
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	a.logs.waitConsole(t, "answered")
	a.sync(t)
	if got := term.list(); len(got) != 0 {
		t.Errorf("terminated while the host answered: %+v", got)
	}
}

// TestLoadIsNotUnderTheTaskBudget: loading has its own limit (loadTimeout).
func TestLoadIsNotUnderTheTaskBudget(t *testing.T) {
	cfg := mapApp(map[string]string{
		"app.js":       `const t = Date.now(); while (Date.now() - t < 150) {} App({})`,
		"pages/a/a.js": "Page({})",
	})
	cfg.budget = 30 * time.Millisecond
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	if err := a.rt.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
}

func TestTerminate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		stopFirst  bool
		wantReport bool
	}{
		{"terminate a running app", false, true},
		{"terminate after Stop", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := newTerminations()
			cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ onShow() { setInterval(() => {}, 1); } })`})
			cfg.terminated = term.record
			a := startApp(t, cfg)
			a.launch(t, "pages/a/a")
			if tc.stopFirst {
				a.rt.Stop()
			}
			a.rt.Terminate("heap")
			a.rt.Terminate("denied") // the first reason wins
			<-a.rt.Done()
			got := term.list()
			if !tc.wantReport {
				if len(got) != 0 || a.rt.Err() != nil {
					t.Errorf("after Stop: reports %+v, Err %v", got, a.rt.Err())
				}
				return
			}
			if len(got) != 1 || got[0].Reason != "heap" {
				t.Errorf("reports = %+v, want one with reason heap", got)
			}
			var te *TerminatedError
			if err := a.rt.Err(); !errors.As(err, &te) || te.Reason != "heap" {
				t.Errorf("Err() = %v", err)
			}
			a.rt.loop.Enqueue(func() {}) // no-op: stopped
			if len(a.rt.timers) != 0 {
				t.Errorf("%d timers left", len(a.rt.timers))
			}
		})
	}
}

// TestTerminatedAppLeavesNoGoroutine: a runaway app with pending timers and intervals,
// terminated, leaves nothing running.
func TestTerminatedAppLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), regexpClock)
	term := newTerminations()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ spin() {
  setInterval(() => {}, 1); setTimeout(() => {}, 60000);
  for (;;) {}
} })`})
	cfg.budget, cfg.terminated = 50*time.Millisecond, term.record
	a, err := tryStartApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "spin", `{}`)
	term.wait(t, a.rt, waitFor)
}

// TestOnTaskBrackets: every task, loading included, is reported start then end.
func TestOnTaskBrackets(t *testing.T) {
	var depth, starts atomic.Int64
	var bad atomic.Bool
	cfg := mapApp(map[string]string{"pages/a/a.js": goodPage})
	cfg.onTask = func(start bool) {
		if start {
			starts.Add(1)
			if depth.Add(1) != 1 {
				bad.Store(true)
			}
		} else if depth.Add(-1) != 0 {
			bad.Store(true)
		}
	}
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "ping", `{}`)
	a.sync(t)
	a.rt.Stop()
	if bad.Load() || depth.Load() != 0 || starts.Load() < 4 {
		t.Errorf("OnTask: unbalanced=%v depth=%d starts=%d", bad.Load(), depth.Load(), starts.Load())
	}
}

func TestWatchdogRearmsForTheRemainder(t *testing.T) {
	fired := make(chan time.Duration, 1)
	w := newWatchdog(40*time.Millisecond, func(d time.Duration) { fired <- d })
	defer w.stop()
	// A first short task arms the timer; a second one starts later and must still get
	// its full budget (the check at the first deadline re-arms for the remainder).
	w.begin()
	w.end()
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	w.begin()
	select {
	case ran := <-fired:
		if since := time.Since(start); since < 40*time.Millisecond || ran < 40*time.Millisecond {
			t.Errorf("fired after %s (ran %s), before the budget", since, ran)
		}
	case <-time.After(waitFor):
		t.Fatal("watchdog never fired for a task that did not end")
	}
}
