package monitor

import "time"

// window counts events over a sliding time window: a ring of the last limit+1 event
// times. The rule is crossed when the oldest of them is within every of the newest,
// i.e. more than limit events happened within every. Not safe for concurrent use.
type window struct {
	limit int
	every time.Duration
	times []time.Time
	next  int // index of the oldest time once the ring is full
	full  bool
}

// newWindow returns nil for a rule that is off (negative Count).
func newWindow(w Window) *window {
	if w.Count < 0 {
		return nil
	}
	limit := min(w.Count, maxWindowCount)
	return &window{limit: limit, every: w.Every, times: make([]time.Time, limit+1)}
}

// add records an event at now and reports whether the rule is crossed. A nil window
// (rule off) is never crossed.
func (w *window) add(now time.Time) bool {
	if w == nil {
		return false
	}
	w.times[w.next] = now
	w.next++
	if w.next == len(w.times) {
		w.next, w.full = 0, true
	}
	return w.full && now.Sub(w.times[w.next]) < w.every
}
