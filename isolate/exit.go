package isolate

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// memoryDeath are the words of the Go runtime (and of the race detector's allocator)
// when an allocation meets RLIMIT_AS. Only the child's raw stderr is searched: the
// mini-app's console output arrives as JSON log lines and cannot fake them.
var memoryDeath = []string{
	"out of memory",          // fatal error: out of memory; runtime: out of memory: cannot allocate …
	"cannot allocate memory", // ENOMEM from mmap
	"failed to allocate",     // ThreadSanitizer failed to allocate … (errno: 12)
	"pthread_create failed",  // a new thread's stack did not fit
	"address space",          // cannot map pages in arena address space; too many address space collisions for -race mode
}

// classifyExit explains an end the parent did not ask for.
func classifyExit(pid int, state *os.ProcessState, out tailLines, o Options, limits appliedLimits) *ExitError {
	e := &ExitError{PID: pid, Reason: ReasonCrash}
	ws, _ := state.Sys().(syscall.WaitStatus)
	cpuUsed := state.UserTime() + state.SystemTime()
	cpuLimit := time.Duration(limits.RlimitCPU) * time.Second
	abnormal := ws.Signaled() || ws.ExitStatus() != ExitOK

	switch {
	case ws.Exited() && ws.ExitStatus() == ExitCPULimit,
		ws.Signaled() && ws.Signal() == syscall.SIGXCPU,
		ws.Signaled() && ws.Signal() == syscall.SIGKILL && cpuLimit > 0 && cpuUsed >= cpuLimit:
		e.Reason = ReasonCPU
		e.Detail = fmt.Sprintf("killed by RLIMIT_CPU (limit %s of CPU, used %s; %s)", cpuLimit, cpuUsed.Round(10*time.Millisecond), state)
		return e
	}
	if line := out.memory; abnormal && line != "" {
		e.Reason = ReasonMemory
		e.Detail = fmt.Sprintf("out of memory, killed by RLIMIT_AS (limit %s over a baseline of %s): %s (%s)",
			mib(o.MemoryLimit), mib(limits.BaseAddressSpace), line, state)
		return e
	}
	last := out.last()
	if last != "" {
		last = ": " + last
	}
	switch {
	case ws.Signaled():
		e.Detail = fmt.Sprintf("killed by signal %s%s", ws.Signal(), last)
	case ws.ExitStatus() == ExitOK:
		e.Detail = "exited on its own (status 0) while the parent still needed it"
	case ws.ExitStatus() == ExitProtocol:
		e.Reason = ReasonProtocol
		e.Detail = "it refused a frame from the parent (status 11)" + last
	default:
		e.Detail = fmt.Sprintf("%s%s", state, last)
	}
	return e
}

func mib(n uint64) string {
	return fmt.Sprintf("%d MiB", n>>20)
}

// tailLines is what classifyExit sees of the child's raw stderr.
type tailLines struct {
	fatal  string   // the first "fatal error:"/"panic:" line; later lines are stack traces
	memory string   // the first line with words of memoryDeath
	lines  []string // the last few raw lines, oldest first
}

func matchesAny(line string, words []string) bool {
	low := strings.ToLower(line)
	for _, w := range words {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

func (t tailLines) last() string {
	if t.fatal != "" {
		return t.fatal
	}
	if n := len(t.lines); n > 0 {
		return t.lines[n-1]
	}
	return ""
}
