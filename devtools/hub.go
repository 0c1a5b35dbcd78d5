// Package devtools is `shell dev`'s DevTools window (docs/devtools.md): a shell-owned,
// trusted page like the launcher, with its own privileged message kinds, and the
// collectors behind its panels. A Hub hears the running app (host.DevTap for the
// bridge, the console and the loop's tasks; netapi.Observer for the network) into
// bounded rings; Open shows the window and serves its page from the Hub and the
// session.
package devtools

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/netapi"
)

// Ring sizes: what each panel keeps while DevTools is open.
const (
	ConsoleLines   = 2000
	NetExchanges   = 500
	BridgeMessages = 2000
	PerfSeconds    = 300 // the Performance timeline: one sample a second, five minutes
)

// Hub collects what one app does for the panels. It implements host.DevTap and
// netapi.Observer. The zero value is not usable: NewHub.
type Hub struct {
	app string // identity key (netapi.App.ID of the app's calls); "" takes every app
	// off is set while no DevTools window is open (after one was closed): the taps
	// return at once. A new hub records from the start, so that what the app does
	// before its window opens (onLaunch) is kept.
	off atomic.Bool

	console *ring[logic.ConsoleLine]
	network *ring[netapi.Exchange]
	bridge  *ring[host.DevMessage]
	perf    *ring[PerfSample]

	mu     sync.Mutex
	cur    PerfSample           // the second being counted
	pushes map[uint64]time.Time // render seq → when it went to the page (apply times)
	web    func() int           // the web process's pid, for its memory (set by NewService)
	heap   uint64               // the last memory figures Tick read
	webMem uint64
	now    func() time.Time
}

var (
	_ host.DevTap     = (*Hub)(nil)
	_ netapi.Observer = (*Hub)(nil)
)

// NewHub makes the collectors of the app whose identity key is app ("" for any).
func NewHub(app string) *Hub {
	h := &Hub{
		app:     app,
		console: newRing[logic.ConsoleLine](ConsoleLines),
		network: newRing[netapi.Exchange](NetExchanges),
		bridge:  newRing[host.DevMessage](BridgeMessages),
		perf:    newRing[PerfSample](PerfSeconds),
		pushes:  map[uint64]time.Time{},
		now:     time.Now,
	}
	h.cur.Time = h.now().Truncate(time.Second)
	return h
}

// Prepare wires hub into the options of the session `shell dev` (or `shell run
// --devtools`) is about to start for app: the session's tap, eval allowed (host still
// refuses it for anything but a project folder), and the network observer.
//
// An app run from its project folder, unsigned, gets its logic in this process
// (isolation "goroutine"): the console's positions and arguments, evaluation and data
// edits need the runtime itself. Any other app keeps its isolation, and those panels
// say they are not available.
func Prepare(opts *host.Options, app *host.App, hub *Hub) {
	opts.DevTools = hub
	opts.DevEval = true
	if app.Dir != "" && app.Signer == "" && !app.Verified {
		opts.Isolation = "goroutine"
	}
	if opts.Network != nil {
		opts.Network.SetObserver(hub)
	}
}

// DevConsole implements host.DevTap.
func (h *Hub) DevConsole(l logic.ConsoleLine) {
	if !h.off.Load() {
		h.console.add(l)
	}
}

// ObserveNet implements netapi.Observer.
func (h *Hub) ObserveNet(x netapi.Exchange) {
	if h.off.Load() || h.app != "" && x.App != h.app {
		return
	}
	h.network.add(x)
}

// DevMessage implements host.DevTap: the Bridge panel, and the Performance panel's
// render pushes and their apply times.
func (h *Hub) DevMessage(m host.DevMessage) {
	if h.off.Load() {
		return
	}
	h.bridge.add(m)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.roll(m.Time)
	switch {
	case m.Dir == host.DirHostToPage && m.Kind == "render":
		h.cur.Pushes++
		h.cur.PushBytes += int64(m.Bytes)
		if m.Seq != 0 {
			if len(h.pushes) > 1024 { // a page that never answers: forget the oldest
				clear(h.pushes)
			}
			h.pushes[m.Seq] = m.Time
		}
	case m.Dir == host.DirPageToHost && m.Kind == "ready" && m.Seq != 0:
		if sent, ok := h.pushes[m.Seq]; ok {
			delete(h.pushes, m.Seq)
			ms := float64(m.Time.Sub(sent).Microseconds()) / 1000
			h.cur.Applies++
			h.cur.ApplyMS += ms
			h.cur.ApplyMaxMS = max(h.cur.ApplyMaxMS, ms)
		}
	case m.Dir == host.DirLogicToHost && m.Kind == "api":
		h.cur.APICalls++
	}
	if m.Refused != "" {
		h.cur.Refused++
	}
}

// DevTask implements host.DevTap.
func (h *Hub) DevTask(start time.Time, d time.Duration) {
	if h.off.Load() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.roll(start)
	ms := float64(d.Microseconds()) / 1000
	h.cur.Tasks++
	h.cur.TaskMS += ms
	h.cur.TaskMaxMS = max(h.cur.TaskMaxMS, ms)
}

// PerfSample is one second of the Performance timeline.
type PerfSample struct {
	Time       time.Time `json:"time"`
	Pushes     int       `json:"pushes"`    // render pushes (each carries one loop turn's setData calls)
	PushBytes  int64     `json:"pushBytes"` // their bytes
	Applies    int       `json:"applies"`   // pushes the page acknowledged
	ApplyMS    float64   `json:"applyMs"`   // push → acknowledgement, summed
	ApplyMaxMS float64   `json:"applyMaxMs"`
	Tasks      int       `json:"tasks"` // JS tasks of the app's loop
	TaskMS     float64   `json:"taskMs"`
	TaskMaxMS  float64   `json:"taskMaxMs"`
	APICalls   int       `json:"apiCalls"`
	Refused    int       `json:"refused"`
	HeapBytes  uint64    `json:"heapBytes"` // the logic's heap (the process's Go heap)
	WebBytes   uint64    `json:"webBytes"`  // the WebView's web process (resident)
}

// roll closes the counted second when t is in a later one; h.mu is held.
func (h *Hub) roll(t time.Time) {
	sec := t.Truncate(time.Second)
	if !sec.After(h.cur.Time) {
		return
	}
	done := h.cur
	done.HeapBytes, done.WebBytes = h.heap, h.webMem
	h.perf.add(done)
	h.cur = PerfSample{Time: sec}
}

// Tick closes the second that has passed even when the app did nothing (the window
// calls it as it polls), so that the timeline moves on.
// It also reads the memory figures the samples carry: never from a tap, which may
// run under the session's locks.
func (h *Hub) Tick() {
	heap := heapBytes()
	var web uint64
	if h.web != nil {
		if pid := h.web(); pid > 0 {
			web, _ = monitor.WebProcesses{}.Memory(pid)
		}
	}
	h.mu.Lock()
	h.heap, h.webMem = heap, web
	h.roll(h.now())
	h.mu.Unlock()
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
var heapMu sync.Mutex

func heapBytes() uint64 {
	heapMu.Lock()
	defer heapMu.Unlock()
	metrics.Read(heapSample)
	if heapSample[0].Value.Kind() == metrics.KindUint64 {
		return heapSample[0].Value.Uint64()
	}
	return 0
}
