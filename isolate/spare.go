package isolate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/logic"
)

// A spare is a logic child started before the app it will run is known: the launcher
// keeps one (Pool, launcher.prewarm) so that a launch does not wait for the child's
// binary to be exec'd, the Go runtime and packages initialised, the framework compiled,
// nor for the child to limit and confine itself (docs/isolate.md, "Spare children").
//
// A spare holds nothing of any app and may do nothing an app could not: it reads one
// `spare` frame (the limits and the parent's pid, the same for every app of the shell),
// compiles the framework and runs it once over a stub app of the shell's own, then
// stops that runtime (logic.Warm): the shell's own code only. Then, before it says
// `warm`, it applies the limits and confines itself exactly as a child does before its
// app's code runs (death with the parent, Landlock with no file system at all,
// no_new_privs, seccomp), as a child whose code is sent does (code.go): it will never
// open a file again. Its app comes in the ordinary code frames and init: a spare's app
// is run as soon as it is read. An app too big to send (init's ReadDir) cannot use a
// spare, which needs no folder; it starts a child of its own. A spare is handed out
// once; a child takes one init and never a second (another init is a protocol error:
// exit 11), so no child ever serves two apps.

// Frame types of a spare: parent → child tSpare (first, instead of init, body spareBody),
// child → parent tWarm (once, body warmBody). Then the app's code frames and init, as
// for any child.
const (
	tSpare = "spare"
	tWarm  = "warm"
)

// spareBody is the parent's first frame to a spare: what it limits and confines itself
// with, nothing of any app.
type spareBody struct {
	MemoryLimit uint64        `json:"memoryLimit"`
	CPULimit    time.Duration `json:"cpuLimit"`
	ParentPID   int           `json:"parentPid"`
	// Setup: what the spare prepares a logic runtime with (logic.Prepare), the shell's
	// own: the host API shapes and built-in components wx is built from, the setData
	// bound, the task budget. nil: it prepares none, and its app's runtime is made at
	// init. An app whose options differ gets a runtime made for it (logic.New).
	Setup *spareSetup `json:"setup,omitempty"`
}

type spareSetup struct {
	APIs            []hostapi.Shape `json:"apis"`
	Builtins        []string        `json:"builtins"`
	MaxSetDataBytes int             `json:"maxSetDataBytes"`
	TaskBudget      time.Duration   `json:"taskBudget"`
}

// setupOf is the part of lo a spare prepares its runtime with; nil without APIs.
func setupOf(lo logic.Options) *spareSetup {
	if lo.APIs == nil {
		return nil
	}
	return &spareSetup{APIs: lo.APIs, Builtins: lo.Builtins, MaxSetDataBytes: lo.MaxSetDataBytes, TaskBudget: lo.TaskBudget}
}

// warmBody is a spare's answer: it is ready for its app, limited and confined. Error
// says what failed while warming (the framework would not compile: the app will fail
// to load with the same error; the limits could not be set: its init is refused).
type warmBody struct {
	Error string `json:"error,omitempty"`
}

// spareState is the parent's side of a spare's hand-over.
type spareState struct {
	spawn    Options       // Exe, Args, Env: what the child was started with; never changes
	warmed   chan struct{} // closed when the warm frame came
	warmOnce sync.Once
	handed   chan struct{} // closed at hand-over, after Runtime.o is complete
	take     sync.Once
	took     atomic.Bool
}

// warm handles the child's warm frame (reader goroutine).
func (s *spareState) warm(r *Runtime, w *warmBody) error {
	again := true
	s.warmOnce.Do(func() { again = false })
	if again {
		return errors.New("warm: sent twice")
	}
	if w.Error != "" {
		r.log.Warn("isolate: the spare child could not warm up", "err", w.Error)
	} else {
		r.log.Debug("isolate: spare child warm")
	}
	close(s.warmed)
	return nil
}

// handedOver reports whether the spare has been given its app.
func (s *spareState) handedOver() bool {
	select {
	case <-s.handed:
		return true
	default:
		return false
	}
}

// Spare is a logic child started ahead of its app (StartSpare). Start hands it the app.
type Spare struct {
	r *Runtime
}

// ErrSpareGone is Spare.Start's error for a spare that ended (or was closed) before it
// could be handed an app: nothing of the app reached it, and a cold Start can be tried.
var ErrSpareGone = errors.New("isolate: the spare child is gone")

// StartSpare starts a spare child. Only Exe, Args, Env, Logger, MemoryLimit, CPULimit
// and Logic's APIs, Builtins, MaxSetDataBytes and TaskBudget of o are used: they are what
// the child is spawned, limited, confined and prepared with, and Spare.Start takes only
// options that agree (Matches; an app with other logic options gets a runtime of its
// own in the spare). It does not wait for the child (Warm).
func StartSpare(o Options) (*Spare, error) {
	if o.Exe == "" {
		return nil, errors.New("isolate: Options.Exe is required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	spawnOpts := Options{Exe: o.Exe, Args: slices.Clone(o.Args), Env: slices.Clone(o.Env), Logger: o.Logger,
		MemoryLimit: o.MemoryLimit, CPULimit: o.CPULimit}
	if err := normLimits(&spawnOpts); err != nil {
		return nil, err
	}
	first, err := encodeFrame(tSpare, 0, spareBody{MemoryLimit: spawnOpts.MemoryLimit, CPULimit: spawnOpts.CPULimit,
		ParentPID: os.Getpid(), Setup: setupOf(o.Logic)})
	if err != nil {
		return nil, err
	}
	r := newRuntime(spawnOpts)
	r.spare = &spareState{spawn: spawnOpts, warmed: make(chan struct{}), handed: make(chan struct{})}
	if err := r.spawn(); err != nil {
		return nil, err
	}
	r.out <- first
	r.run()
	return &Spare{r: r}, nil
}

// Warm is closed once the child has warmed up and waits for its app.
func (s *Spare) Warm() <-chan struct{} { return s.r.spare.warmed }

// Done is closed once the spare's process has ended (it died, or was closed or stopped).
func (s *Spare) Done() <-chan struct{} { return s.r.done }

// PID is the spare's process id.
func (s *Spare) PID() int { return s.r.pid }

// RSS is the spare's resident memory.
func (s *Spare) RSS() (uint64, error) { return s.r.RSS() }

// Matches reports whether o would spawn the same child as the spare's: the same binary,
// arguments and environment (what a child is given before it is told anything), and
// the same limits (what the spare has already applied).
func (s *Spare) Matches(o Options) bool {
	so := s.r.spare.spawn
	if normLimits(&o) != nil {
		return false
	}
	return o.Exe == so.Exe && slices.Equal(o.Args, so.Args) && slices.Equal(o.Env, so.Env) &&
		o.MemoryLimit == so.MemoryLimit && o.CPULimit == so.CPULimit && !o.unconfined && !o.probe
}

// errSpareReadsNothing: the app is read from its folder (too much code to send), and
// a spare has no file system.
var errSpareReadsNothing = errors.New("isolate: the app's code is too big to send, and a spare child reads no folder")

// Start hands the spare its app: o as for Start (Exe, Args, Env and the limits must match
// the spare's), and waits until the child has loaded it. It runs once: a second call, or
// a call after Close, fails. ErrSpareGone means the child had ended before it was given
// anything of the app.
func (s *Spare) Start(o Options) (*Runtime, error) {
	p, err := prepare(o)
	if err != nil {
		return nil, err
	}
	return s.start(p)
}

func (s *Spare) start(p prepared) (*Runtime, error) {
	o := p.o
	if !s.Matches(o) {
		return nil, errors.New("isolate: the spare child was started with another binary, arguments, environment or limits")
	}
	if p.readDir {
		return nil, errSpareReadsNothing
	}
	st, r := s.r.spare, s.r
	handed := false
	st.take.Do(func() {
		handed = true
		st.took.Store(true)
		select {
		case <-r.done:
			handed = false
			return
		default:
		}
		r.mu.Lock()
		o.Exe, o.Args, o.Env = st.spawn.Exe, st.spawn.Args, st.spawn.Env
		r.o = o
		r.mu.Unlock()
		r.logh.set(o.Logger.With("isolate", "child", "pid", r.pid).Handler())
		close(st.handed)
	})
	if !handed {
		if st.took.Load() && st.handedOver() {
			return nil, errors.New("isolate: the spare child was already handed an app")
		}
		return nil, ErrSpareGone
	}
	if !r.enqueue(p.frames, false) {
		<-r.done
		return nil, ErrSpareGone
	}
	return r.awaitLoaded()
}

// Close ends a spare that was not handed an app (stop, then SIGKILL after the grace
// period) and waits for it; it does nothing to one that was (its Runtime is the
// caller's).
func (s *Spare) Close() {
	st := s.r.spare
	st.take.Do(func() { st.took.Store(true) })
	if !st.handedOver() {
		s.r.Stop()
	}
}

// Pooled reports whether the runtime's child was started as a spare.
func (r *Runtime) Pooled() bool { return r.spare != nil }

// PoolOptions configure a Pool.
type PoolOptions struct {
	// Exe, Args, Env, Logger and the limits are the spares' (Options' fields of the same
	// names): an app is handed a spare only when its options agree.
	Exe    string
	Args   []string
	Env    []string
	Logger *slog.Logger
	// MemoryLimit and CPULimit: the spares limit themselves with them before they know
	// their app; 0 means the default, as in Options.
	MemoryLimit uint64
	CPULimit    time.Duration
	// Logic: the spares prepare a logic runtime with its APIs, Builtins,
	// MaxSetDataBytes and TaskBudget (the shell's, the same for every app; none when
	// APIs is nil). Its other fields are not used.
	Logic logic.Options
	// Size is how many spares the pool keeps: 0 (none: every child starts with its
	// app) or 1.
	Size int
	// FirstDelay is how long after NewPool the first spare starts; RefillDelay how
	// long after a spare is handed out (or died) the next one starts, so that the
	// launched app does not share its first moments with a new process starting.
	FirstDelay, RefillDelay time.Duration
}

// maxSpareFailures: after this many spares in a row die before they are handed an app,
// the pool stops making them (a binary that cannot start a child would otherwise be
// started again every RefillDelay).
const maxSpareFailures = 3

// Pool keeps spare logic children for Start (a pool of one, launcher.prewarm). Its
// methods are safe for concurrent use.
type Pool struct {
	o PoolOptions

	mu       sync.Mutex
	spare    *Spare
	pending  bool // a fill is scheduled
	closed   bool
	failures int // spares in a row that died unused
	timer    *time.Timer
	wg       sync.WaitGroup // watchers of spares
}

// NewPool makes a pool and schedules its first spare (Size 1).
func NewPool(o PoolOptions) (*Pool, error) {
	if o.Size != 0 && o.Size != 1 {
		return nil, fmt.Errorf("isolate: pool size %d: must be 0 or 1", o.Size)
	}
	if o.Size == 1 && o.Exe == "" {
		return nil, errors.New("isolate: PoolOptions.Exe is required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	p := &Pool{o: o}
	p.schedule(o.FirstDelay)
	return p, nil
}

// Start runs o's app in the waiting spare when there is one that matches o, handing it
// over (and schedules the next spare), and otherwise starts a child for it as Start
// does. A spare that turns out to have died is replaced by a cold start.
func (p *Pool) Start(o Options) (*Runtime, error) {
	pr, err := prepare(o)
	if err != nil {
		return nil, err
	}
	var s *Spare
	if !pr.readDir { // a spare reads no folder: leave it for the next app
		s = p.take(pr.o)
	}
	if s == nil {
		return startPrepared(pr)
	}
	rt, err := s.start(pr)
	if err != nil {
		s.Close() // not handed (bad options): it must not linger; handed: already stopped
	}
	if errors.Is(err, ErrSpareGone) {
		p.o.Logger.Warn("isolate: the spare child was gone; starting one for the app", "app", o.Logic.AppID)
		return startPrepared(pr)
	}
	if err == nil {
		p.o.Logger.Info("isolate: logic child from the pool", "app", o.Logic.AppID, "pid", rt.PID())
	}
	return rt, err
}

// take removes and returns the spare if it matches o, and schedules the next.
func (p *Pool) take(o Options) *Spare {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.spare
	if p.closed || s == nil || !s.Matches(o) {
		return nil
	}
	p.spare = nil
	p.failures = 0
	p.scheduleLocked(p.o.RefillDelay)
	return s
}

// Ready reports whether a spare has warmed up and waits (tests, benchmarks).
func (p *Pool) Ready() bool {
	p.mu.Lock()
	s := p.spare
	p.mu.Unlock()
	if s == nil {
		return false
	}
	select {
	case <-s.Warm():
	default:
		return false
	}
	select {
	case <-s.Done():
		return false
	default:
		return true
	}
}

// WaitReady waits until a spare is ready or ctx ends (tests, benchmarks).
func (p *Pool) WaitReady(ctx context.Context) bool {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for !p.Ready() {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
	return true
}

// Close stops the waiting spare, and no other is made. Children already handed out
// are their apps'.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	s := p.spare
	p.spare = nil
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Unlock()
	if s != nil {
		s.Close()
	}
	p.wg.Wait()
}

func (p *Pool) schedule(after time.Duration) {
	p.mu.Lock()
	p.scheduleLocked(after)
	p.mu.Unlock()
}

func (p *Pool) scheduleLocked(after time.Duration) {
	if p.o.Size == 0 || p.closed || p.pending || p.failures >= maxSpareFailures {
		return
	}
	p.pending = true
	p.timer = time.AfterFunc(after, p.fill)
}

// fill starts a spare (a timer's goroutine).
func (p *Pool) fill() {
	p.mu.Lock()
	p.pending = false
	if p.closed || p.spare != nil {
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	s, err := StartSpare(Options{Exe: p.o.Exe, Args: p.o.Args, Env: p.o.Env, Logger: p.o.Logger,
		MemoryLimit: p.o.MemoryLimit, CPULimit: p.o.CPULimit, Logic: p.o.Logic})
	p.mu.Lock()
	if err != nil {
		p.failures++
		p.mu.Unlock()
		p.o.Logger.Warn("isolate: could not start a spare logic child", "err", err)
		p.schedule(p.o.RefillDelay)
		return
	}
	if p.closed {
		p.mu.Unlock()
		s.Close()
		return
	}
	p.spare = s
	p.wg.Add(1)
	p.mu.Unlock()
	go p.watch(s)
}

// watch replaces a spare that dies before it is handed out.
func (p *Pool) watch(s *Spare) {
	defer p.wg.Done()
	select {
	case <-s.Done():
	case <-s.r.spare.handed:
		return // its app's now
	}
	p.mu.Lock()
	if p.spare != s {
		p.mu.Unlock()
		return // handed out, or the pool was closed
	}
	p.spare = nil
	p.failures++
	failures := p.failures
	p.mu.Unlock()
	p.o.Logger.Warn("isolate: the spare logic child ended unused", "pid", s.PID(), "err", s.r.Err(), "inARow", failures)
	if failures >= maxSpareFailures {
		p.o.Logger.Warn("isolate: no more spare logic children: they keep ending", "inARow", failures)
	}
	p.schedule(p.o.RefillDelay)
}

// warmChild is a spare child's warm-up (logic.Warm): compile what every app's runtime
// runs first and run it once over the shell's own stub app. It reads nothing.
func warmChild() warmBody {
	err := logic.Warm()
	logic.ClearProgramCache() // the stub's modules: nothing of the warm-up stays but the framework
	if err != nil {
		return warmBody{Error: truncate(err.Error(), maxErrorText)}
	}
	return warmBody{}
}

// swapHandler is a slog.Handler whose target can change: a spare's log lines go to
// the pool's logger until hand-over, then to its app's.
type swapHandler struct {
	h atomic.Pointer[slog.Handler]
}

func (s *swapHandler) set(h slog.Handler) { s.h.Store(&h) }

func (s *swapHandler) cur() slog.Handler {
	if h := s.h.Load(); h != nil {
		return *h
	}
	return slog.DiscardHandler
}

func (s *swapHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return s.cur().Enabled(ctx, l)
}
func (s *swapHandler) Handle(ctx context.Context, r slog.Record) error {
	return s.cur().Handle(ctx, r)
}

// WithAttrs and WithGroup bind to the current target (nothing in this package derives
// from r.log).
func (s *swapHandler) WithAttrs(as []slog.Attr) slog.Handler { return s.cur().WithAttrs(as) }
func (s *swapHandler) WithGroup(name string) slog.Handler    { return s.cur().WithGroup(name) }
