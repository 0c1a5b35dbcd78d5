package render

import (
	"os"
	"strconv"
	"strings"
)

// Which web process renders a window. WebKitGTK 4.0 has no API that names a view's web
// process, but here every view gets a process of its own (the multiple-processes model,
// and the page never navigates to another site, so WebKit never swaps it), and WebKit
// launches it synchronously, on the UI thread, while the view is created and its
// document loaded. Every window is made on the UI thread, so the one web process child
// that appears across NewWindow is that window's. docs/render-runtime.md.

// webProcessComm is what the kernel keeps of "WebKitWebProcess" (15 bytes of comm).
const webProcessComm = "WebKitWebProces"

// webProcesses lists the web processes that are children of this process (Linux
// /proc; nil elsewhere).
func webProcesses() map[int]bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	out := map[int]bool{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces and ')', so cut at the last ')'.
		s := string(raw)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open || s[open+1:end] != webProcessComm {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(self) {
			out[pid] = true
		}
	}
	return out
}

// newWebProcess is the one web process in after that is not in before, or 0 when
// there is none or more than one (then which is the window's is unknown).
func newWebProcess(before, after map[int]bool) int {
	found := 0
	for pid := range after {
		if before[pid] {
			continue
		}
		if found != 0 {
			return 0
		}
		found = pid
	}
	return found
}

// WebProcess is the pid of the WebKit web process that renders the window's page, or
// 0 when it could not be told (see above). The monitor samples its memory.
func (w *Window) WebProcess() int { return w.webPID }
