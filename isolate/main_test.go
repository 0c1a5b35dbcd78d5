package isolate

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"github.com/sandframe/sandframe/internal/hostapi/all"
	"io"
	"log/slog"
	"os"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// childEnv makes the test binary a child: "serve" runs ServeChild, "fake:MODE" plays a
// hostile child (fakeChild), "orphan" starts a child and dies without stopping it.
const childEnv = "SANDFRAME_ISOLATE_TEST_CHILD"

// TestMain is the helper-process pattern of os/exec's tests: the same binary is the
// parent (running the tests, with goleak) or one of the children.
func TestMain(m *testing.M) {
	switch mode := os.Getenv(childEnv); {
	case mode == "":
		goleak.VerifyTestMain(m)
	case mode == "serve":
		if os.Getenv(probeEnv) == "1" {
			testAfterConfine = confineProbe
		}
		testUnavailable.landlock = os.Getenv(noLandlockEnv) == "1"
		testUnavailable.seccomp = os.Getenv(noSeccompEnv) == "1"
		os.Exit(ServeChild(os.Stdin, os.Stdout, slog.New(slog.NewJSONHandler(os.Stderr, nil))))
	case mode == "orphan":
		os.Exit(orphanParent())
	case strings.HasPrefix(mode, "fake:"):
		os.Exit(fakeChild(strings.TrimPrefix(mode, "fake:")))
	default:
		os.Exit(99)
	}
}

// raceNoExitSleep: a -race child otherwise sleeps 1 s at exit (atexit_sleep_ms).
const raceNoExitSleep = "GORACE=atexit_sleep_ms=0"

// waitFor only guards against hangs; nothing asserts how fast anything is.
const waitFor = 90 * time.Second

// logicRuntime is what a host uses of a logic runtime; both kinds satisfy it.
type logicRuntime interface {
	Deliver(bridge.Envelope) bool
	Definitions() map[string]logic.ComponentDef
	PageData(pageID string) (json.RawMessage, error)
	Stack() []logic.PageInfo
	Stop()
	Terminate(reason string)
	Done() <-chan struct{}
	Err() error
}

var (
	_ logicRuntime = (*logic.Runtime)(nil)
	_ logicRuntime = (*Runtime)(nil)
)

// fakeHost records what a runtime sends and answers sync calls like a host.
type fakeHost struct {
	mu     sync.Mutex
	sent   []bridge.Envelope
	notify chan struct{}
	next   int
	sync   func(bridge.APICall) bridge.APIResult // nil: ok with windowWidth 375
}

func newFakeHost() *fakeHost { return &fakeHost{notify: make(chan struct{}, 1)} }

func (h *fakeHost) Send(env bridge.Envelope) {
	h.mu.Lock()
	h.sent = append(h.sent, env)
	h.mu.Unlock()
	select {
	case h.notify <- struct{}{}:
	default:
	}
}

func (h *fakeHost) CallSync(c bridge.APICall) bridge.APIResult {
	if h.sync != nil {
		return h.sync(c)
	}
	return bridge.APIResult{ID: c.ID, OK: true, Result: json.RawMessage(`{"errMsg":"` + c.Name + `:ok","windowWidth":375}`)}
}

func (h *fakeHost) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sent)
}

// nextSent returns the next envelope not yet returned.
func (h *fakeHost) nextSent(t testing.TB) bridge.Envelope {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		h.mu.Lock()
		if h.next < len(h.sent) {
			env := h.sent[h.next]
			h.next++
			h.mu.Unlock()
			return env
		}
		h.mu.Unlock()
		select {
		case <-h.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for a message from logic")
		}
	}
}

func (h *fakeHost) nextRender(t testing.TB) bridge.Render {
	t.Helper()
	env := h.nextSent(t)
	if env.Kind != bridge.KindRender {
		t.Fatalf("got %s %s, want a render push", env.Kind, env.Payload)
	}
	var r bridge.Render
	if err := json.Unmarshal(env.Payload, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// logSink records the parent's log lines.
type logSink struct {
	mu      sync.Mutex
	records []map[string]string
	notify  chan struct{}
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) WithGroup(string) slog.Handler            { return s }
func (s *logSink) WithAttrs(as []slog.Attr) slog.Handler    { return &attrSink{s, as} }
func (s *logSink) Handle(ctx context.Context, r slog.Record) error {
	return (&attrSink{s, nil}).Handle(ctx, r)
}

type attrSink struct {
	s     *logSink
	attrs []slog.Attr
}

func (a *attrSink) Enabled(context.Context, slog.Level) bool { return true }
func (a *attrSink) WithGroup(string) slog.Handler            { return a }
func (a *attrSink) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrSink{a.s, append(append([]slog.Attr(nil), a.attrs...), as...)}
}
func (a *attrSink) Handle(_ context.Context, r slog.Record) error {
	rec := map[string]string{"msg": r.Message, "level": r.Level.String()}
	for _, at := range a.attrs {
		rec[at.Key] = at.Value.String()
	}
	r.Attrs(func(at slog.Attr) bool { rec[at.Key] = at.Value.String(); return true })
	a.s.mu.Lock()
	a.s.records = append(a.s.records, rec)
	if a.s.notify == nil {
		a.s.notify = make(chan struct{}, 1)
	}
	notify := a.s.notify
	a.s.mu.Unlock()
	select {
	case notify <- struct{}{}:
	default:
	}
	return nil
}

// dump logs every record, to explain a failure.
func (s *logSink) dump(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		t.Logf("log: %v", r)
	}
}

// wait returns the first record that matches, waiting for it.
func (s *logSink) wait(t testing.TB, match func(map[string]string) bool) map[string]string {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		if r := s.find(match); r != nil {
			return r
		}
		s.mu.Lock()
		if s.notify == nil {
			s.notify = make(chan struct{}, 1)
		}
		notify := s.notify
		s.mu.Unlock()
		select {
		case <-notify:
		case <-deadline:
			t.Fatalf("timed out waiting for a log line")
		}
	}
}

func (s *logSink) find(match func(map[string]string) bool) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if match(r) {
			return r
		}
	}
	return nil
}

// appSpec names a test app and how to run it.
type appSpec struct {
	dir        string
	pages      []string
	components []string
	taskBudget time.Duration
	memory     uint64
	cpu        time.Duration
}

var (
	todoApp = appSpec{dir: "testdata/todo", pages: []string{"pages/index/index", "pages/stats/stats"},
		components: []string{"components/todo-item/todo-item"}}
	hostileApp = appSpec{dir: "testdata/hostile", pages: []string{"pages/index/index"}, taskBudget: -1}
)

func (a appSpec) logicOptions() logic.Options {
	return logic.Options{
		AppID: path.Base(a.dir), Pages: a.pages, Components: a.components,
		Launch: logic.LaunchOptions{Path: a.pages[0], Scene: 1001}, TaskBudget: a.taskBudget,
		APIs: all.Shapes(), // the child builds wx from the shapes the init frame carries
	}
}

// testChild is a child runtime with its fake host and log.
type testChild struct {
	rt   *Runtime
	host *fakeHost
	logs *logSink
}

func childOptions(t testing.TB, a appSpec, h *fakeHost, logs *logSink) Options {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Exe: exe, Args: []string{ChildArg}, Env: []string{childEnv + "=serve", raceNoExitSleep},
		Dir: a.dir, Logic: a.logicOptions(), Send: h.Send, CallSync: h.CallSync,
		Logger: slog.New(logs), MemoryLimit: a.memory, CPULimit: a.cpu,
	}
}

func startChild(t testing.TB, a appSpec) *testChild {
	t.Helper()
	h, logs := newFakeHost(), &logSink{}
	rt, err := Start(childOptions(t, a, h, logs))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(rt.Stop)
	return &testChild{rt: rt, host: h, logs: logs}
}

func envelope(t testing.TB, kind bridge.Kind, payload any) bridge.Envelope {
	t.Helper()
	env, err := bridge.NewEnvelope(kind, payload)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func deliver(t testing.TB, rt logicRuntime, kind bridge.Kind, payload any) {
	t.Helper()
	if !rt.Deliver(envelope(t, kind, payload)) {
		t.Fatalf("Deliver(%s) refused", kind)
	}
}

func launchNav(route string) bridge.Nav {
	return bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: route, Query: map[string]string{}}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}}
}

func eventOf(target, handler, detail string) map[string]any {
	return map[string]any{
		"target": target, "handler": handler,
		"event": map[string]any{"type": "tap", "timeStamp": 1, "detail": json.RawMessage(detail),
			"target": map[string]any{"id": "", "dataset": map[string]any{}}, "currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}},
	}
}

// launch opens the first page as p1 and acknowledges its push.
func (c *testChild) launch(t testing.TB) bridge.Render {
	t.Helper()
	deliver(t, c.rt, bridge.KindNav, launchNav("pages/index/index"))
	r := c.host.nextRender(t)
	deliver(t, c.rt, bridge.KindReady, bridge.Ready{Seq: r.Seq})
	return r
}

// ping taps the hostile app's well-behaved handler and waits for its push.
func (c *testChild) ping(t testing.TB) bridge.Render {
	t.Helper()
	deliver(t, c.rt, bridge.KindEvent, eventOf("p1", "ping", `{}`))
	r := c.host.nextRender(t)
	deliver(t, c.rt, bridge.KindReady, bridge.Ready{Seq: r.Seq})
	return r
}

func waitDone(t testing.TB, rt logicRuntime, what string) {
	t.Helper()
	select {
	case <-rt.Done():
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// ---- children played by the test binary -------------------------------------------

// writeFrameRaw writes body (any bytes) with a length prefix.
func writeFrameRaw(w io.Writer, body string) {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(body)))
	w.Write(hdr[:])
	io.WriteString(w, body)
}

const okLoaded = `{"t":"loaded","body":{}}`

// fakeModes are hostile children: what each writes after reading init. Those that
// start with okLoaded misbehave after Start has returned.
var fakeModes = map[string][]string{
	"garbage":          {"this is not JSON"},
	"unknown-field":    {`{"t":"loaded","body":{},"extra":1}`},
	"unknown-type":     {`{"t":"hello"}`},
	"bad-utf8":         {"{\"t\":\"loaded\",\"body\":{\"error\":\"\xff\"}}"},
	"trailing":         {okLoaded + ` {}`},
	"loaded-body-type": {`{"t":"loaded","body":{"defs":[]}}`},
	"send-ui":          {okLoaded, `{"t":"send","body":{"v":1,"kind":"ui","payload":{"op":"hideToast"}}}`},
	"send-sender":      {okLoaded, `{"t":"send","body":{"v":1,"kind":"render","payload":{"seq":1,"ops":[]},"sender":{"app":"other"}}}`},
	"send-version":     {okLoaded, `{"t":"send","body":{"v":2,"kind":"render","payload":{"seq":1,"ops":[]}}}`},
	"render-extra":     {okLoaded, `{"t":"send","body":{"v":1,"kind":"render","payload":{"seq":1,"ops":[],"x":1}}}`},
	"render-balloon":   {okLoaded, `{"t":"send","body":{"v":1,"kind":"render","payload":{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"a0[1048576]":1}}]}}}`},
	"api-sync":         {okLoaded, `{"t":"send","body":{"v":1,"kind":"api","payload":{"id":1,"name":"showToast","sync":true}}}`},
	"query-op":         {okLoaded, `{"t":"send","body":{"v":1,"kind":"query","payload":{"id":1,"op":"eval","owner":"p1"}}}`},
	"query-spec":       {okLoaded, `{"t":"send","body":{"v":1,"kind":"query","payload":{"id":1,"op":"select","owner":"p1","spec":[1]}}}`},
	"reply-unasked":    {okLoaded, `{"t":"pageDataReply","id":77,"body":{"data":{}}}`},
	"loaded-twice":     {okLoaded, okLoaded},
	"terminated-long":  {okLoaded, `{"t":"terminated","body":{"reason":"` + strings.Repeat("r", 100) + `","detail":""}}`},
	"sync-twice": {okLoaded, `{"t":"syncCall","id":1,"body":{"id":1,"name":"getSystemInfoSync","sync":true}}`,
		`{"t":"syncCall","id":2,"body":{"id":2,"name":"getSystemInfoSync","sync":true}}`},
}

// fakeChild reads the init frame, writes its mode's frames, then waits to be killed.
func fakeChild(mode string) int {
	if _, err := readFrame(os.Stdin, MaxFrameBytes); err != nil {
		return 98
	}
	switch mode {
	case "oversize":
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], MaxFrameBytes+1)
		os.Stdout.Write(hdr[:])
	case "oversize-after-load":
		writeFrameRaw(os.Stdout, okLoaded)
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], 1<<31)
		os.Stdout.Write(hdr[:])
	case "deaf": // loads, then never reads again
		writeFrameRaw(os.Stdout, okLoaded)
		time.Sleep(time.Hour)
	default:
		frames, ok := fakeModes[mode]
		if !ok {
			return 97
		}
		for _, f := range frames {
			writeFrameRaw(os.Stdout, f)
		}
	}
	io.Copy(io.Discard, os.Stdin) // until the parent kills us or closes our input
	return 0
}

// orphanParent starts a real child, prints its pid and exits without stopping it: the
// child must die with it (Pdeathsig, stdin EOF).
func orphanParent() int {
	h := newFakeHost()
	exe, _ := os.Executable()
	rt, err := Start(Options{
		Exe: exe, Env: []string{childEnv + "=serve"}, Dir: hostileApp.dir,
		Logic: hostileApp.logicOptions(), Send: h.Send, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		os.Stderr.WriteString(err.Error())
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(rt.PID())
	return 0
}
