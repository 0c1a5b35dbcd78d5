package monitor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// RenderProcesses reads and ends the web processes that render apps' pages. The
// default (nil in Config) is WebProcesses, which reads Linux's /proc.
type RenderProcesses interface {
	// Memory is the process's resident memory in bytes. An error means it is gone or
	// is no longer the web process it was (its pid was reused): the watch stops.
	Memory(pid int) (uint64, error)
	// Kill ends the process at once.
	Kill(pid int) error
}

// WebProcesses reads WebKit web processes that are children of this process from /proc.
// Resident set size (VmRSS) is used, not the proportional set size: it is one small
// file read per sample (smaps_rollup walks every mapping), and counting the shared
// libraries whole only makes the budget stricter by their size (≈100 MiB).
type WebProcesses struct{}

// webProcessName is what the kernel keeps of "WebKitWebProcess" (15 bytes of comm).
const webProcessName = "WebKitWebProces"

var errNotWebProcess = errors.New("not a web process of this shell")

// Memory implements RenderProcesses.
func (WebProcesses) Memory(pid int) (uint64, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	return parseStatus(raw, os.Getpid())
}

// Kill implements RenderProcesses: SIGKILL, after checking the pid is still the web
// process of this shell.
func (w WebProcesses) Kill(pid int) error {
	if _, err := w.Memory(pid); err != nil {
		return err
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

// parseStatus reads VmRSS from /proc/PID/status, checking Name and PPid first.
func parseStatus(raw []byte, parent int) (uint64, error) {
	var name string
	ppid := -1
	var rss uint64
	haveRSS := false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		key, val, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok {
			continue
		}
		val = bytes.TrimSpace(val)
		switch string(key) {
		case "Name":
			name = string(val)
		case "PPid":
			ppid, _ = strconv.Atoi(string(val))
		case "VmRSS":
			kb, _, _ := bytes.Cut(val, []byte(" "))
			n, err := strconv.ParseUint(string(kb), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS %q: %w", val, err)
			}
			rss, haveRSS = n<<10, true
		}
	}
	if name != webProcessName || ppid != parent {
		return 0, errNotWebProcess
	}
	if !haveRSS {
		return 0, errors.New("no VmRSS (the process is exiting)")
	}
	return rss, nil
}

// WatchRenderProcess tells the monitor which process renders the app's page (the
// window's web process; 0: none known). Its memory is then sampled with the heap, and
// when it passes Budgets.RenderBytes the process is killed and the app terminated.
func (w *AppWatch) WatchRenderProcess(pid int) {
	if w == nil || pid < 0 {
		return
	}
	w.renderPID.Store(int64(pid))
}

// RenderProcess is the pid WatchRenderProcess gave, or 0.
func (w *AppWatch) RenderProcess() int {
	if w == nil {
		return 0
	}
	return int(w.renderPID.Load())
}

// sampleRender reads the memory of every attached app's web process. A process that
// is gone stops being watched; one over its budget is killed at once (the memory comes
// back now, whatever its page is doing) and its app is terminated.
func (m *Monitor) sampleRender() {
	for _, w := range m.attached() {
		pid := int(w.renderPID.Load())
		if pid == 0 || w.ended.Load() {
			continue
		}
		mem, err := m.procs.Memory(pid)
		if err != nil {
			w.renderPID.CompareAndSwap(int64(pid), 0)
			m.log.Debug("monitor: render process no longer watched", "app", w.id, "pid", pid, "err", err)
			continue
		}
		if mem <= w.budgets.RenderBytes {
			continue
		}
		if err := m.procs.Kill(pid); err != nil {
			m.log.Error("monitor: kill render process", "app", w.id, "pid", pid, "err", err)
		}
		w.renderPID.CompareAndSwap(int64(pid), 0)
		m.terminate(w, ReasonRenderMemory, fmt.Sprintf("its page's web process (pid %d) held %.1f MiB, over its budget of %.1f MiB",
			pid, float64(mem)/(1<<20), float64(w.budgets.RenderBytes)/(1<<20)), false)
	}
}
