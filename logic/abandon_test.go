package logic

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// blockingNative installs __block(), a native that returns only when release is
// closed: a stand-in for a built-in the natives guard does not bound.
func blockingNative(t *testing.T, a *testApp) (release func()) {
	t.Helper()
	ch := make(chan struct{})
	done := make(chan struct{})
	if !a.rt.loop.Enqueue(func() {
		_ = a.rt.vm.Set("__block", func(goja.FunctionCall) goja.Value { <-ch; return goja.Undefined() })
		close(done)
	}) {
		t.Fatal("loop stopped")
	}
	<-done
	var closed bool
	return func() {
		if !closed {
			closed = true
			close(ch)
		}
	}
}

// waitStuck waits until StuckLoops is want (an abandoned goroutine came back).
func waitStuck(t *testing.T, want int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for StuckLoops() != want {
		if time.Now().After(deadline) {
			t.Fatalf("StuckLoops = %d, want %d", StuckLoops(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestStuckNativeIsAbandoned: a task stuck inside a native call is terminated by the
// budget, and StopGrace later the runtime reports the termination and is Done without
// its loop: counted, logged, PageData and Stop answer, and another app carries on.
func TestStuckNativeIsAbandoned(t *testing.T) {
	saved := StopGrace
	StopGrace = 100 * time.Millisecond
	defer func() { StopGrace = saved }()

	good := startApp(t, mapApp(map[string]string{"pages/a/a.js": goodPage}))
	good.launch(t, "pages/a/a")

	term := newTerminations()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ stuck() { __block(); } })`})
	cfg.budget, cfg.terminated = 100*time.Millisecond, term.record
	a := startApp(t, cfg)
	release := blockingNative(t, a)
	defer release()
	a.launch(t, "pages/a/a")
	abandoned, stuck := AbandonedLoops(), StuckLoops()

	a.event(t, "p1", "stuck", `{}`)
	got := term.wait(t, a.rt, 5*time.Second) // waits for Done too
	if got.Reason != ReasonCPU {
		t.Errorf("termination = %+v, want cpu", got)
	}
	if AbandonedLoops() != abandoned+1 || StuckLoops() != stuck+1 {
		t.Errorf("AbandonedLoops %d→%d, StuckLoops %d→%d", abandoned, AbandonedLoops(), stuck, StuckLoops())
	}
	if !a.logs.has("its goroutine is abandoned") {
		t.Error("abandonment not logged")
	}
	if _, err := a.rt.PageData(""); err == nil {
		t.Error("PageData of an abandoned runtime succeeded")
	}
	a.rt.Stop() // returns: the loop is abandoned, not waited for
	var te *TerminatedError
	if err := a.rt.Err(); !errors.As(err, &te) || te.Reason != ReasonCPU {
		t.Errorf("Err() = %v", err)
	}

	n := len(good.logs.console())
	good.event(t, "p1", "ping", `{}`)
	good.sync(t)
	if len(good.since(n)) != 1 {
		t.Error("the other app stopped answering")
	}

	release() // the native returns: the loop exits and is no longer stuck
	waitStuck(t, stuck)
	if n := len(term.list()); n != 1 {
		t.Errorf("OnTerminate called %d times", n)
	}
}

// TestStopDoesNotWaitOnStuckNative: Stop of a runtime whose task is stuck in a
// native returns after StopGrace (the shell's shutdown and SIGTERM depend on it).
func TestStopDoesNotWaitOnStuckNative(t *testing.T) {
	saved := StopGrace
	StopGrace = 100 * time.Millisecond
	defer func() { StopGrace = saved }()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ stuck() { __block(); } })`})
	cfg.budget = -1 // no budget: only Stop ends it
	a := startApp(t, cfg)
	release := blockingNative(t, a)
	defer release()
	a.launch(t, "pages/a/a")
	stuck := StuckLoops()
	a.event(t, "p1", "stuck", `{}`)

	stopped := make(chan struct{})
	go func() { a.rt.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop waited on a loop stuck in a native")
	}
	if a.rt.Err() != nil {
		t.Errorf("Err() after Stop = %v", a.rt.Err())
	}
	release()
	waitStuck(t, stuck)
}

// TestCatastrophicRegexpEnds: a backtracking pattern (regexp2, no match timeout of
// its own) is terminated by the budget, and its goroutine comes back once the match
// timeout set by the natives guard passes: the CPU is reclaimed.
func TestCatastrophicRegexpEnds(t *testing.T) {
	saved := StopGrace
	StopGrace = 100 * time.Millisecond
	defer func() { StopGrace = saved }()
	term := newTerminations()
	cfg := mapApp(map[string]string{"pages/a/a.js": `Page({ spin() { /^(a+)+(?=b)/.test('a'.repeat(40) + '!'); } })`})
	cfg.budget, cfg.terminated = 100*time.Millisecond, term.record
	a := startApp(t, cfg)
	a.launch(t, "pages/a/a")
	stuck := StuckLoops()
	a.event(t, "p1", "spin", `{}`)
	if got := term.wait(t, a.rt, 5*time.Second); got.Reason != ReasonCPU {
		t.Errorf("termination = %+v", got)
	}
	waitStuck(t, stuck) // within RegexpMatchTimeout
}

// has reports whether a record's message contains sub.
func (s *logSink) has(sub string) bool {
	for _, r := range s.snapshot() {
		if strings.Contains(r.msg, sub) {
			return true
		}
	}
	return false
}
