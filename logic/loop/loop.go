// Package loop is a minimal single-goroutine event loop: other goroutines enqueue jobs,
// one goroutine runs them in FIFO order and calls a hook after every job (one "turn").
// The logic runtime uses the hook to coalesce all setData of a turn into one render push.
package loop

import (
	"bytes"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
)

// Loop runs jobs on one goroutine. The zero value is not usable; call New.
type Loop struct {
	mu      sync.Mutex
	queue   []func()
	spare   []func()
	stopped bool

	wake       chan struct{}
	stop       chan struct{}
	done       chan struct{}
	stopOnce   sync.Once
	goid       atomic.Uint64
	beforeTurn func()
	afterTurn  func()
	onExit     func()
	log        *slog.Logger
}

// Options configure a Loop.
type Options struct {
	BeforeTurn func()       // called on the loop before every job; nil for none
	AfterTurn  func()       // called on the loop after every job, even one that panicked; nil for none
	OnExit     func()       // called on the loop goroutine once, when it stops
	Logger     *slog.Logger // panics in jobs are logged here
}

// New starts a loop goroutine.
func New(opts Options) *Loop {
	l := &Loop{
		wake:       make(chan struct{}, 1),
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
		beforeTurn: opts.BeforeTurn,
		afterTurn:  opts.AfterTurn,
		onExit:     opts.OnExit,
		log:        opts.Logger,
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	go l.run()
	return l
}

// Enqueue adds a job. It never blocks; it returns false once the loop is stopped.
func (l *Loop) Enqueue(job func()) bool {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return false
	}
	l.queue = append(l.queue, job)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return true
}

// Stop asks the loop to exit after the job it is running. Idempotent; it does not wait
// (see Done).
func (l *Loop) Stop() {
	l.stopOnce.Do(func() {
		l.mu.Lock()
		l.stopped = true
		l.queue = nil
		l.mu.Unlock()
		close(l.stop)
	})
}

// Stopping reports whether Stop was called.
func (l *Loop) Stopping() bool {
	select {
	case <-l.stop:
		return true
	default:
		return false
	}
}

// Done is closed when the loop goroutine has exited (after OnExit ran).
func (l *Loop) Done() <-chan struct{} { return l.done }

// OnLoop reports whether the caller runs on the loop goroutine. Blocking helpers use it
// to avoid waiting on themselves.
func (l *Loop) OnLoop() bool { return l.goid.Load() == currentGoroutineID() }

func (l *Loop) run() {
	l.goid.Store(currentGoroutineID())
	defer close(l.done)
	if l.onExit != nil {
		defer l.safe(l.onExit)
	}
	for {
		select {
		case <-l.stop:
			return
		case <-l.wake:
		}
		for {
			l.mu.Lock()
			jobs := l.queue
			l.queue, l.spare = l.spare[:0], nil
			l.mu.Unlock()
			if len(jobs) == 0 {
				break
			}
			for i, job := range jobs {
				if l.Stopping() {
					return
				}
				if l.beforeTurn != nil {
					l.safe(l.beforeTurn)
				}
				l.safe(job)
				if l.afterTurn != nil {
					l.safe(l.afterTurn)
				}
				jobs[i] = nil
			}
			l.mu.Lock()
			if l.spare == nil {
				l.spare = jobs[:0]
			}
			l.mu.Unlock()
		}
	}
}

// safe runs fn; a panic is logged and the loop keeps going, so one bad job cannot end it.
func (l *Loop) safe(fn func()) {
	defer func() {
		if p := recover(); p != nil {
			l.log.Error("loop: job panicked", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	fn()
}

// currentGoroutineID parses "goroutine N [" from the stack header. It is only used to
// detect re-entrant blocking calls, never for scheduling.
func currentGoroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
