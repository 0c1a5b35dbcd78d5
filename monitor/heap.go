package monitor

import (
	"fmt"
	"math"
	"runtime/metrics"
	"time"
)

// heapMetric is the Go heap's live and not-yet-swept dead objects: what a heap bomb
// grows, without the runtime's free spans and overheads.
const heapMetric = "/memory/classes/heap/objects:bytes"

func readHeap() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0 // unsupported metric: growth is never seen
	}
	return s[0].Value.Uint64()
}

// heapState is the sampler's memory of the previous sample.
type heapState struct {
	last uint64
}

// appHeap is one app's heap account, kept by the sampler.
type appHeap struct {
	seenBusy int64   // the app's busy nanoseconds up to the previous sample
	share    int64   // busy nanoseconds within the current interval
	charged  float64 // heap growth attributed to the app, in bytes, never negative
}

func (m *Monitor) sample() {
	defer close(m.done)
	t := time.NewTicker(m.cfg.SampleEvery)
	defer t.Stop()
	for {
		select {
		case <-m.quit:
			return
		case <-t.C:
			m.sampleOnce(readHeap(), monoNow())
			m.sampleRender()
		}
	}
}

// sampleOnce attributes the heap change since the previous sample. Growth is split
// between the apps that ran JS in the interval, in proportion to how long each ran
// (a task still running counts up to now, so a bomb inside one endless task is caught
// while it runs); growth while no app ran is the shell's own. A shrink (the GC freed
// garbage) lowers every app's account in proportion to its size, since whose garbage
// was freed is unknown. An app whose account passes its HeapBytes is terminated.
func (m *Monitor) sampleOnce(heap uint64, now int64) {
	apps := m.attached()
	m.mu.Lock()
	departed := m.departed
	m.departed = nil
	m.mu.Unlock()
	var total int64
	for _, w := range append(departed, apps...) {
		busy := w.busy.Load()
		if s := w.taskStart.Load(); s != 0 && now > s {
			busy += now - s
		}
		w.heap.share = max(busy-w.heap.seenBusy, 0)
		w.heap.seenBusy = max(busy, w.heap.seenBusy)
		total += w.heap.share
	}
	delta := float64(heap) - float64(m.heap.last)
	m.heap.last = heap
	switch {
	case delta > 0 && total > 0:
		for _, w := range apps {
			w.heap.charged += delta * float64(w.heap.share) / float64(total)
		}
	case delta < 0:
		var sum float64
		for _, w := range apps {
			sum += w.heap.charged
		}
		if sum > 0 {
			keep := math.Max(0, 1+delta/sum) // delta < 0
			for _, w := range apps {
				w.heap.charged *= keep
			}
		}
	}
	for _, w := range apps {
		if w.heap.charged > float64(w.budgets.HeapBytes) && !w.ended.Load() {
			detail := fmt.Sprintf("heap grew by %d MiB while it ran, over its budget of %d MiB",
				uint64(w.heap.charged)>>20, w.budgets.HeapBytes>>20)
			m.terminate(w, ReasonHeap, detail, false)
		}
	}
}
