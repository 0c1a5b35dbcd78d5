// Package monitor watches running mini-apps and stops those that break their budgets:
// heap growth attributed to the app that was running JS, the resident memory of the web
// process that renders its page, and anomaly rules over sliding
// windows (bursts of denied capability requests, rate-limit storms, forged page
// messages). Crossing an anomaly rule also quarantines the app, so that it does not
// start again until the user releases it. The CPU budget of one task is enforced inside
// the logic runtime (logic.Options.TaskBudget); Budgets.TaskCPU is the value to give it.
//
// The monitor imports nothing of the shell: the host attaches each app (Attach), passes
// AppWatch.OnTask to the logic runtime, reports events (Denied, RateLimited, Violation),
// and implements Terminator. See docs/monitor.md.
package monitor

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Termination reasons, as given to Terminator.Terminate and stored in the quarantine.
const (
	ReasonCPU          = "cpu"           // a task overran Budgets.TaskCPU (reported by logic, same string)
	ReasonHeap         = "heap"          // heap growth attributed to the app passed Budgets.HeapBytes
	ReasonRenderMemory = "render-memory" // its page's web process passed Budgets.RenderBytes
	ReasonDenied       = "denied"        // a burst of denied capability requests
	ReasonRateLimited  = "rate-limit"    // a storm of rate-limited API calls
	ReasonViolations   = "violations"    // repeated bridge violations (forged page messages)
	ReasonQuarantined  = "quarantined"   // not a termination: the reason a launch is refused
)

// Describe returns a sentence for the shell's UI saying why an app was stopped.
func Describe(reason string) string {
	switch reason {
	case ReasonCPU:
		return "It ran JavaScript for too long without a pause and stopped responding."
	case ReasonHeap:
		return "It used too much memory."
	case ReasonRenderMemory:
		return "Its page used too much memory."
	case ReasonDenied:
		return "It kept asking for permissions it was refused."
	case ReasonRateLimited:
		return "It called the shell's services far too often."
	case ReasonViolations:
		return "Its page sent messages that the shell refused as forged or malformed."
	case ReasonQuarantined:
		return "It was stopped earlier for breaking the rules and is blocked until you allow it in settings."
	}
	return "It was stopped by the shell (" + reason + ")."
}

// Window is a sliding-window rule: more than Count events within Every crosses it.
// A zero Count or Every takes the default; a negative Count turns the rule off.
type Window struct {
	Count int
	Every time.Duration
}

// Budgets are one app's limits. Zero fields take the defaults (DefaultBudgets).
type Budgets struct {
	TaskCPU        time.Duration // one JS task; < 0 turns it off (see logic.Options.TaskBudget)
	HeapBytes      uint64        // heap growth attributed to the app since it was attached
	RenderBytes    uint64        // resident memory of the web process that renders its page
	DeniedPer      Window        // denied capability requests
	RateLimitedPer Window        // calls of rated APIs refused by the app's rate limits (local APIs never count)
	ViolationsPer  Window        // bridge violations (forged or malformed page messages)
}

// DefaultBudgets are used for every zero field of Config.Budgets and Config.Apps.
var DefaultBudgets = Budgets{
	TaskCPU:        2 * time.Second,
	HeapBytes:      256 << 20,
	RenderBytes:    1 << 30,
	DeniedPer:      Window{Count: 20, Every: 10 * time.Second},
	RateLimitedPer: Window{Count: 200, Every: 10 * time.Second},
	ViolationsPer:  Window{Count: 10, Every: 60 * time.Second},
}

// DefaultSampleEvery is the heap (and web process memory) sampling period.
const DefaultSampleEvery = 100 * time.Millisecond

// maxWindowCount bounds the per-rule ring of timestamps a misconfiguration could ask for.
const maxWindowCount = 100_000

// Terminator stops a running app; the host implements it (stop the logic runtime, close
// the window, audit, tell the user). It is called once per attached app, from the
// goroutine that noticed (the sampler, or the caller of Denied/RateLimited/Violation),
// and must not block: hand UI work to the UI thread.
type Terminator interface {
	Terminate(appID, reason string)
}

// Config configures a Monitor. Every field is optional.
type Config struct {
	Budgets     Budgets            // for every app; zero fields take DefaultBudgets
	Apps        map[string]Budgets // per-app overrides by app id; zero fields take Budgets
	SampleEvery time.Duration      // heap sampling period; 0 means DefaultSampleEvery
	Quarantine  *Quarantine        // nil: anomalies terminate but quarantine nothing
	Terminator  Terminator         // nil: terminations are only logged
	Processes   RenderProcesses    // reads and kills web processes; nil: WebProcesses (/proc)
	Logger      *slog.Logger       // nil: slog.Default()
	Now         func() time.Time   // the clock of the anomaly windows; nil: time.Now
}

// Monitor watches attached apps. Safe for concurrent use.
type Monitor struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	apps     map[string]*AppWatch
	departed []*AppWatch // detached since the last sample

	startOnce, stopOnce sync.Once
	quit, done          chan struct{}
	started             atomic.Bool
	heap                heapState // sampler goroutine only
	procs               RenderProcesses

	stopsMu sync.Mutex
	stops   map[string]int // terminations by reason
}

// New makes a monitor; Start begins heap sampling.
func New(cfg Config) *Monitor {
	if cfg.SampleEvery <= 0 {
		cfg.SampleEvery = DefaultSampleEvery
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Budgets = cfg.Budgets.withDefaults(DefaultBudgets)
	if cfg.Processes == nil {
		cfg.Processes = WebProcesses{}
	}
	return &Monitor{
		cfg:   cfg,
		log:   cfg.Logger,
		procs: cfg.Processes,
		stops: make(map[string]int),
		apps:  make(map[string]*AppWatch),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
}

// withDefaults fills b's zero fields from d.
func (b Budgets) withDefaults(d Budgets) Budgets {
	if b.TaskCPU == 0 {
		b.TaskCPU = d.TaskCPU
	}
	if b.HeapBytes == 0 {
		b.HeapBytes = d.HeapBytes
	}
	if b.RenderBytes == 0 {
		b.RenderBytes = d.RenderBytes
	}
	b.DeniedPer = b.DeniedPer.withDefaults(d.DeniedPer)
	b.RateLimitedPer = b.RateLimitedPer.withDefaults(d.RateLimitedPer)
	b.ViolationsPer = b.ViolationsPer.withDefaults(d.ViolationsPer)
	return b
}

func (w Window) withDefaults(d Window) Window {
	if w.Count == 0 {
		w.Count = d.Count
	}
	if w.Every <= 0 {
		w.Every = d.Every
	}
	return w
}

// Budgets returns the effective budgets of an app.
func (m *Monitor) Budgets(appID string) Budgets {
	return m.cfg.Apps[appID].withDefaults(m.cfg.Budgets)
}

// Start begins heap sampling on one goroutine. Idempotent.
func (m *Monitor) Start() {
	m.startOnce.Do(func() {
		m.started.Store(true)
		m.heap.last = readHeap()
		go m.sample()
	})
}

// Stop ends heap sampling and waits for it. Idempotent; attached apps stay attached.
func (m *Monitor) Stop() {
	m.stopOnce.Do(func() {
		close(m.quit)
		if m.started.Load() {
			<-m.done
		}
	})
}

// Attach starts watching appID and returns its watch: pass OnTask to
// logic.Options.OnTask and TaskBudget to logic.Options.TaskBudget, and call Detach when
// the app exits. A watch still attached under the same id is replaced.
func (m *Monitor) Attach(appID string) *AppWatch {
	b := m.Budgets(appID)
	w := &AppWatch{
		m: m, id: appID, budgets: b,
		denied:     newWindow(b.DeniedPer),
		limited:    newWindow(b.RateLimitedPer),
		violations: newWindow(b.ViolationsPer),
	}
	m.mu.Lock()
	m.apps[appID] = w
	m.mu.Unlock()
	return w
}

// App returns the attached watch of appID, or nil (a nil *AppWatch counts nothing).
func (m *Monitor) App(appID string) *AppWatch {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.apps[appID]
}

// Denied, RateLimited and Violation record an event for an app by id (nothing when it is
// not attached). The first two make a *Monitor a bridge.Observer for the gateway; the
// gate's refusals go to Violation.
func (m *Monitor) Denied(appID string)      { m.App(appID).Denied() }
func (m *Monitor) RateLimited(appID string) { m.App(appID).RateLimited() }
func (m *Monitor) Violation(appID string)   { m.App(appID).Violation() }

// attached returns the watches attached now.
func (m *Monitor) attached() []*AppWatch {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*AppWatch, 0, len(m.apps))
	for _, w := range m.apps {
		out = append(out, w)
	}
	return out
}

// AppWatch is one attached app: its task accounting, anomaly windows, and whether it
// was terminated. Methods are safe for concurrent use and do nothing on a nil watch.
type AppWatch struct {
	m       *Monitor
	id      string
	budgets Budgets

	// Written by the app's loop through OnTask, read by the sampler.
	taskStart atomic.Int64 // monoNow at the start of the running task; 0 = idle
	busy      atomic.Int64 // nanoseconds of finished tasks

	mu                          sync.Mutex
	denied, limited, violations *window

	ended  atomic.Bool
	reason atomic.Pointer[string]

	renderPID atomic.Int64 // the web process rendering its page; 0: none known

	heap appHeap // sampler goroutine only
}

// ID is the app id the watch was attached with.
func (w *AppWatch) ID() string {
	if w == nil {
		return ""
	}
	return w.id
}

// TaskBudget is the value for logic.Options.TaskBudget (< 0: off).
func (w *AppWatch) TaskBudget() time.Duration {
	if w == nil {
		return DefaultBudgets.TaskCPU
	}
	return w.budgets.TaskCPU
}

// OnTask is logic.Options.OnTask: the app's loop calls it as every task starts and
// ends. Two atomic operations and a clock read.
func (w *AppWatch) OnTask(start bool) {
	if w == nil {
		return
	}
	if start {
		w.taskStart.Store(monoNow())
		return
	}
	if s := w.taskStart.Swap(0); s != 0 {
		w.busy.Add(monoNow() - s)
	}
}

// Denied records a denied capability request; it reports whether DeniedPer is crossed
// (then the app is terminated and quarantined).
func (w *AppWatch) Denied() bool { return w.count(func() *window { return w.denied }, ReasonDenied) }

// RateLimited records a call refused by the app's rate limits; it reports whether
// RateLimitedPer is crossed (then the app is terminated and quarantined).
func (w *AppWatch) RateLimited() bool {
	return w.count(func() *window { return w.limited }, ReasonRateLimited)
}

// Violation records a bridge violation (a page message the gate refused); it reports
// whether ViolationsPer is crossed (then the app is terminated and quarantined).
func (w *AppWatch) Violation() bool {
	return w.count(func() *window { return w.violations }, ReasonViolations)
}

func (w *AppWatch) count(rule func() *window, reason string) bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	win := rule()
	crossed := win.add(w.m.cfg.Now())
	w.mu.Unlock()
	if crossed {
		w.m.terminate(w, reason, fmt.Sprintf("more than %d in %s", win.limit, win.every), true)
	}
	return crossed
}

// Terminated reports whether the monitor terminated the app, and why. A host that had
// no runtime to stop yet (the app was still loading) checks it after logic.New.
func (w *AppWatch) Terminated() (reason string, ok bool) {
	if w == nil {
		return "", false
	}
	if p := w.reason.Load(); p != nil {
		return *p, true
	}
	return "", false
}

// Detach stops watching the app. Idempotent.
func (w *AppWatch) Detach() {
	if w == nil {
		return
	}
	w.m.mu.Lock()
	if w.m.apps[w.id] == w {
		delete(w.m.apps, w.id)
		// Its last interval still counts at the next sample: growth it caused just
		// before it left must not fall on the apps that stay.
		w.m.departed = append(w.m.departed, w)
	}
	w.m.mu.Unlock()
}

// terminate quarantines (for anomalies) and terminates the app, once per watch.
// Quarantine comes first so that a relaunch racing with the termination is refused.
func (m *Monitor) terminate(w *AppWatch, reason, detail string, quarantine bool) {
	if !w.ended.CompareAndSwap(false, true) {
		return
	}
	w.reason.Store(&reason)
	m.stopsMu.Lock()
	m.stops[reason]++
	m.stopsMu.Unlock()
	m.log.Warn("monitor: terminating mini-app", "app", w.id, "reason", reason, "detail", detail, "quarantine", quarantine)
	if quarantine && m.cfg.Quarantine != nil {
		if err := m.cfg.Quarantine.Quarantine(w.id, reason); err != nil {
			m.log.Error("monitor: quarantine failed", "app", w.id, "err", err)
		}
	}
	if m.cfg.Terminator != nil {
		m.cfg.Terminator.Terminate(w.id, reason)
	}
}

// Terminations counts the apps the monitor stopped, by reason, since it was made.
func (m *Monitor) Terminations() map[string]int {
	m.stopsMu.Lock()
	defer m.stopsMu.Unlock()
	out := make(map[string]int, len(m.stops))
	for r, n := range m.stops {
		out[r] = n
	}
	return out
}

// epoch anchors monoNow: time.Since reads the monotonic clock.
var epoch = time.Now()

// monoNow is monotonic nanoseconds, never 0 (0 means "idle" in taskStart).
func monoNow() int64 { return int64(time.Since(epoch)) + 1 }
