package monitor_test

import (
	"errors"
	"github.com/sandframe/sandframe/internal/hostapi/all"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/monitor"
)

// These tests run real logic runtimes under a real monitor, wired the way the host
// wires them: AppWatch.OnTask and TaskBudget into logic.Options, a Terminator that
// terminates the runtime, and OnTerminate as the one place terminations are reported.

// The monitor is what the gateway tells about refused calls.
var _ bridge.Observer = (*monitor.Monitor)(nil)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// host plays the shell: app id → runtime, and every termination reported.
type host struct {
	mu       sync.Mutex
	runtimes map[string]*logic.Runtime
	reports  map[string][]logic.Termination
	ended    map[string]chan struct{}
}

func newHost() *host {
	return &host{runtimes: map[string]*logic.Runtime{}, reports: map[string][]logic.Termination{}, ended: map[string]chan struct{}{}}
}

// Terminate implements monitor.Terminator.
func (h *host) Terminate(appID, reason string) {
	h.mu.Lock()
	rt := h.runtimes[appID]
	h.mu.Unlock()
	if rt != nil {
		rt.Terminate(reason)
	}
}

func (h *host) report(appID string) func(logic.Termination) {
	return func(t logic.Termination) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.reports[appID] = append(h.reports[appID], t)
		if len(h.reports[appID]) == 1 {
			close(h.ended[appID])
		}
	}
}

func (h *host) list(appID string) []logic.Termination {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]logic.Termination(nil), h.reports[appID]...)
}

// app is a running mini-app whose API calls are counted.
type app struct {
	rt    *logic.Runtime
	watch *monitor.AppWatch
	apis  chan string
}

func (h *host) start(t *testing.T, m *monitor.Monitor, id, page string) *app {
	t.Helper()
	w := m.Attach(id)
	a := &app{watch: w, apis: make(chan string, 64)}
	h.mu.Lock()
	h.ended[id] = make(chan struct{})
	h.mu.Unlock()
	rt, err := logic.New(logic.Options{
		AppID: id,
		FS:    fstest.MapFS{"app.js": {Data: []byte("App({})")}, "pages/a/a.js": {Data: []byte(page)}},
		Pages: []string{"pages/a/a"},
		APIs:  all.Shapes(),
		Send: func(env bridge.Envelope) {
			if env.Kind == bridge.KindAPI {
				select {
				case a.apis <- string(env.Payload):
				default:
				}
			}
		},
		Logger:      quiet,
		TaskBudget:  w.TaskBudget(),
		OnTask:      w.OnTask,
		OnTerminate: h.report(id),
	})
	if err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
	a.rt = rt
	h.mu.Lock()
	h.runtimes[id] = rt
	h.mu.Unlock()
	t.Cleanup(func() { rt.Stop(); w.Detach() })
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a"}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	return a
}

func (a *app) deliver(t *testing.T, kind bridge.Kind, payload any) {
	t.Helper()
	env, err := bridge.NewEnvelope(kind, payload)
	if err != nil {
		t.Fatal(err)
	}
	if !a.rt.Deliver(env) {
		t.Fatalf("Deliver(%s) refused", kind)
	}
}

func (a *app) call(t *testing.T, handler string) {
	t.Helper()
	a.deliver(t, bridge.KindEvent, map[string]any{"target": "p1", "handler": handler, "event": map[string]any{"type": "tap"}})
}

// answers checks that the app still runs its handlers: ping sends one API call.
func (a *app) answers(t *testing.T) {
	t.Helper()
	a.call(t, "ping")
	select {
	case <-a.apis:
	case <-time.After(5 * time.Second):
		t.Fatal("the well-behaved app did not answer")
	}
	if err := a.rt.Err(); err != nil {
		t.Fatalf("the well-behaved app ended: %v", err)
	}
}

const goodPage = `Page({ ping() { wx.showToast({ title: 'pong' }); } })`

// TestHeapBombsAreTerminated: the sampler attributes heap growth to the app running JS
// and terminates it, inside its endless task or across timer ticks, while a second
// app keeps running. Each bomb is capped (and its CPU budget generous) so that a
// monitor that failed would fail the test instead of exhausting the machine.
func TestHeapBombsAreTerminated(t *testing.T) {
	for _, tc := range []struct{ name, page string }{
		{"string doubling", `Page({ bomb() {
  let s = 'x';
  while (s.length < (1 << 30)) { s = s + s; }
  for (;;) {}
} })`},
		{"array growth", `Page({ bomb() {
  const a = [];
  while (a.length < 4e6) { a.push({ i: a.length, s: 'item' }); }
  for (;;) {}
} })`},
		{"retained across timer ticks", `Page({ bomb() {
  const keep = [];
  const iv = setInterval(() => {
    keep.push('x'.repeat(1 << 20) + keep.length);
    if (keep.length >= 1024) { clearInterval(iv); }
  }, 1);
} })`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHost()
			m := monitor.New(monitor.Config{
				Budgets:     monitor.Budgets{TaskCPU: 60 * time.Second, HeapBytes: 64 << 20},
				SampleEvery: 5 * time.Millisecond,
				Terminator:  h,
				Logger:      quiet,
			})
			m.Start()
			defer m.Stop()
			good := h.start(t, m, "good", goodPage)
			bad := h.start(t, m, "bomb", tc.page)
			good.answers(t)

			bad.call(t, "bomb")
			select {
			case <-h.ended["bomb"]:
			case <-time.After(60 * time.Second):
				t.Fatal("heap bomb not terminated")
			}
			<-bad.rt.Done()
			if got := h.list("bomb"); len(got) != 1 || got[0].Reason != monitor.ReasonHeap {
				t.Errorf("bomb terminations = %+v, want one with reason heap", got)
			}
			var te *logic.TerminatedError
			if err := bad.rt.Err(); !errors.As(err, &te) || te.Reason != monitor.ReasonHeap {
				t.Errorf("bomb Err() = %v", err)
			}
			if reason, ok := bad.watch.Terminated(); !ok || reason != monitor.ReasonHeap {
				t.Errorf("watch.Terminated() = %q, %v", reason, ok)
			}
			good.answers(t)
			if got := h.list("good"); len(got) != 0 {
				t.Errorf("good app terminated: %+v", got)
			}
		})
	}
}

// TestRunawayWithMonitor: a CPU runaway is terminated by logic itself with reason cpu,
// reported once through OnTerminate; the monitor does not report it a second time.
func TestRunawayWithMonitor(t *testing.T) {
	h := newHost()
	m := monitor.New(monitor.Config{Budgets: monitor.Budgets{TaskCPU: 100 * time.Millisecond}, Terminator: h, Logger: quiet})
	m.Start()
	defer m.Stop()
	good := h.start(t, m, "good", goodPage)
	bad := h.start(t, m, "spin", `Page({ spin() { setInterval(() => { for (;;) {} }, 1); } })`)
	bad.call(t, "spin")
	select {
	case <-h.ended["spin"]:
	case <-time.After(10 * time.Second):
		t.Fatal("runaway not terminated")
	}
	<-bad.rt.Done()
	if got := h.list("spin"); len(got) != 1 || got[0].Reason != monitor.ReasonCPU {
		t.Errorf("terminations = %+v", got)
	}
	good.answers(t)
}

// TestAnomalyTerminatesRunningApp: crossing an anomaly rule terminates the real runtime
// through the Terminator and quarantines the app.
func TestAnomalyTerminatesRunningApp(t *testing.T) {
	h := newHost()
	q, err := monitor.OpenQuarantine(t.TempDir() + "/q.db")
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	m := monitor.New(monitor.Config{
		Budgets:    monitor.Budgets{ViolationsPer: monitor.Window{Count: 3, Every: time.Minute}},
		Quarantine: q, Terminator: h, Logger: quiet,
	})
	good := h.start(t, m, "good", goodPage)
	bad := h.start(t, m, "forger", goodPage)
	for i := 0; i < 4; i++ {
		m.Violation("forger") // the host's gate refused a forged page message
	}
	m.Denied("not-running") // an app not attached: nothing happens
	<-bad.rt.Done()
	if got := h.list("forger"); len(got) != 1 || got[0].Reason != monitor.ReasonViolations {
		t.Errorf("terminations = %+v", got)
	}
	if reason, ok := q.Quarantined("forger"); !ok || reason != monitor.ReasonViolations {
		t.Errorf("Quarantined = %q, %v", reason, ok)
	}
	good.answers(t)
}
