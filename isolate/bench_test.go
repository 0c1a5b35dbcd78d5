package isolate

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// roundTrip is one tap on the hostile app's ping: event in, render push out, ack in.
func roundTrip(b *testing.B, rt logicRuntime, h *fakeHost) {
	if !rt.Deliver(envelope(b, bridge.KindEvent, eventOf("p1", "ping", `{}`))) {
		b.Fatal("Deliver refused")
	}
	r := h.nextRender(b)
	if !rt.Deliver(envelope(b, bridge.KindReady, bridge.Ready{Seq: r.Seq})) {
		b.Fatal("Deliver refused")
	}
}

// BenchmarkChildRoundTrip: event → setData → render push through the child process,
// confined (as every app runs) and with limits only: the difference is what seccomp,
// Landlock and no_new_privs cost; pooled: a spare child handed the app.
func BenchmarkChildRoundTrip(b *testing.B) {
	for _, tc := range []struct {
		name       string
		unconfined bool
		pooled     bool
	}{{"confined", false, false}, {"unconfined", true, false}, {"pooled", false, true}} {
		b.Run(tc.name, func(b *testing.B) {
			h, logs := newFakeHost(), &logSink{}
			o := childOptions(b, hostileApp, h, logs)
			o.unconfined = tc.unconfined
			start := Start
			if tc.pooled { // a spare handed the app: the same child from then on
				s, err := StartSpare(o)
				if err != nil {
					b.Fatal(err)
				}
				start = s.Start
			}
			rt, err := start(o)
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Stop()
			if !tc.unconfined && !rt.Confinement().Full() {
				b.Logf("confinement is partial here: %s %v", rt.Confinement(), rt.Confinement().Warnings)
			}
			c := &testChild{rt: rt, host: h, logs: logs}
			c.launch(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				roundTrip(b, c.rt, c.host)
			}
		})
	}
}

// BenchmarkInProcessRoundTrip is the same round trip with logic in this process.
func BenchmarkInProcessRoundTrip(b *testing.B) {
	h := newFakeHost()
	opts := hostileApp.logicOptions()
	opts.FS, opts.Send, opts.Logger = os.DirFS(hostileApp.dir), h.Send, discardLogger()
	rt, err := logic.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Stop()
	deliver(b, rt, bridge.KindNav, launchNav("pages/index/index"))
	r := h.nextRender(b)
	deliver(b, rt, bridge.KindReady, bridge.Ready{Seq: r.Seq})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		roundTrip(b, rt, h)
	}
}

// BenchmarkIdleTodoMemory reports what an idle todo app (launched, first push acked)
// costs: in process, the growth of this process's live heap; in a child, the child's
// whole resident set (Go runtime, binary, framework, app).
func BenchmarkIdleTodoMemory(b *testing.B) {
	b.Run("in-process", func(b *testing.B) {
		var total float64
		for range b.N {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			h := newFakeHost()
			opts := todoApp.logicOptions()
			opts.FS, opts.Send, opts.CallSync, opts.Logger = os.DirFS(todoApp.dir), h.Send, h.CallSync, discardLogger()
			rt, err := logic.New(opts)
			if err != nil {
				b.Fatal(err)
			}
			deliver(b, rt, bridge.KindNav, launchNav("pages/index/index"))
			r := h.nextRender(b)
			deliver(b, rt, bridge.KindReady, bridge.Ready{Seq: r.Seq})
			if _, err := rt.PageData(""); err != nil { // the ack has been handled
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			total += float64(after.HeapAlloc) - float64(before.HeapAlloc)
			rt.Stop()
		}
		b.ReportMetric(total/float64(b.N)/(1<<20), "heap-MiB")
	})
	for _, tc := range []struct {
		name       string
		unconfined bool
	}{{"child", false}, {"child-unconfined", true}} {
		b.Run(tc.name, func(b *testing.B) { idleChildMemory(b, tc.unconfined) })
	}
}

// idleChildMemory is the child's resident set with the idle todo app.
func idleChildMemory(b *testing.B, unconfined bool) {
	{
		var total float64
		for range b.N {
			h, logs := newFakeHost(), &logSink{}
			o := childOptions(b, todoApp, h, logs)
			o.unconfined = unconfined
			rt, err := Start(o)
			if err != nil {
				b.Fatal(err)
			}
			c := &testChild{rt: rt, host: h, logs: logs}
			c.launch(b)
			if _, err := rt.PageData(""); err != nil {
				b.Fatal(err)
			}
			rss, err := rt.RSS()
			if err != nil {
				b.Fatal(err)
			}
			total += float64(rss)
			rt.Stop()
		}
		b.ReportMetric(total/float64(b.N)/(1<<20), "rss-MiB")
	}
}

// benchChildExe: SANDFRAME_BENCH_CHILD_EXE names a built shell binary to start the
// children from instead of this test binary, which links no GTK and starts far faster
// than the shell does (docs/performance.md).
func benchChildOptions(b *testing.B, a appSpec, h *fakeHost, logs *logSink) Options {
	o := childOptions(b, a, h, logs)
	if exe := os.Getenv("SANDFRAME_BENCH_CHILD_EXE"); exe != "" {
		o.Exe, o.Env = exe, nil
	}
	return o
}

// BenchmarkChildStart: from asking for the todo app's logic to its first page's render
// push acknowledged (launch nav → push → ready), in a child started for it (cold) and in
// a spare started and warmed beforehand, outside the timed part (pooled). Both confine
// themselves the same way; the difference is the exec, the dynamic linking, the Go
// runtime's and packages' start-up, and compiling the framework.
func BenchmarkChildStart(b *testing.B) {
	for _, pooled := range []bool{false, true} {
		name := "cold"
		if pooled {
			name = "pooled"
		}
		b.Run(name, func(b *testing.B) {
			var rss, pss float64
			for range b.N {
				b.StopTimer()
				h, logs := newFakeHost(), &logSink{}
				o := benchChildOptions(b, todoApp, h, logs)
				var s *Spare
				if pooled {
					var err error
					if s, err = StartSpare(o); err != nil {
						b.Fatal(err)
					}
					select {
					case <-s.Warm():
					case <-s.Done():
						b.Fatalf("the spare ended before it warmed up: %v", s.r.Err())
					}
					if n, err := s.RSS(); err == nil {
						rss += float64(n)
					}
					if n, err := procRollup(s.PID(), "Pss"); err == nil {
						pss += float64(n)
					}
				}
				b.StartTimer()
				var rt *Runtime
				var err error
				if pooled {
					rt, err = s.Start(o)
				} else {
					rt, err = Start(o)
				}
				if err != nil {
					b.Fatal(err)
				}
				(&testChild{rt: rt, host: h, logs: logs}).launch(b)
				if _, err := rt.PageData(""); err != nil { // the ack has been handled
					b.Fatal(err)
				}
				b.StopTimer()
				rt.Stop()
				b.StartTimer()
			}
			if pooled {
				// What a waiting spare costs (RSS counts the shared libraries' pages
				// whole; PSS shares them out).
				b.ReportMetric(rss/float64(b.N)/(1<<20), "spare-rss-MiB")
				b.ReportMetric(pss/float64(b.N)/(1<<20), "spare-pss-MiB")
			}
		})
	}
}

// procRollup reads a "kB" field of /proc/PID/smaps_rollup in bytes.
func procRollup(pid int, field string) (uint64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no " + field + " in smaps_rollup")
}
