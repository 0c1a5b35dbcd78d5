package logic

import (
	"sync"
	"sync/atomic"
	"time"
)

// StopGrace is how long Stop and Terminate give running JavaScript to notice the
// interrupt before the loop goroutine is abandoned. goja checks an interrupt only
// between JavaScript instructions, so a task stuck inside a native function (one the
// natives guard missed) would otherwise hold Stop, Done and the session's teardown
// forever. An abandoned goroutine is logged and counted (AbandonedLoops, StuckLoops);
// it cannot be killed, so in process it keeps its CPU until the native returns: process
// isolation is what gets the CPU back (the child exits).
var StopGrace = time.Second

var (
	abandonedLoops atomic.Int64 // loops abandoned since the process started
	stuckLoops     atomic.Int64 // abandoned loops still running a native
)

// AbandonedLoops is how many mini-app loops were abandoned because a task did not
// return within StopGrace of being interrupted (a metric: the monitor reports it).
func AbandonedLoops() int64 { return abandonedLoops.Load() }

// StuckLoops is how many abandoned loops are still running now.
func StuckLoops() int64 { return stuckLoops.Load() }

// ending is the part of a Runtime that says it has finished: the loop exited, or it was
// abandoned. Done, Stop and PageData wait on it, never on the loop itself.
type ending struct {
	finished   chan struct{}
	finishOnce sync.Once
	reportOnce sync.Once // OnTerminate runs once, from the loop or from abandon
	graceOnce  sync.Once
	grace      *time.Timer
	mu         sync.Mutex
	abandoned  bool        // guarded by mu
	exited     bool        // guarded by mu
	halted     atomic.Bool // Stop or Terminate was called: guarded natives throw
}

func (e *ending) finish() { e.finishOnce.Do(func() { close(e.finished) }) }

// startGrace arms the abandonment timer once; the loop's exit disarms it.
func (r *Runtime) startGrace() {
	r.end.halted.Store(true)
	r.end.graceOnce.Do(func() {
		r.end.grace = time.AfterFunc(StopGrace, r.abandon)
	})
}

// abandon runs StopGrace after Stop or Terminate if the loop has not exited: the
// runtime is reported finished (and terminated, if it was) without its loop.
func (r *Runtime) abandon() {
	r.end.mu.Lock()
	if r.end.exited {
		r.end.mu.Unlock()
		return
	}
	r.end.abandoned = true
	r.end.mu.Unlock()
	abandonedLoops.Add(1)
	stuckLoops.Add(1)
	r.log.Error("logic: the mini-app's task did not stop within the grace period: its goroutine is abandoned",
		"grace", StopGrace, "abandonedLoops", abandonedLoops.Load(), "stuckLoops", stuckLoops.Load())
	r.reportTermination()
	r.end.finish()
}

// loopExited runs on the loop goroutine as it exits (end of cleanup).
func (r *Runtime) loopExited() {
	r.end.graceOnce.Do(func() {}) // no grace timer from now on
	if r.end.grace != nil {
		r.end.grace.Stop()
	}
	r.end.mu.Lock()
	r.end.exited = true
	abandoned := r.end.abandoned
	r.end.mu.Unlock()
	if abandoned {
		stuckLoops.Add(-1)
		r.log.Warn("logic: an abandoned mini-app goroutine returned", "stuckLoops", stuckLoops.Load())
	}
	r.end.finish()
}
