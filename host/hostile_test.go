package host

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// world is what one shell process shares between apps: the stores, the monitor, the
// audit log. Hostile apps run in it beside a well-behaved one.
type world struct {
	t          *testing.T
	dir        string
	cfg        configs.Config
	audit      *bridge.AuditLog
	store      *perms.Store
	perms      *perms.Manager
	prompter   *countingPrompter
	monitor    *monitor.Monitor
	quarantine *monitor.Quarantine
	sessions   *Sessions
	network    *netapi.Client
	closeOnce  sync.Once
	isolation  string // "" or "process"
	storage    *storage.Store
	shares     *share.Store
}

// countingPrompter answers every prompt with one answer and counts them.
type countingPrompter struct {
	answer perms.Answer
	n      atomic.Int32
}

func (c *countingPrompter) Prompt(ctx context.Context, r perms.Request) (perms.Answer, error) {
	c.n.Add(1)
	return c.answer, nil
}

func newWorld(t *testing.T, budgets monitor.Budgets) *world {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	v, err := configs.NewViper("")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Load(v)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, dir: dir, cfg: cfg, sessions: NewSessions(), prompter: &countingPrompter{answer: perms.AnswerDeny}}
	if w.audit, err = bridge.OpenAudit(cfg.AuditPath()); err != nil {
		t.Fatal(err)
	}
	if w.store, err = perms.OpenStore(cfg.PermsPath()); err != nil {
		t.Fatal(err)
	}
	if w.quarantine, err = monitor.OpenQuarantine(cfg.QuarantinePath()); err != nil {
		t.Fatal(err)
	}
	w.perms = perms.NewManager(perms.Config{Store: w.store, Prompter: w.prompter})
	w.monitor = monitor.New(monitor.Config{Budgets: budgets, SampleEvery: 5 * time.Millisecond,
		Quarantine: w.quarantine, Terminator: w.sessions})
	w.monitor.Start()
	w.network = netapi.New(netapi.Config{Timeout: 5 * time.Second})
	t.Cleanup(w.close)
	return w
}

// close stops the monitor and closes the stores; a second call does nothing.
func (w *world) close() {
	w.closeOnce.Do(func() {
		w.monitor.Stop()
		w.network.Close()
		w.quarantine.Close()
		w.store.Close()
		w.audit.Close()
	})
}

// ended is how a session's run finished; ch closes when it has.
type ended struct {
	ch  chan struct{}
	err error
}

// run starts the app in dir in this world on a fake page.
func (w *world) run(dir string) (*Session, *fakePage, *ended) {
	w.t.Helper()
	s, err := w.start(dir)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.serve(s)
}

// serve runs a started session headless on a fake page that has said ready, until the
// test ends.
func (w *world) serve(s *Session) (*Session, *fakePage, *ended) {
	page := &fakePage{s: s}
	e := &ended{ch: make(chan struct{})}
	go func() {
		e.err = s.RunHeadless(page)
		close(e.ch)
	}()
	go page.post(bridge.KindReady, bridge.Ready{Seq: 0})
	w.t.Cleanup(func() {
		s.Close()
		<-e.ch
	})
	return s, page, e
}

// options are the host options of this world's services, logic in process.
func (w *world) options() Options {
	return Options{Config: w.cfg, Version: "test", Audit: w.audit, Perms: w.perms,
		Monitor: w.monitor, Quarantine: w.quarantine, Sessions: w.sessions, Network: w.network, Storage: w.storage, Shares: w.shares}
}

// inChild puts o's app logic in a child: this test binary, started as the child.
func inChild(o *Options) {
	o.Isolation, o.ChildExe, o.ChildArgs, o.ChildEnv = "process", os.Args[0], []string{"-test.run=^$"}, []string{childEnv}
}

func (w *world) start(dir string) (*Session, error) {
	app, err := LoadDir(dir)
	if err != nil {
		return nil, err
	}
	o := w.options()
	if w.isolation == "process" && dir == hostile {
		inChild(&o)
		o.Config.Isolation.MemoryLimit = 256 << 20
	}
	return Start(app, o)
}

// auditLines returns the audit entries of app.
func (w *world) auditLines(app string) []bridge.AuditEntry {
	w.t.Helper()
	entries, err := bridge.ReadAudit(w.cfg.AuditPath(), bridge.Filter{App: app})
	if err != nil {
		w.t.Fatal(err)
	}
	return entries
}

// waitAudit waits for an audit line of app that ok accepts.
func (w *world) waitAudit(app string, ok func(bridge.AuditEntry) bool) bridge.AuditEntry {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range w.auditLines(app) {
			if ok(e) {
				return e
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.t.Fatalf("no matching audit line for %s; have %+v", app, w.auditLines(app))
	return bridge.AuditEntry{}
}

// result waits for the hostile page's `result` and returns it.
func result(t *testing.T, s *Session) string {
	t.Helper()
	d := waitData(t, s, func(d map[string]any) bool { return d["result"] != "" && d["result"] != nil })
	return d["result"].(string)
}

// stillWorks shows the well-behaved app answering a tap.
func stillWorks(t *testing.T, s *Session, page *fakePage) {
	t.Helper()
	waitData(t, s, func(d map[string]any) bool { return d["n"] != nil })
	raw, err := s.PageData(context.Background(), "")
	if err != nil {
		t.Fatalf("the good app stopped answering: %v", err)
	}
	var before struct{ N float64 }
	json.Unmarshal(raw, &before)
	page.tap("inc")
	waitData(t, s, func(d map[string]any) bool { return d["n"] == before.N+1 })
}

// terminatedWith waits for the session to end and checks the reason.
func terminatedWith(t *testing.T, e *ended, reason string) {
	t.Helper()
	select {
	case <-e.ch:
		var te *TerminatedError
		if !errors.As(e.err, &te) || te.Reason != reason {
			t.Fatalf("session ended with %v, want a termination for %q", e.err, reason)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the app was not terminated (%s)", reason)
	}
}

const (
	hostile = "testdata/hostile"
	good    = "testdata/counter"
)

func TestHostileRunawaysAreTerminated(t *testing.T) {
	// A heap bomb also runs long: its CPU budget is out of reach (a minute), so that what
	// stops it is the heap budget under test even on a slow machine (-race).
	for _, c := range []struct {
		handler, reason string
		cpu             time.Duration
	}{
		{"loop", monitor.ReasonCPU, 3 * time.Second},
		{"intervalLoop", monitor.ReasonCPU, 3 * time.Second},
		{"stringBomb", monitor.ReasonHeap, time.Minute},
		{"arrayBomb", monitor.ReasonHeap, time.Minute},
	} {
		t.Run(c.handler, func(t *testing.T) {
			w := newWorld(t, monitor.Budgets{TaskCPU: c.cpu, HeapBytes: 96 << 20})
			gs, gpage, _ := w.run(good)
			stillWorks(t, gs, gpage)
			s, page, done := w.run(hostile)
			waitData(t, s, func(d map[string]any) bool { return true })
			page.tap(c.handler)
			terminatedWith(t, done, c.reason)
			e := w.waitAudit("test.hostile", func(e bridge.AuditEntry) bool { return e.Kind == "termination" })
			if !strings.HasPrefix(e.Reason, c.reason+":") {
				t.Fatalf("audit reason %q", e.Reason)
			}
			stillWorks(t, gs, gpage)
		})
	}
}

// In process isolation a heap bomb meets RLIMIT_AS in its child, however fast it grows.
func TestHeapBombsInProcessIsolation(t *testing.T) {
	for _, handler := range []string{"stringBomb", "arrayBomb"} {
		t.Run(handler, func(t *testing.T) {
			// The monitor's own heap budget is out of reach here: the child's limit acts.
			w := newWorld(t, monitor.Budgets{HeapBytes: 64 << 30, TaskCPU: time.Minute})
			w.isolation = "process"
			gs, gpage, _ := w.run(good)
			s, page, done := w.run(hostile)
			waitData(t, s, func(d map[string]any) bool { return true })
			page.tap(handler)
			terminatedWith(t, done, monitor.ReasonHeap)
			w.waitAudit("test.hostile", func(e bridge.AuditEntry) bool {
				return e.Kind == "termination" && strings.Contains(e.Reason, "RLIMIT_AS")
			})
			stillWorks(t, gs, gpage)
		})
	}
}

func TestHostileCallsAreRefused(t *testing.T) {
	loopback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the loopback server was reached: %s", r.URL)
	}))
	defer loopback.Close()
	cases := []struct {
		handler string
		detail  map[string]any
		want    string // in what the app saw
		audit   func(bridge.AuditEntry) bool
	}{
		{"undeclared", nil, "getLocation:fail capability location:read is not declared in app.json",
			func(e bridge.AuditEntry) bool {
				return e.API == "getLocation" && e.Decision == bridge.DecisionDenied && e.Capability == "location:read"
			}},
		{"requireFs", nil, "require('fs') from pages/index/index.js: no such module in miniprogram_npm/", nil},
		{"evals", nil, `{"eval":"blocked","indirectEval":"blocked","Function":"blocked","ctor":"blocked","asyncCtor":"blocked","genCtor":"blocked","stringTimer":"blocked"}`, nil},
		{"requestUndeclared", nil, "request:fail url not in domain list", func(e bridge.AuditEntry) bool {
			return e.API == "request" && e.Decision == bridge.DecisionError
		}},
		{"requestLoopback", map[string]any{"url": loopback.URL + "/x"}, "request:fail", func(e bridge.AuditEntry) bool {
			return e.API == "request" && e.Decision == bridge.DecisionError
		}},
		{"bigSetData", nil, "setData", nil},
	}
	for _, c := range cases {
		t.Run(c.handler, func(t *testing.T) {
			w := newWorld(t, monitor.Budgets{})
			// Granted, so that wx.request meets the network rules, not the prompt.
			if err := w.perms.Grant(perms.App{ID: "test.hostile"}, "network:request"); err != nil {
				t.Fatal(err)
			}
			gs, gpage, _ := w.run(good)
			s, page, _ := w.run(hostile)
			waitData(t, s, func(d map[string]any) bool { return true })
			page.tapDetail(c.handler, c.detail)
			got := result(t, s)
			if !strings.Contains(got, c.want) {
				t.Fatalf("the app saw %q, want it to contain %q", got, c.want)
			}
			if c.audit != nil {
				w.waitAudit("test.hostile", c.audit)
			}
			stillWorks(t, gs, gpage)
		})
	}
}

func TestDeniedThenAskedAgainDoesNotPrompt(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	s, page, _ := w.run(hostile)
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("askTwice")
	got := result(t, s)
	want := "first: requestCapability:fail auth deny | second: requestCapability:fail auth denied"
	if got != want {
		t.Fatalf("the app saw %q, want %q", got, want)
	}
	if n := w.prompter.n.Load(); n != 1 {
		t.Fatalf("%d prompts, want 1: a denial is remembered", n)
	}
	// A revoke and grant from settings take effect at once.
	app := perms.App{ID: "test.hostile"}
	if err := w.perms.Grant(app, "clipboard:write"); err != nil {
		t.Fatal(err)
	}
	clearResult(t, s, page)
	page.tap("copy")
	if got := result(t, s); got != "setClipboardData:ok" {
		t.Fatalf("after grant: %q", got)
	}
	if err := w.perms.Revoke(app, "clipboard:write"); err != nil {
		t.Fatal(err)
	}
	clearResult(t, s, page)
	page.tap("copy")
	if got := result(t, s); got != "setClipboardData:fail auth denied" {
		t.Fatalf("after revoke: %q", got)
	}
}

func TestTamperingDoesNotReachTheHost(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	if err := w.perms.Grant(perms.App{ID: "test.hostile"}, "clipboard:write"); err != nil {
		t.Fatal(err)
	}
	s, page, _ := w.run(hostile)
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("tamper")
	got := result(t, s)
	// wx is the app's own view (WeChat libraries wrap it): replacing its members changes
	// only what the app itself calls, never what reaches the host or how it is checked.
	want := "wx replaced,extra added | setClipboardData:ok"
	if got != want {
		t.Fatalf("the app saw %q, want %q", got, want)
	}
	if clip, _ := page.Clipboard(); clip != "still works" {
		t.Fatalf("clipboard = %q", clip)
	}
}

func TestAPIFloodIsRateLimitedAndStopped(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	gs, gpage, _ := w.run(good)
	s, page, done := w.run(hostile)
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("flood")
	terminatedWith(t, done, monitor.ReasonRateLimited)
	w.waitAudit("test.hostile", func(e bridge.AuditEntry) bool { return e.Decision == bridge.DecisionRateLimited })
	if reason, ok := w.quarantine.Quarantined("test.hostile@unverified"); !ok || reason != monitor.ReasonRateLimited {
		t.Fatalf("quarantine = %q, %v", reason, ok)
	}
	// A quarantined app does not start again.
	if _, err := w.start(hostile); err == nil || !strings.Contains(err.Error(), "quarantined") {
		t.Fatalf("restart of a quarantined app: %v", err)
	}
	stillWorks(t, gs, gpage)
}

func TestDeniedBurstStopsTheApp(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	gs, gpage, _ := w.run(good)
	s, page, done := w.run(hostile)
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("deniedBurst")
	terminatedWith(t, done, monitor.ReasonDenied)
	if reason, ok := w.quarantine.Quarantined("test.hostile@unverified"); !ok || reason != monitor.ReasonDenied {
		t.Fatalf("quarantine = %q, %v", reason, ok)
	}
	stillWorks(t, gs, gpage)
}

func TestForgedPageMessagesStopTheApp(t *testing.T) {
	w := newWorld(t, monitor.Budgets{ViolationsPer: monitor.Window{Count: 5, Every: time.Minute}})
	gs, gpage, _ := w.run(good)
	s, page, done := w.run(hostile)
	waitData(t, s, func(d map[string]any) bool { return true })
	for i := 0; i < 10; i++ {
		page.tap("noSuchHandler")
	}
	terminatedWith(t, done, monitor.ReasonViolations)
	e := w.waitAudit("test.hostile", func(e bridge.AuditEntry) bool { return e.Decision == bridge.DecisionRefused })
	if !strings.Contains(e.Reason, "noSuchHandler") {
		t.Fatalf("audit reason %q", e.Reason)
	}
	stillWorks(t, gs, gpage)
}

func TestTerminatedAppLeavesNoGoroutine(t *testing.T) {
	ignore := []goleak.Option{goleak.IgnoreCurrent(), goleak.IgnoreTopFunction(bridge.AuditMillGoroutine)}
	func() {
		w := newWorld(t, monitor.Budgets{TaskCPU: 300 * time.Millisecond})
		s, err := w.start(hostile)
		if err != nil {
			t.Fatal(err)
		}
		page := &fakePage{s: s}
		done := &ended{ch: make(chan struct{})}
		go func() {
			done.err = s.RunHeadless(page)
			close(done.ch)
		}()
		page.post(bridge.KindReady, bridge.Ready{Seq: 0})
		waitData(t, s, func(d map[string]any) bool { return true })
		page.tap("loop")
		terminatedWith(t, done, monitor.ReasonCPU)
		w.close()
	}()
	goleak.VerifyNone(t, ignore...)
}

// clearResult empties the hostile page's result between steps.
func clearResult(t *testing.T, s *Session, page *fakePage) {
	t.Helper()
	page.tap("clear")
	waitData(t, s, func(d map[string]any) bool { return d["result"] == "" })
}

func monitorBudgetsNone() monitor.Budgets { return monitor.Budgets{} }

// copyApp copies the mini-app in dir to a temporary folder under another app id.
func copyApp(t *testing.T, dir, id string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "app.json" {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			m["id"] = id
			raw, _ = json.Marshal(m)
		}
		return os.WriteFile(filepath.Join(dst, rel), raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
