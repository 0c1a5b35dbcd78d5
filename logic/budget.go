package logic

import (
	"fmt"
	"sync/atomic"
	"time"
)

// DefaultTaskBudget is how long one JS task (a loop job plus its end of turn) may run
// before the whole mini-app is terminated.
const DefaultTaskBudget = 2 * time.Second

// ReasonCPU is the Termination reason of a task that overran its budget. Other reasons
// are whatever the host passes to Terminate (the monitor's "heap", "denied", ...).
const ReasonCPU = "cpu"

// Termination says why a runtime was stopped by force. It is reported once, through
// Options.OnTerminate.
type Termination struct {
	Reason string // short code: "cpu", or the reason given to Terminate
	Detail string // one sentence for logs and for the shell's UI
}

// TerminatedError is Runtime.Err of a runtime that was terminated rather than stopped.
type TerminatedError struct {
	Reason string
	Detail string
}

func (e *TerminatedError) Error() string {
	return fmt.Sprintf("logic: mini-app terminated (%s): %s", e.Reason, e.Detail)
}

// Err says why the runtime ended: nil while it runs and after a normal Stop, a
// *TerminatedError after Terminate or a blown task budget.
func (r *Runtime) Err() error {
	r.endMu.Lock()
	defer r.endMu.Unlock()
	if r.endErr == nil {
		return nil
	}
	return r.endErr
}

// Terminate stops the app by force with reason (e.g. "heap"): running JS is
// interrupted, the loop ends, timers are cleared, and OnTerminate is called once from
// the loop goroutine as it exits. It does not wait (see Done), so a monitor may call it
// from any goroutine, even while the app's loop is blocked. A runtime already stopped
// or terminated is left as it is.
func (r *Runtime) Terminate(reason string) {
	r.terminate(reason, "stopped by the shell: "+reason)
}

func (r *Runtime) terminate(reason, detail string) {
	r.endMu.Lock()
	if r.ended {
		r.endMu.Unlock()
		return
	}
	r.ended = true
	r.endErr = &TerminatedError{Reason: reason, Detail: detail}
	r.endMu.Unlock()
	r.log.Warn("logic: mini-app terminated", "reason", reason, "detail", detail)
	r.loop.Stop()
	r.startGrace()
	r.vm.Interrupt(r.endErr) // goroutine-safe; ends a task that is running now
}

// reportTermination runs on the loop goroutine as it exits, after timers are cleared,
// or from abandon when the loop is stuck; only the first call reports.
func (r *Runtime) reportTermination() {
	r.end.reportOnce.Do(func() {
		r.endMu.Lock()
		e := r.endErr
		r.endMu.Unlock()
		if e != nil && r.opts.OnTerminate != nil {
			r.opts.OnTerminate(Termination{Reason: e.Reason, Detail: e.Detail})
		}
	})
}

// beginTask and endTask bracket every loop job (BeforeTurn / end of AfterTurn).
func (r *Runtime) beginTask() {
	if r.opts.OnTask != nil {
		r.opts.OnTask(true)
	}
	if r.watch != nil && r.loaded {
		r.watch.begin()
	}
}

func (r *Runtime) endTask() {
	if r.watch != nil {
		r.watch.end()
	}
	if r.opts.OnTask != nil {
		r.opts.OnTask(false)
	}
}

// epoch anchors monoNow: time.Since uses the monotonic clock.
var epoch = time.Now()

// monoNow is monotonic nanoseconds, never 0 (0 means "no task" in watchdog.start).
func monoNow() int64 { return int64(time.Since(epoch)) + 1 }

// watchdog enforces the task budget with one timer per runtime that is armed lazily:
// a task start is an atomic store, plus a timer Reset only when the timer is not
// already pending. When the timer fires it either finds the loop idle (and disarms),
// finds the running task over budget (and terminates), or re-arms for exactly the
// time the running task has left. So the deadline is exact and a busy loop costs
// about one timer per budget period, not one per task.
type watchdog struct {
	budget time.Duration
	start  atomic.Int64 // monoNow of the running task's start, shifted by pauses; 0 = idle
	armed  atomic.Bool  // a timer firing is pending
	timer  *time.Timer
	fire   func(ran time.Duration)
}

func newWatchdog(budget time.Duration, fire func(time.Duration)) *watchdog {
	w := &watchdog{budget: budget, fire: fire}
	w.timer = time.AfterFunc(budget, w.check)
	w.timer.Stop()
	return w
}

func (w *watchdog) begin() {
	w.start.Store(monoNow())
	w.arm(w.budget)
}

func (w *watchdog) end() { w.start.Store(0) }

// pause stops the clock of the running task (while the host answers a CallSync) and
// returns how much of the budget it used; ok is false when no task is being watched.
func (w *watchdog) pause() (used int64, ok bool) {
	s := w.start.Swap(0)
	if s == 0 {
		return 0, false
	}
	return monoNow() - s, true
}

func (w *watchdog) resume(used int64) {
	w.start.Store(monoNow() - used)
	w.arm(w.budget - time.Duration(used))
}

// arm schedules a check in d unless one is pending. Exactly one of the loop and the
// timer callback wins the CompareAndSwap, so at most one firing is ever pending.
func (w *watchdog) arm(d time.Duration) {
	if w.armed.CompareAndSwap(false, true) {
		w.timer.Reset(max(d, 0))
	}
}

// check runs on the timer's goroutine. Disarming before reading start means a task
// that begins concurrently either is seen here or arms the timer itself.
func (w *watchdog) check() {
	w.armed.Store(false)
	s := w.start.Load()
	if s == 0 {
		return
	}
	ran := time.Duration(monoNow() - s)
	if ran >= w.budget {
		w.fire(ran)
		return
	}
	w.arm(w.budget - ran)
}

func (w *watchdog) stop() { w.timer.Stop() }
