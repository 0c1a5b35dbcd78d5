package monitor

import (
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is a Terminator that records its calls.
type recorder struct {
	mu    sync.Mutex
	calls []string // "app reason"
}

func (r *recorder) Terminate(app, reason string) {
	r.mu.Lock()
	r.calls = append(r.calls, app+" "+reason)
	r.mu.Unlock()
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// fakeClock is Config.Now under the test's control.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(d time.Duration) {
	c.mu.Lock()
	c.now = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(d)
	c.mu.Unlock()
}

func TestAnomalyWindows(t *testing.T) {
	s := time.Second
	type event struct {
		at   time.Duration
		want bool // the call reports the rule crossed
	}
	for _, tc := range []struct {
		name   string
		rule   Window
		record func(*AppWatch) bool
		reason string
		events []event
	}{
		{"denied burst crosses on the 4th within 10s", Window{Count: 3, Every: 10 * s}, (*AppWatch).Denied, ReasonDenied,
			[]event{{0, false}, {1 * s, false}, {2 * s, false}, {3 * s, true}}},
		{"denied spread out never crosses", Window{Count: 3, Every: 10 * s}, (*AppWatch).Denied, ReasonDenied,
			[]event{{0, false}, {4 * s, false}, {8 * s, false}, {10 * s, false}, {14 * s, false}, {18 * s, false}, {20 * s, false}}},
		{"window slides: old events fall out", Window{Count: 2, Every: 5 * s}, (*AppWatch).Denied, ReasonDenied,
			[]event{{0, false}, {1 * s, false}, {6 * s, false}, {7 * s, false}, {7*s + 500*time.Millisecond, true}}},
		{"exactly Every apart is outside the window", Window{Count: 1, Every: 10 * s}, (*AppWatch).RateLimited, ReasonRateLimited,
			[]event{{0, false}, {10 * s, false}, {20 * s, false}, {29 * s, true}}},
		{"rate-limit storm", Window{Count: 5, Every: s}, (*AppWatch).RateLimited, ReasonRateLimited,
			[]event{{0, false}, {1, false}, {2, false}, {3, false}, {4, false}, {5, true}, {6, true}}},
		{"forged page messages", Window{Count: 2, Every: 60 * s}, (*AppWatch).Violation, ReasonViolations,
			[]event{{0, false}, {30 * s, false}, {59 * s, true}}},
		{"rule off", Window{Count: -1}, (*AppWatch).Violation, ReasonViolations,
			[]event{{0, false}, {0, false}, {0, false}, {0, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			term := &recorder{}
			q := openTestQuarantine(t)
			b := Budgets{DeniedPer: tc.rule, RateLimitedPer: tc.rule, ViolationsPer: tc.rule}
			lenient := Budgets{DeniedPer: Window{Count: 1000}}
			m := New(Config{Budgets: b, Apps: map[string]Budgets{"good": lenient}, Terminator: term, Quarantine: q, Now: clock.Now, Logger: quiet})
			w := m.Attach("bad")
			other := m.Attach("good")
			crossed := false
			for i, ev := range tc.events {
				clock.set(ev.at)
				other.Denied() // another app's events never count against this one
				if got := tc.record(w); got != ev.want {
					t.Errorf("event %d at %s: crossed = %v, want %v", i, ev.at, got, ev.want)
				}
				crossed = crossed || ev.want
			}
			wantCalls := []string(nil)
			if crossed {
				wantCalls = []string{"bad " + tc.reason} // once, however many crossings
			}
			if got := term.list(); !slices.Equal(got, wantCalls) {
				t.Errorf("Terminate calls = %q, want %q", got, wantCalls)
			}
			reason, inQ := q.Quarantined("bad")
			if inQ != crossed || (crossed && reason != tc.reason) {
				t.Errorf("Quarantined(bad) = %q, %v; want crossed=%v reason %q", reason, inQ, crossed, tc.reason)
			}
			if got, ok := w.Terminated(); ok != crossed || (crossed && got != tc.reason) {
				t.Errorf("Terminated() = %q, %v", got, ok)
			}
			if _, ok := q.Quarantined("good"); ok {
				t.Error("the other app was quarantined")
			}
		})
	}
}

func TestBudgetsDefaultsAndOverrides(t *testing.T) {
	m := New(Config{
		Budgets: Budgets{HeapBytes: 64 << 20, DeniedPer: Window{Count: 5}},
		Apps:    map[string]Budgets{"slow": {TaskCPU: -1, DeniedPer: Window{Every: time.Minute}}},
	})
	for _, tc := range []struct {
		app  string
		want Budgets
	}{
		{"any", Budgets{TaskCPU: 2 * time.Second, HeapBytes: 64 << 20, RenderBytes: 1 << 30, DeniedPer: Window{5, 10 * time.Second},
			RateLimitedPer: Window{200, 10 * time.Second}, ViolationsPer: Window{10, time.Minute}}},
		{"slow", Budgets{TaskCPU: -1, HeapBytes: 64 << 20, RenderBytes: 1 << 30, DeniedPer: Window{5, time.Minute},
			RateLimitedPer: Window{200, 10 * time.Second}, ViolationsPer: Window{10, time.Minute}}},
	} {
		if got := m.Budgets(tc.app); got != tc.want {
			t.Errorf("Budgets(%s) = %+v, want %+v", tc.app, got, tc.want)
		}
	}
	if got := m.Attach("slow").TaskBudget(); got != -1 {
		t.Errorf("TaskBudget = %s", got)
	}
}

func TestAttachDetachAndNilWatch(t *testing.T) {
	m := New(Config{Logger: quiet})
	w1 := m.Attach("a")
	w2 := m.Attach("a") // a relaunch replaces the old watch
	if m.App("a") != w2 {
		t.Fatal("App(a) is not the latest watch")
	}
	w1.Detach() // the old one's Detach leaves the new one
	if m.App("a") != w2 {
		t.Fatal("a stale Detach removed the new watch")
	}
	w2.Detach()
	w2.Detach()
	var nilWatch *AppWatch = m.App("a")
	if nilWatch != nil {
		t.Fatal("App(a) after Detach is not nil")
	}
	// Calls on behalf of an app that is not attached are harmless.
	if nilWatch.Denied() || nilWatch.RateLimited() || nilWatch.Violation() {
		t.Error("a nil watch reported a crossed rule")
	}
	nilWatch.OnTask(true)
	nilWatch.OnTask(false)
	if _, ok := nilWatch.Terminated(); ok {
		t.Error("a nil watch is terminated")
	}
}

func TestHeapAttribution(t *testing.T) {
	const mib = 1 << 20
	ms := int64(time.Millisecond)
	type interval struct {
		heapMiB  uint64
		busyA    int64 // ms of finished tasks of app a in the interval
		busyB    int64
		running  string // app with a task still running at the sample ("" none)
		wantA    float64
		wantB    float64
		wantTerm []string
	}
	for _, tc := range []struct {
		name  string
		steps []interval
	}{
		{"growth split by time run", []interval{
			{heapMiB: 100 + 50, busyA: 90, busyB: 10, wantA: 45, wantB: 5},
		}},
		{"growth while nobody ran is the shell's", []interval{
			{heapMiB: 100 + 50, wantA: 0, wantB: 0},
		}},
		{"a task still running is charged up to now", []interval{
			{heapMiB: 100 + 40, running: "a", wantA: 40},
			{heapMiB: 100 + 80, running: "a", wantA: 80},
		}},
		{"GC shrink lowers accounts in proportion", []interval{
			{heapMiB: 100 + 40, busyA: 30, busyB: 10, wantA: 30, wantB: 10},
			{heapMiB: 100 + 20, wantA: 15, wantB: 5},
			{heapMiB: 10, wantA: 0, wantB: 0},
		}},
		{"over budget: terminated once, the other app is not", []interval{
			{heapMiB: 100 + 60, busyA: 100, busyB: 1, wantA: 60 * 100.0 / 101, wantB: 60 * 1.0 / 101},
			{heapMiB: 100 + 130, running: "a", wantA: 60*100.0/101 + 70, wantB: 60 * 1.0 / 101, wantTerm: []string{"a heap"}},
			{heapMiB: 100 + 200, running: "a", wantA: 60*100.0/101 + 140, wantB: 60 * 1.0 / 101, wantTerm: []string{"a heap"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := &recorder{}
			m := New(Config{Budgets: Budgets{HeapBytes: 100 * mib}, Terminator: term, Logger: quiet})
			m.heap.last = 100 * mib
			a, b := m.Attach("a"), m.Attach("b")
			now := int64(1_000_000) * ms
			for i, st := range tc.steps {
				now += 100 * ms
				a.busy.Add(st.busyA * ms)
				b.busy.Add(st.busyB * ms)
				a.taskStart.Store(0)
				if st.running == "a" {
					a.taskStart.Store(now - 100*ms)
					a.heap.seenBusy = a.busy.Load() // the running task began at the last sample
				}
				m.sampleOnce(st.heapMiB*mib, now)
				gotA, gotB := a.heap.charged/mib, b.heap.charged/mib
				if !near(gotA, st.wantA) || !near(gotB, st.wantB) {
					t.Errorf("step %d: charged a=%.2f b=%.2f MiB, want %.2f %.2f", i, gotA, gotB, st.wantA, st.wantB)
				}
				if got := term.list(); !slices.Equal(got, st.wantTerm) {
					t.Errorf("step %d: terminations %q, want %q", i, got, st.wantTerm)
				}
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func TestStartStop(t *testing.T) {
	m := New(Config{SampleEvery: time.Millisecond, Logger: quiet})
	m.Start()
	m.Start()
	time.Sleep(5 * time.Millisecond)
	m.Stop()
	m.Stop()
	New(Config{}).Stop() // never started
}

func openTestQuarantine(t *testing.T) *Quarantine {
	t.Helper()
	q, err := OpenQuarantine(filepath.Join(t.TempDir(), "state", "quarantine.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// An app that detached since the last sample keeps its share of that interval's growth:
// what it allocated just before it was stopped must not fall on the apps that stay.
func TestDepartedAppKeepsItsShare(t *testing.T) {
	const mib = 1 << 20
	ms := int64(time.Millisecond)
	term := &recorder{}
	m := New(Config{Budgets: Budgets{HeapBytes: 50 * mib}, Terminator: term, Logger: quiet})
	m.heap.last = 100 * mib
	bomb, good := m.Attach("bomb"), m.Attach("good")
	now := int64(1_000_000) * ms
	bomb.busy.Add(99 * ms)
	good.busy.Add(1 * ms)
	bomb.Detach()
	m.sampleOnce(200*mib, now+100*ms)
	if got := good.heap.charged / mib; !near(got, 1) {
		t.Fatalf("the app that stayed was charged %.2f MiB, want 1", got)
	}
	if got := term.list(); len(got) != 0 {
		t.Fatalf("terminations %q, want none", got)
	}
	// The departed app is counted once only.
	good.busy.Add(10 * ms)
	m.sampleOnce(210*mib, now+200*ms)
	if got := good.heap.charged / mib; !near(got, 11) {
		t.Fatalf("next interval: charged %.2f MiB, want 11", got)
	}
}
