package isolate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

// Defaults of Options.MemoryLimit and Options.CPULimit.
const (
	DefaultMemoryLimit = 1 << 30
	DefaultCPULimit    = 60 * time.Second
	// MinMemoryLimit: below it the child cannot even compile the framework.
	MinMemoryLimit = 64 << 20
)

// cpuHardGrace is how long after RLIMIT_CPU's soft limit (SIGXCPU, which the child turns
// into a clean exit) the kernel's hard limit sends SIGKILL.
const cpuHardGrace = 5 * time.Second

// applyLimits is the child's first act after reading init, before any mini-app code:
//   - RLIMIT_CORE 0: a heap bomb must not leave a gigabyte core file behind;
//   - RLIMIT_AS = the address space mapped now + memory. Go reserves about 1.2 GiB of
//     address space before main runs (and the race detector maps shadow memory as the
//     heap grows), so the limit is measured from that baseline;
//   - debug.SetMemoryLimit a quarter of the budget (at least 64 MiB, the size Go grows
//     its heap by) under RLIMIT_AS, so the GC works hard before the kernel says no;
//   - RLIMIT_CPU: soft at cpu (SIGXCPU), hard cpuHardGrace later (SIGKILL).
func applyLimits(memory uint64, cpu time.Duration) (appliedLimits, error) {
	var out appliedLimits
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}); err != nil {
		return out, fmt.Errorf("isolate: set RLIMIT_CORE: %w", err)
	}
	base, err := procStatusBytes("self", "VmSize")
	if err != nil {
		return out, err
	}
	out.BaseAddressSpace = base
	out.RlimitAS = base + memory
	if err := setLimit(syscall.RLIMIT_AS, out.RlimitAS, out.RlimitAS); err != nil {
		return out, fmt.Errorf("isolate: set RLIMIT_AS to %d: %w", out.RlimitAS, err)
	}

	margin := max(memory/4, 64<<20)
	margin = min(margin, memory/2)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out.GoMemoryLimit = int64(ms.Sys - ms.HeapReleased + memory - margin)
	debug.SetMemoryLimit(out.GoMemoryLimit)

	secs := uint64((cpu + time.Second - 1) / time.Second)
	out.RlimitCPU = max(secs, 1)
	hard := out.RlimitCPU + uint64(cpuHardGrace/time.Second)
	if err := setLimit(syscall.RLIMIT_CPU, out.RlimitCPU, hard); err != nil {
		return out, fmt.Errorf("isolate: set RLIMIT_CPU to %ds: %w", out.RlimitCPU, err)
	}
	return out, nil
}

// setLimit lowers a limit; it never raises a hard limit the process was given lower.
func setLimit(resource int, soft, hard uint64) error {
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(resource, &cur); err != nil {
		return err
	}
	hard = min(hard, cur.Max)
	soft = min(soft, hard)
	return syscall.Setrlimit(resource, &syscall.Rlimit{Cur: soft, Max: hard})
}

// procStatusBytes reads a "kB" field (VmSize, VmRSS) of /proc/<pid>/status in bytes.
func procStatusBytes(pid, field string) (uint64, error) {
	name := "/proc/" + pid + "/status"
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, fmt.Errorf("isolate: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	prefix := []byte(field + ":")
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		fields := bytes.Fields(line[len(prefix):])
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, fmt.Errorf("isolate: %s: malformed %s line %q", name, field, line)
		}
		kb, err := strconv.ParseUint(string(fields[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("isolate: %s: %s: %w", name, field, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("isolate: %s has no %s line", name, field)
}

var errNoProcess = errors.New("isolate: the child is not running")
