package render

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/assets"
)

// BenchmarkWindowChurn opens and closes a window with the real page and render runtime
// b.N times and reports what the process keeps per closed window: its resident set
// and the C heap in use (glibc), each after the freed memory was handed back. A window
// that leaves nothing behind reads about 0 once warm; the first windows are left out
// (GTK, fontconfig and WebKit's caches fill once per process). Run it with Malloc=1 in
// the environment to put WebKit's own allocator (bmalloc) on glibc's, where Cheap sees
// it (docs/soak.md: that is how a leaked user script per window was found).
func BenchmarkWindowChurn(b *testing.B) {
	needWindow(b)
	const warmup = 5
	for range warmup {
		openRuntimeWindow(b).Close()
	}
	rss0, heap0 := settledMemory()
	b.ResetTimer()
	for range b.N {
		openRuntimeWindow(b).Close()
	}
	b.StopTimer()
	rss1, heap1 := settledMemory()
	b.ReportMetric(float64(rss1-rss0)/float64(b.N)/1024, "RSS-KiB/window")
	b.ReportMetric(float64(heap1-heap0)/float64(b.N)/1024, "Cheap-KiB/window")
}

// openRuntimeWindow opens a window with the mini-app page and runtime, as an app
// window has, and waits for its first post (the runtime's ready).
func openRuntimeWindow(tb testing.TB) *Window {
	tb.Helper()
	return openSpoken(tb, WindowOptions{Title: "churn", Width: 320, Height: 240,
		HTML: assets.PageHTML(), Script: assets.RuntimeScript()})
}

// settledMemory waits for the destroyed windows' idle callbacks and the trim, then
// reads the process's resident set and C heap in use.
func settledMemory() (rss, heap int64) {
	time.Sleep(trimDelay + time.Second)
	runtime.GC()
	done := make(chan struct{})
	Do(func() { heap = cHeapInUse(); close(done) })
	<-done
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			rss = kb << 10
		}
	}
	return rss, heap
}
