package host

import (
	"log/slog"
	"sync/atomic"
	"time"
)

// launchStep is one step of a launch the timeline logs.
type launchStep uint32

const (
	stepLogicStarted launchStep = 1 << iota
	stepWindow
	stepPageReady
	stepFirstRenderSent
	stepFirstRenderApplied
)

var stepNames = map[launchStep]string{
	stepLogicStarted:       "logic started",
	stepWindow:             "window",
	stepPageReady:          "page ready",
	stepFirstRenderSent:    "first render sent",
	stepFirstRenderApplied: "first render applied",
}

// timeline logs, at debug level, how long each step of a launch took from the session's
// start: where a slow launch goes (docs/performance.md, "Where a launch goes"). Each step
// is logged once; after that a mark is one atomic load (it sits on the render path).
type timeline struct {
	start time.Time
	log   *slog.Logger
	seen  atomic.Uint32
}

func newTimeline(log *slog.Logger) *timeline {
	return &timeline{start: time.Now(), log: log}
}

func (t *timeline) mark(step launchStep) {
	for {
		seen := t.seen.Load()
		if seen&uint32(step) != 0 {
			return
		}
		if t.seen.CompareAndSwap(seen, seen|uint32(step)) {
			break
		}
	}
	t.log.Debug("launch timeline", "step", stepNames[step], "ms", msSince(t.start))
}

// msSince is the time since t in milliseconds, to the microsecond, for the timeline.
func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
