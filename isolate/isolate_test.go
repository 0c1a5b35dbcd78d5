package isolate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/goleak"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// todoScript drives the todo app through launch, a component report, a custom event,
// input, add, a sync API, a navigation API answered with nav, and the read methods. It
// returns a transcript: every message logic sent and every answer, as text.
func todoScript(t *testing.T, rt logicRuntime, h *fakeHost) []string {
	var out []string
	record := func(env bridge.Envelope) {
		out = append(out, fmt.Sprintf("%s %s", env.Kind, env.Payload))
	}
	push := func() bridge.Render {
		t.Helper()
		env := h.nextSent(t)
		record(env)
		if env.Kind != bridge.KindRender {
			t.Fatalf("got %s, want render", env.Kind)
		}
		var r bridge.Render
		if err := json.Unmarshal(env.Payload, &r); err != nil {
			t.Fatal(err)
		}
		deliver(t, rt, bridge.KindReady, bridge.Ready{Seq: r.Seq})
		return r
	}

	deliver(t, rt, bridge.KindNav, launchNav("pages/index/index"))
	push()
	deliver(t, rt, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{{
		ID: "c1", Page: "p1", Owner: "p1", Is: "components/todo-item/todo-item",
		Props:  map[string]json.RawMessage{"item": json.RawMessage(`{"id":1,"title":"Buy milk","done":false}`), "index": json.RawMessage(`0`)},
		Events: map[string]string{"toggle": "onToggle"},
	}}})
	deliver(t, rt, bridge.KindEvent, eventOf("c1", "onTap", `{}`))
	push()
	deliver(t, rt, bridge.KindEvent, eventOf("p1", "onInput", `{"value":"Tea"}`))
	push()
	deliver(t, rt, bridge.KindEvent, eventOf("p1", "onAdd", `{}`))
	push()
	deliver(t, rt, bridge.KindEvent, eventOf("p1", "onInfo", `{}`)) // getSystemInfoSync
	push()

	deliver(t, rt, bridge.KindEvent, eventOf("p1", "onStats", `{}`))
	env := h.nextSent(t)
	record(env)
	var call bridge.APICall
	if err := json.Unmarshal(env.Payload, &call); err != nil || env.Kind != bridge.KindAPI {
		t.Fatalf("want an api call, got %s %s", env.Kind, env.Payload)
	}
	deliver(t, rt, bridge.KindNav, bridge.Nav{Action: "navigateTo", Open: &bridge.NavOpen{Page: "p2", Route: "pages/stats/stats", Query: map[string]string{"from": "index"}}, Show: "p2",
		Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1", Route: "pages/index/index"}, {ID: "p2", Route: "pages/stats/stats"}}}})
	deliver(t, rt, bridge.KindAPIResult, bridge.APIResult{ID: call.ID, OK: true, Result: json.RawMessage(`{"errMsg":"navigateTo:ok"}`)})
	push()

	out = append(out, fmt.Sprintf("stack %+v", rt.Stack()))
	for _, id := range []string{"", "p1", "p9"} {
		data, err := rt.PageData(id)
		out = append(out, fmt.Sprintf("pageData(%q) %s %v", id, data, err))
	}
	defs, _ := json.Marshal(rt.Definitions())
	out = append(out, "defs "+string(defs))
	return out
}

// TestTodoSameAsInProcess runs one script against logic in process and in a child and
// wants the same transcript, byte for byte.
func TestTodoSameAsInProcess(t *testing.T) {
	inHost := newFakeHost()
	opts := todoApp.logicOptions()
	opts.FS, opts.Send, opts.CallSync = os.DirFS(todoApp.dir), inHost.Send, inHost.CallSync
	opts.Logger = discardLogger()
	in, err := logic.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Stop()
	want := todoScript(t, in, inHost)

	c := startChild(t, todoApp)
	got := todoScript(t, c.rt, c.host)
	if len(got) != len(want) {
		t.Fatalf("child transcript has %d lines, in process %d:\n%s\n---\n%s", len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\nchild:      %s\nin process: %s", i, got[i], want[i])
		}
	}
	if !strings.Contains(strings.Join(got, "\n"), `"width":375`) {
		t.Errorf("the sync call's answer did not reach the page: %q", got)
	}
	if !strings.Contains(strings.Join(got, "\n"), `no page instance "p9"`) {
		t.Errorf("PageData(p9) error missing: %q", got)
	}
	if c.rt.Err() != nil {
		t.Errorf("Err() = %v while running", c.rt.Err())
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestChildLogsReachParent: console output in the child is a log line of the parent,
// with the child's attributes and the isolate tag.
func TestChildLogsReachParent(t *testing.T) {
	c := startChild(t, todoApp)
	c.launch(t)
	rec := c.logs.wait(t, func(r map[string]string) bool { return r["msg"] == "index onReady" })
	for k, v := range map[string]string{"isolate": "child", "source": "console", "app": "todo", "pid": strconv.Itoa(c.rt.PID()), "level": "INFO"} {
		if rec[k] != v {
			t.Errorf("log attr %s = %q, want %q (record %v)", k, rec[k], v, rec)
		}
	}
}

// TestLoadErrorNamesFile: a syntax error comes back from Start with logic's text.
func TestLoadErrorNamesFile(t *testing.T) {
	broken := appSpec{dir: "testdata/broken", pages: []string{"pages/index/index"}}
	opts := broken.logicOptions()
	opts.FS, opts.Send, opts.Logger = os.DirFS(broken.dir), func(bridge.Envelope) {}, discardLogger()
	_, inErr := logic.New(opts)
	if inErr == nil {
		t.Fatal("logic.New accepted a syntax error")
	}
	h := newFakeHost()
	_, err := Start(childOptions(t, broken, h, &logSink{}))
	if err == nil {
		t.Fatal("Start accepted a syntax error")
	}
	if want := "isolate: " + inErr.Error(); err.Error() != want {
		t.Errorf("Start error\n got %s\nwant %s", err, want)
	}
	if !strings.Contains(err.Error(), "pages/index/index.js:4:") {
		t.Errorf("error does not name file:line: %v", err)
	}
}

func TestStartValidatesOptions(t *testing.T) {
	exe, _ := os.Executable()
	send := func(bridge.Envelope) {}
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no exe", Options{Dir: "testdata/todo", Send: send}, "Exe is required"},
		{"no send", Options{Exe: exe, Dir: "testdata/todo"}, "Send is required"},
		{"no dir", Options{Exe: exe, Send: send}, "Dir is required"},
		{"dir missing", Options{Exe: exe, Dir: "testdata/nope", Send: send}, "is not a directory"},
		{"memory too small", Options{Exe: exe, Dir: "testdata/todo", Send: send, MemoryLimit: 1 << 20}, "below the minimum"},
		{"negative cpu", Options{Exe: exe, Dir: "testdata/todo", Send: send, CPULimit: -1}, "negative"},
		{"exe missing", Options{Exe: "/nonexistent/sandframe", Dir: "testdata/todo", Send: send}, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Start(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestStopLeavesNothing: after Stop no goroutine of ours is left, the process is
// reaped (no zombie), Err is nil and the runtime refuses further work.
func TestStopLeavesNothing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	h, logs := newFakeHost(), &logSink{}
	rt, err := Start(childOptions(t, todoApp, h, logs))
	if err != nil {
		t.Fatal(err)
	}
	c := &testChild{rt: rt, host: h, logs: logs}
	c.launch(t)
	pid := rt.PID()
	// Out of the shell's process group: a terminal's Ctrl+C is for the shell to handle.
	if pg, err := syscall.Getpgid(pid); err != nil || pg == syscall.Getpgrp() {
		t.Errorf("child %d is in process group %d (err %v), the test's own group is %d", pid, pg, err, syscall.Getpgrp())
	}
	rt.Stop()
	select {
	case <-rt.Done():
	default:
		t.Fatal("Done not closed after Stop returned")
	}
	if err := rt.Err(); err != nil {
		t.Errorf("Err() after Stop = %v", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("child %d still exists after Stop (kill 0: %v); state %s", pid, err, procState(pid))
	}
	if rt.Deliver(envelope(t, bridge.KindEvent, eventOf("p1", "onAdd", `{}`))) {
		t.Error("Deliver after Stop returned true")
	}
	if _, err := rt.PageData(""); err == nil {
		t.Error("PageData after Stop succeeded")
	}
	if s := rt.Stack(); s != nil {
		t.Errorf("Stack after Stop = %v", s)
	}
	if _, err := rt.RSS(); err == nil {
		t.Error("RSS after Stop succeeded")
	}
	rt.Stop() // idempotent
}

func procState(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "gone"
	}
	return string(b)
}

// TestStopFromSend: a host that stops the app from inside Send must not deadlock.
func TestStopFromSend(t *testing.T) {
	h := newFakeHost()
	var rt *Runtime
	ready := make(chan struct{})
	opts := childOptions(t, hostileApp, h, &logSink{})
	opts.Send = func(env bridge.Envelope) {
		<-ready
		rt.Stop()
		if _, err := rt.PageData(""); err == nil {
			t.Error("PageData from inside Send succeeded")
		}
	}
	rt, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	close(ready)
	deliver(t, rt, bridge.KindNav, launchNav("pages/index/index"))
	waitDone(t, rt, "the child to stop")
	if rt.Err() != nil {
		t.Errorf("Err() = %v", rt.Err())
	}
}

// TestTerminate: the monitor's Terminate ends the child as logic.Terminate would.
func TestTerminate(t *testing.T) {
	h, logs := newFakeHost(), &logSink{}
	var got []logic.Termination
	opts := childOptions(t, hostileApp, h, logs)
	opts.Logic.OnTerminate = func(tm logic.Termination) { got = append(got, tm) }
	rt, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Stop()
	c := &testChild{rt: rt, host: h, logs: logs}
	c.launch(t)
	rt.Terminate("heap")
	waitDone(t, rt, "the child to end")
	var te *logic.TerminatedError
	if !errors.As(rt.Err(), &te) || te.Reason != "heap" {
		t.Fatalf("Err() = %v, want a *logic.TerminatedError with reason heap", rt.Err())
	}
	if len(got) != 1 || got[0].Reason != "heap" {
		t.Errorf("OnTerminate calls = %+v", got)
	}
}

// TestTaskBudgetCrossesTheProcess: logic's task budget in the child ends the app with
// logic's own error, as in process.
func TestTaskBudgetCrossesTheProcess(t *testing.T) {
	app := hostileApp
	app.taskBudget = 200 * 1e6 // 200ms
	c := startChild(t, app)
	c.launch(t)
	deliver(t, c.rt, bridge.KindEvent, eventOf("p1", "spin", `{}`))
	waitDone(t, c.rt, "the task budget to end the child")
	var te *logic.TerminatedError
	if !errors.As(c.rt.Err(), &te) || te.Reason != logic.ReasonCPU || !strings.Contains(te.Detail, "over its budget") {
		t.Fatalf("Err() = %v, want logic's cpu termination", c.rt.Err())
	}
}

func TestRSS(t *testing.T) {
	c := startChild(t, todoApp)
	c.launch(t)
	rss, err := c.rt.RSS()
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 || rss > 1<<30 {
		t.Errorf("RSS = %d bytes, not plausible", rss)
	}
}

// TestBrokenPageCrossesTheProcess: a page that fails to load in the child is left out
// with the child's warning, and the parent learns which page, as in process.
func TestBrokenPageCrossesTheProcess(t *testing.T) {
	app := appSpec{dir: "testdata/leftout", pages: []string{"pages/index/index", "pages/lost/lost"}}
	c := startChild(t, app)
	if got := c.rt.BrokenPages(); len(got) != 1 || got[0] != "pages/lost/lost" {
		t.Errorf("BrokenPages = %q, want [pages/lost/lost]", got)
	}
	rec := c.logs.wait(t, func(r map[string]string) bool { return r["msg"] == "logic: page left out" })
	if !strings.Contains(rec["err"], "pages/lost/lost.js:2:") {
		t.Errorf("warning does not name file:line: %v", rec)
	}
	c.launch(t)
	c.logs.wait(t, func(r map[string]string) bool { return r["msg"] == "index loaded" })
}
