package isolate

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// TestHeapBombKillsOnlyTheChild: a heap bomb meets RLIMIT_AS in its own process; the
// parent learns why, and a second child running alongside keeps answering.
func TestHeapBombKillsOnlyTheChild(t *testing.T) {
	for _, handler := range []string{"stringBomb", "arrayBomb"} {
		t.Run(handler, func(t *testing.T) {
			bystander := startChild(t, hostileApp)
			bystander.launch(t)

			app := hostileApp
			app.memory = 256 << 20
			victim := startChild(t, app)
			victim.launch(t)
			victim.ping(t)
			deliver(t, victim.rt, bridge.KindEvent, eventOf("p1", handler, `{}`))
			waitDone(t, victim.rt, "the heap bomb to end the child")

			var ee *ExitError
			if !errors.As(victim.rt.Err(), &ee) || ee.Reason != ReasonMemory {
				victim.logs.dump(t)
				t.Fatalf("Err() = %v, want an *ExitError with reason %q", victim.rt.Err(), ReasonMemory)
			}
			t.Logf("victim: %v", ee)
			if !strings.Contains(ee.Error(), "RLIMIT_AS") || !strings.Contains(strings.ToLower(ee.Error()), "memory") {
				t.Errorf("Err() does not say RLIMIT_AS and memory: %v", ee)
			}
			if victim.rt.Deliver(envelope(t, bridge.KindEvent, eventOf("p1", "ping", `{}`))) {
				t.Error("Deliver to a dead child returned true")
			}

			// The other app, and this process, carry on.
			for i := 2; i <= 3; i++ {
				r := bystander.ping(t)
				if got := string(r.Ops[0].Diff); got != `{"n":`+strconv.Itoa(i-1)+`}` {
					t.Errorf("bystander push %d = %s", i, got)
				}
			}
			if _, err := bystander.rt.PageData("p1"); err != nil {
				t.Errorf("bystander PageData: %v", err)
			}
			if bystander.rt.Err() != nil {
				t.Errorf("bystander Err() = %v", bystander.rt.Err())
			}
		})
	}
}

// TestCPULimitKillsTheChild: with the task budget off, RLIMIT_CPU ends an endless loop.
func TestCPULimitKillsTheChild(t *testing.T) {
	app := hostileApp
	app.cpu = time.Second
	c := startChild(t, app)
	c.launch(t)
	deliver(t, c.rt, bridge.KindEvent, eventOf("p1", "spin", `{}`))
	waitDone(t, c.rt, "RLIMIT_CPU to end the child")
	var ee *ExitError
	if !errors.As(c.rt.Err(), &ee) || ee.Reason != ReasonCPU || !strings.Contains(ee.Detail, "RLIMIT_CPU") {
		t.Fatalf("Err() = %v, want an *ExitError saying RLIMIT_CPU", c.rt.Err())
	}
	t.Logf("Err() = %v", ee)
}

// TestFakeChildMalformedFrame: a child that breaks the protocol is killed, nothing it
// sent reaches the host, and Err (or Start) says what was wrong.
func TestFakeChildMalformedFrame(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want string // in the error
	}{
		{"garbage", "malformed frame"},
		{"unknown-field", `unknown field "extra"`},
		{"unknown-type", `unknown frame type "hello"`},
		{"bad-utf8", "not valid UTF-8"},
		{"trailing", "data after the JSON value"},
		{"loaded-body-type", "loaded body"},
		{"oversize", "frame too big"},
		{"send-ui", `logic may not send kind "ui"`},
		{"send-sender", "only the host stamps senders"},
		{"send-version", "version 2"},
		{"render-extra", `render payload: unknown field "x"`},
		{"render-balloon", `render payload: payload.ops[0].diff: invalid data path "a0[1048576]"`},
		{"api-sync", "an asynchronous call"},
		{"query-op", `op "eval" is not one of`},
		{"query-spec", "spec must be a JSON object"},
		{"reply-unasked", "answers no request"},
		{"loaded-twice", "sent twice"},
		{"terminated-long", "reason must be"},
		{"sync-twice", "a second one"},
		{"oversize-after-load", "frame too big"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			h, logs := newFakeHost(), &logSink{}
			release := make(chan struct{})
			h.sync = func(c bridge.APICall) bridge.APIResult {
				<-release // unanswered until the child is gone
				return bridge.APIResult{ID: c.ID, Result: json.RawMessage(`{"errMsg":"x:fail"}`)}
			}
			opts := childOptions(t, hostileApp, h, logs)
			opts.Env = []string{childEnv + "=fake:" + tc.mode, raceNoExitSleep}
			rt, err := Start(opts)
			if err == nil {
				<-rt.exited
				close(release)
				waitDone(t, rt, "the fake child to be killed")
				err = rt.Err()
			} else {
				close(release)
			}
			var ee *ExitError
			if !errors.As(err, &ee) || ee.Reason != ReasonProtocol || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want a protocol error containing %q", err, tc.want)
			}
			if n := h.count(); n != 0 {
				t.Errorf("the host received %d messages from a hostile child", n)
			}
		})
	}
}

// TestDeafChildIsKilled: a child that stops reading its input is killed once the
// queue is full, and Deliver never blocks the host meanwhile.
func TestDeafChildIsKilled(t *testing.T) {
	h, logs := newFakeHost(), &logSink{}
	opts := childOptions(t, hostileApp, h, logs)
	opts.Env = []string{childEnv + "=fake:deaf", raceNoExitSleep}
	rt, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Stop()
	env := envelope(t, bridge.KindEvent, eventOf("p1", "ping", `{"pad":"`+strings.Repeat("x", 1000)+`"}`))
	refused := false
	for range 100 * outQueue {
		if !rt.Deliver(env) {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("Deliver kept accepting frames for a child that reads nothing")
	}
	waitDone(t, rt, "the deaf child to be killed")
	var ee *ExitError
	if !errors.As(rt.Err(), &ee) || ee.Reason != ReasonUnresponsive {
		t.Fatalf("Err() = %v, want reason %q", rt.Err(), ReasonUnresponsive)
	}
}

// TestFullQueueHoldsAPIResults: an API result meeting a full queue waits for room (a
// burst of local calls answered faster than a busy child reads is no deafness), and
// only a child that reads nothing for resultWait is killed.
func TestFullQueueHoldsAPIResults(t *testing.T) {
	defer func(d time.Duration) { resultWait = d }(resultWait)
	resultWait = 500 * time.Millisecond
	h, logs := newFakeHost(), &logSink{}
	opts := childOptions(t, hostileApp, h, logs)
	opts.Env = []string{childEnv + "=fake:deaf", raceNoExitSleep}
	rt, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Stop()
	res := envelope(t, bridge.KindAPIResult, bridge.APIResult{ID: 1, Result: json.RawMessage(`{"errMsg":"x:ok"}`)})
	start := time.Now()
	n := 0
	for rt.Deliver(res) {
		n++
		if n > 10*outQueue {
			t.Fatal("Deliver kept accepting results for a child that reads nothing")
		}
	}
	if waited := time.Since(start); waited < resultWait {
		t.Fatalf("the result past a full queue was refused after %s, before waiting %s", waited, resultWait)
	}
	waitDone(t, rt, "the deaf child to be killed")
	var ee *ExitError
	if !errors.As(rt.Err(), &ee) || ee.Reason != ReasonUnresponsive {
		t.Fatalf("Err() = %v, want reason %q", rt.Err(), ReasonUnresponsive)
	}
}

// TestChildRefusesBadParentFrames: the child side decodes its parent strictly too.
func TestChildRefusesBadParentFrames(t *testing.T) {
	frame := func(body string) []byte {
		var b bytes.Buffer
		writeFrameRaw(&b, body)
		return b.Bytes()
	}
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"not init first", frame(`{"t":"stop"}`)},
		{"unknown init field", frame(`{"t":"init","body":{"dir":"/","bogus":true}}`)},
		{"garbage", frame(`{{{`)},
		{"oversize", binary.BigEndian.AppendUint32(nil, MaxFrameBytes+1)},
		{"cut short", binary.BigEndian.AppendUint32(nil, 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exe, _ := os.Executable()
			cmd := exec.Command(exe)
			cmd.Env = []string{childEnv + "=serve", raceNoExitSleep}
			cmd.Stdin = bytes.NewReader(tc.input)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var xe *exec.ExitError
			if !errors.As(err, &xe) || xe.ExitCode() != ExitProtocol {
				t.Fatalf("child ended with %v, want exit status %d; stderr: %s", err, ExitProtocol, stderr.String())
			}
		})
	}
}

// TestParentDeathTakesTheChild: a parent that dies without Stop leaves no child.
func TestParentDeathTakesTheChild(t *testing.T) {
	exe, _ := os.Executable()
	cmd := exec.Command(exe)
	cmd.Env = []string{childEnv + "=orphan", raceNoExitSleep}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("orphan parent: %v: %s", err, stderr.String())
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("orphan parent printed %q", out)
	}
	deadline := time.Now().Add(waitFor)
	for {
		// Gone, or a zombie waiting for init to reap it: either way, not running.
		st := procState(pid)
		if st == "gone" || procStateLetter(st) == "Z" {
			return
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child %d outlived its parent: %s", pid, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// procStateLetter is the state field of /proc/PID/stat (after "(comm)").
func procStateLetter(stat string) string {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(stat[i+1:])
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// TestStuckNativeEndsTheChild: a task stuck inside a native call (the interrupt cannot
// reach it) is terminated by the budget, and the child ends at budget + logic's grace
// (its logic abandons the loop, and the process exits), not when the native returns
// half a minute later; if it did not, the parent would kill it stopGrace after it
// reported the termination.
func TestStuckNativeEndsTheChild(t *testing.T) {
	app := hostileApp
	app.taskBudget = 500 * time.Millisecond
	// What is tested is the CPU budget: room enough that the race detector's shadow
	// memory for the native's strings does not meet RLIMIT_AS first.
	app.memory = 4 << 30
	c := startChild(t, app)
	c.launch(t)
	start := time.Now()
	deliver(t, c.rt, bridge.KindEvent, eventOf("p1", "pinNative", `{}`))
	waitDone(t, c.rt, "the stuck child to end")
	took := time.Since(start)
	var te *logic.TerminatedError
	if !errors.As(c.rt.Err(), &te) || te.Reason != logic.ReasonCPU {
		c.logs.dump(t)
		t.Fatalf("Err() = %v, want a *logic.TerminatedError for cpu", c.rt.Err())
	}
	if limit := app.taskBudget + logic.StopGrace + stopGrace + 2*time.Second; took > limit {
		t.Errorf("the child ended %s after the task began, want at most %s", took, limit)
	}
	t.Logf("ended after %s: %v", took, te)
}

// TestJSONBombInTheChild: the natives guard works in the child too: a catchable error.
func TestJSONBombInTheChild(t *testing.T) {
	c := startChild(t, hostileApp)
	c.launch(t)
	deliver(t, c.rt, bridge.KindEvent, eventOf("p1", "jsonBomb", `{}`))
	r := c.host.nextRender(t)
	if got := string(r.Ops[0].Diff); got != `{"n":"SyntaxError"}` {
		t.Errorf("push = %s", got)
	}
	if c.rt.Err() != nil {
		t.Errorf("Err() = %v", c.rt.Err())
	}
}
