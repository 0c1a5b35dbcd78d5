package isolate

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sandframe/sandframe/internal/hostapi/all"
	"github.com/sandframe/sandframe/logic"
)

// spareOptions are childOptions' spawn part: what a spare is started with, and the
// logic setup every test app has (the shell's API shapes), which it prepares a runtime
// with.
func spareOptions(t testing.TB, env ...string) Options {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Options{Exe: exe, Args: []string{ChildArg}, Env: append([]string{childEnv + "=serve", raceNoExitSleep}, env...),
		Logger: discardLogger(), Logic: logic.Options{APIs: all.Shapes()}}
}

func startSpare(t testing.TB, env ...string) *Spare {
	t.Helper()
	s, err := StartSpare(spareOptions(t, env...))
	if err != nil {
		t.Fatalf("StartSpare: %v", err)
	}
	t.Cleanup(s.Close)
	select {
	case <-s.Warm():
	case <-s.Done():
		t.Fatalf("the spare ended before it warmed up: %v", s.r.Err())
	case <-time.After(waitFor):
		t.Fatal("timed out waiting for the spare to warm up")
	}
	return s
}

// procStatus reads one field of /proc/PID/status.
func procStatus(t *testing.T, pid int, name string) string {
	t.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestSpareConfinedForItsApp: a spare child is confined before it is handed an app
// (no_new_privs and the seccomp filter in /proc while it waits), and once handed one is
// confined exactly as a child started with it (TestConfinedChild's probe and checks: no
// file outside the app's folder — nor the app's own, its code came from the parent —
// no socket, no exec, no ptrace, signals to itself only), and the app then runs.
func TestSpareConfinedForItsApp(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("confinement is Linux only")
	}
	s := startSpare(t, probeEnv+"=1")
	if got := procStatus(t, s.PID(), "Seccomp"); got != "2" {
		t.Errorf("the waiting spare is not filtered (Seccomp %q, want 2)", got)
	}
	if got := procStatus(t, s.PID(), "NoNewPrivs"); got != "1" {
		t.Errorf("the waiting spare has NoNewPrivs %q, want 1", got)
	}

	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, hostileApp, h, logs)
	o.Env = append(o.Env, probeEnv+"=1")
	rt, err := s.Start(o)
	if err != nil {
		t.Fatalf("hand-over: %v", err)
	}
	t.Cleanup(rt.Stop)
	if !rt.Pooled() || rt.PID() != s.PID() {
		t.Fatalf("the app runs in pid %d (pooled %v), want the spare's %d", rt.PID(), rt.Pooled(), s.PID())
	}
	checkConfined(t, rt, h, logs)
}

// TestSpareConfinementDegrades: a spare on a kernel without Landlock and seccomp warns
// and runs its app, as TestConfinementDegrades's child does.
func TestSpareConfinementDegrades(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("confinement is Linux only")
	}
	s := startSpare(t, noLandlockEnv+"=1", noSeccompEnv+"=1")
	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, todoApp, h, logs)
	o.Env = append(o.Env, noLandlockEnv+"=1", noSeccompEnv+"=1")
	rt, err := s.Start(o)
	if err != nil {
		t.Fatalf("hand-over: %v", err)
	}
	t.Cleanup(rt.Stop)
	c := rt.Confinement()
	if c.Landlock != 0 || c.Seccomp || !c.NoNewPrivs || !c.PDeathSig || len(c.Warnings) != 2 {
		t.Errorf("confinement %s %q: want no_new_privs and pdeathsig only, two warnings", c, c.Warnings)
	}
	logs.wait(t, func(r map[string]string) bool {
		return r["msg"] == "isolate child: confinement degraded" && r["level"] == "WARN"
	})
	(&testChild{rt: rt, host: h, logs: logs}).launch(t)
}

// TestSpareServesOneApp: a spare is handed out once, and a child takes one app: a second
// init, straight on the pipe, is a protocol error that ends it.
func TestSpareServesOneApp(t *testing.T) {
	s := startSpare(t)
	h, logs := newFakeHost(), &logSink{}
	rt, err := s.Start(childOptions(t, hostileApp, h, logs))
	if err != nil {
		t.Fatalf("hand-over: %v", err)
	}
	t.Cleanup(rt.Stop)
	if _, err := s.Start(childOptions(t, todoApp, newFakeHost(), &logSink{})); err == nil || errors.Is(err, ErrSpareGone) {
		t.Errorf("second hand-over: %v, want a refusal", err)
	}
	(&testChild{rt: rt, host: h, logs: logs}).launch(t)

	// The child itself: spare, warm, init, loaded, then a second init.
	o := childOptions(t, hostileApp, newFakeHost(), &logSink{})
	p, err := prepare(o)
	if err != nil {
		t.Fatal(err)
	}
	o, init := p.o, p.frames
	cmd := exec.Command(o.Exe, o.Args...)
	cmd.Env = o.Env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	next := func(want string) {
		t.Helper()
		raw, err := readFrame(stdout, MaxFrameBytes)
		if err != nil {
			t.Fatalf("reading %s: %v", want, err)
		}
		m, err := parseChildFrame(raw)
		if err != nil || m.t != want {
			t.Fatalf("got %q (%v), want %s", m.t, err, want)
		}
		if m.loaded != nil && m.loaded.Error != "" {
			t.Fatalf("loaded: %s", m.loaded.Error)
		}
	}
	spare, _ := encodeFrame(tSpare, 0, spareBody{MemoryLimit: o.MemoryLimit, CPULimit: o.CPULimit, ParentPID: os.Getpid()})
	stdin.Write(spare)
	next(tWarm)
	stdin.Write(init)
	next(tLoaded)
	stdin.Write(init)
	err = waitExit(t, cmd)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitProtocol {
		t.Errorf("after a second init: %v, want exit status %d", err, ExitProtocol)
	}
}

// waitExit waits for cmd with a hang limit.
func waitExit(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(waitFor):
		cmd.Process.Kill()
		t.Fatal("timed out waiting for the child to exit")
		return nil
	}
}

// newTestPool is a pool of one spare for the test binary, filled at once.
func newTestPool(t *testing.T, env ...string) *Pool {
	t.Helper()
	so := spareOptions(t, env...)
	p, err := NewPool(PoolOptions{Exe: so.Exe, Args: so.Args, Env: so.Env, Logger: so.Logger, Logic: so.Logic, Size: 1,
		RefillDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func waitPoolReady(t *testing.T, p *Pool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if !p.WaitReady(ctx) {
		t.Fatal("timed out waiting for the pool's spare")
	}
}

// TestPoolHandsOutEachSpareOnce: two launches from the pool run in two new children,
// each a spare, and the pool refills after each.
func TestPoolHandsOutEachSpareOnce(t *testing.T) {
	p := newTestPool(t)
	var pids []int
	for i := range 2 {
		waitPoolReady(t, p)
		h, logs := newFakeHost(), &logSink{}
		rt, err := p.Start(childOptions(t, hostileApp, h, logs))
		if err != nil {
			t.Fatalf("launch %d: %v", i, err)
		}
		if !rt.Pooled() {
			t.Errorf("launch %d did not take the spare", i)
		}
		(&testChild{rt: rt, host: h, logs: logs}).launch(t)
		pids = append(pids, rt.PID())
		rt.Stop()
	}
	if pids[0] == pids[1] {
		t.Errorf("both apps ran in pid %d", pids[0])
	}
	waitPoolReady(t, p) // refilled after the second
}

// TestPoolStartsColdWhenItMust: a launch whose child would differ from the spare
// (another environment), or from a pool of size 0, starts its own child; the spare
// stays for the next launch.
func TestPoolStartsColdWhenItMust(t *testing.T) {
	p := newTestPool(t)
	waitPoolReady(t, p)
	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, hostileApp, h, logs)
	o.Env = append(o.Env, "SANDFRAME_ISOLATE_TEST_OTHER=1")
	rt, err := p.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Pooled() {
		t.Error("a child of another environment came from the pool")
	}
	rt.Stop()
	if !p.Ready() {
		t.Error("the spare was used up by a launch it did not serve")
	}

	off, err := NewPool(PoolOptions{Size: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	rt, err = off.Start(childOptions(t, hostileApp, newFakeHost(), &logSink{}))
	if err != nil {
		t.Fatal(err)
	}
	if rt.Pooled() || off.Ready() {
		t.Error("a pool of size 0 pooled")
	}
	rt.Stop()

	if _, err := NewPool(PoolOptions{Size: 2, Exe: "x"}); err == nil || !strings.Contains(err.Error(), "must be 0 or 1") {
		t.Errorf("size 2: %v", err)
	}
}

// TestPoolReplacesADeadSpare: a spare killed while it waits is replaced; spares that
// cannot start (the binary exits at once) are given up after maxSpareFailures, and a
// launch then starts cold.
func TestPoolReplacesADeadSpare(t *testing.T) {
	p := newTestPool(t)
	waitPoolReady(t, p)
	p.mu.Lock()
	first := p.spare
	p.mu.Unlock()
	if err := syscall.Kill(first.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.Done()
	waitPoolReady(t, p)
	p.mu.Lock()
	second := p.spare
	p.mu.Unlock()
	if second == nil || second.PID() == first.PID() {
		t.Fatal("the dead spare was not replaced")
	}

	broken, err := NewPool(PoolOptions{Exe: first.r.spare.spawn.Exe, Args: []string{ChildArg},
		Env: []string{childEnv + "=no-such-mode"}, Logger: discardLogger(), Size: 1, RefillDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	deadline := time.Now().Add(waitFor)
	for {
		broken.mu.Lock()
		failures, pending, spare := broken.failures, broken.pending, broken.spare
		broken.mu.Unlock()
		if failures >= maxSpareFailures && !pending && spare == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pool kept making spares that die (failures %d)", failures)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a correctness wait
	}
}

// TestPoolBadOptionsKeepTheSpare: a launch with options Start refuses (no such folder)
// fails as Start would before any spare is taken; the spare waits for the next launch,
// which gets it.
func TestPoolBadOptionsKeepTheSpare(t *testing.T) {
	p := newTestPool(t)
	waitPoolReady(t, p)
	p.mu.Lock()
	s := p.spare
	p.mu.Unlock()
	o := childOptions(t, hostileApp, newFakeHost(), &logSink{})
	o.Dir = "testdata/no-such-app"
	if _, err := p.Start(o); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("Start with a missing folder: %v", err)
	}
	if !p.Ready() {
		t.Fatal("the spare is gone after a launch that never reached it")
	}
	h, logs := newFakeHost(), &logSink{}
	rt, err := p.Start(childOptions(t, todoApp, h, logs))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rt.Stop)
	if rt.PID() != s.PID() {
		t.Errorf("the next launch runs in pid %d, want the spare's %d", rt.PID(), s.PID())
	}
	(&testChild{rt: rt, host: h, logs: logs}).launch(t)
}

// TestSparePreparedRuntime: a spare prepares the app's logic runtime ahead (the framework
// set up with the shell's API shapes) and its app loads into it; an app whose logic
// options differ (here: other API shapes) gets a runtime made for it in the spare, and
// runs all the same.
func TestSparePreparedRuntime(t *testing.T) {
	for _, tc := range []struct {
		name     string
		apis     int // how many of the shell's API shapes the app is given; 0: all
		prepared bool
	}{{"same options", 0, true}, {"other APIs", 3, false}} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSpare(t)
			h, logs := newFakeHost(), &logSink{}
			o := childOptions(t, todoApp, h, logs)
			if tc.apis > 0 {
				o.Logic.APIs = o.Logic.APIs[:tc.apis]
			}
			rt, err := s.Start(o)
			if err != nil {
				t.Fatalf("hand-over: %v", err)
			}
			t.Cleanup(rt.Stop)
			if rt.Prepared() != tc.prepared {
				t.Errorf("loaded into the prepared runtime: %v, want %v", rt.Prepared(), tc.prepared)
			}
			if !tc.prepared {
				logs.wait(t, func(r map[string]string) bool { return strings.Contains(r["msg"], "making one for it") })
			}
			(&testChild{rt: rt, host: h, logs: logs}).launch(t)
		})
	}
}
