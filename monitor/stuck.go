package monitor

import "github.com/sandframe/sandframe/logic"

// StuckLoops counts mini-app loops the shell abandoned because a task did not return
// from a native call within logic.StopGrace of being stopped (see docs/logic.md).
type StuckLoops struct {
	Abandoned int64 // since the process started
	Running   int64 // still holding a CPU now (in process; a child's are killed with it)
}

// StuckLoops reports the abandoned loops of this process: the metric that says a
// stopped app still holds a CPU. Each abandonment is also logged by logic.
func (m *Monitor) StuckLoops() StuckLoops {
	return StuckLoops{Abandoned: logic.AbandonedLoops(), Running: logic.StuckLoops()}
}
