package monitor

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeProcs is a RenderProcesses with memory set by the test.
type fakeProcs struct {
	mu     sync.Mutex
	mem    map[int]uint64 // a pid missing here is gone
	killed []int
}

func (f *fakeProcs) Memory(pid int) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.mem[pid]
	if !ok {
		return 0, errNotWebProcess
	}
	return m, nil
}

func (f *fakeProcs) Kill(pid int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.killed = append(f.killed, pid)
	delete(f.mem, pid)
	return nil
}

func (f *fakeProcs) set(pid int, mem uint64) {
	f.mu.Lock()
	f.mem[pid] = mem
	f.mu.Unlock()
}

// The web process of an app's window is sampled with the heap: over its budget it is
// killed and the app terminated (not quarantined), once; the other apps are untouched.
func TestRenderMemoryBudget(t *testing.T) {
	procs := &fakeProcs{mem: map[int]uint64{}}
	term := &recorder{}
	q := openTestQuarantine(t)
	m := New(Config{
		Budgets:    Budgets{RenderBytes: 512 << 20},
		Apps:       map[string]Budgets{"big": {RenderBytes: 2 << 30}},
		Processes:  procs,
		Terminator: term, Quarantine: q, Logger: quiet,
	})
	bad, good, big, blind := m.Attach("bad"), m.Attach("good"), m.Attach("big"), m.Attach("blind")
	bad.WatchRenderProcess(101)
	good.WatchRenderProcess(102)
	big.WatchRenderProcess(103)
	_ = blind // no web process known: nothing to sample
	procs.set(101, 388<<20)
	procs.set(102, 300<<20)
	procs.set(103, 1<<30)

	m.sampleRender()
	if got := term.list(); len(got) != 0 {
		t.Fatalf("terminated under budget: %v", got)
	}
	procs.set(101, 4770<<20) // the review's balloon: 4.77 GB
	m.sampleRender()
	m.sampleRender()
	if got := term.list(); !slices.Equal(got, []string{"bad render-memory"}) {
		t.Fatalf("terminations = %v, want [bad render-memory]", got)
	}
	if !slices.Equal(procs.killed, []int{101}) {
		t.Errorf("killed = %v, want [101]", procs.killed)
	}
	if r, ok := bad.Terminated(); !ok || r != ReasonRenderMemory {
		t.Errorf("Terminated = %q %v", r, ok)
	}
	if _, ok := q.Quarantined("bad"); ok {
		t.Error("a memory budget is not an anomaly: the app must not be quarantined")
	}
	if n := m.Terminations()[ReasonRenderMemory]; n != 1 {
		t.Errorf("Terminations()[render-memory] = %d, want 1", n)
	}
	if Describe(ReasonRenderMemory) != "Its page used too much memory." {
		t.Errorf("Describe = %q", Describe(ReasonRenderMemory))
	}

	// A process that is gone (window closed, pid reused by another program) stops being
	// watched rather than counting against anyone.
	procs.mu.Lock()
	delete(procs.mem, 102)
	procs.mu.Unlock()
	m.sampleRender()
	if good.RenderProcess() != 0 {
		t.Error("a gone web process is still watched")
	}
	procs.set(102, 8<<30) // the pid comes back as something else
	m.sampleRender()
	if got := term.list(); len(got) != 1 {
		t.Errorf("terminations = %v after the pid went away", got)
	}
}

func TestParseStatus(t *testing.T) {
	status := func(name string, ppid int, rss string) []byte {
		return []byte(fmt.Sprintf("Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t4242\nPPid:\t%d\nVmPeak:\t 9999 kB\n%s\nThreads:\t12\n", name, ppid, rss))
	}
	for _, tc := range []struct {
		name    string
		raw     []byte
		want    uint64
		wantErr string
	}{
		{"web process", status("WebKitWebProces", 7, "VmRSS:\t  397312 kB"), 397312 << 10, ""},
		{"another parent's", status("WebKitWebProces", 8, "VmRSS:\t  397312 kB"), 0, "not a web process"},
		{"another program", status("bash", 7, "VmRSS:\t  1024 kB"), 0, "not a web process"},
		{"exiting", status("WebKitWebProces", 7, ""), 0, "no VmRSS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStatus(tc.raw, 7)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("= %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// WebProcesses refuses a child of this process that is not a web process, so a reused
// pid is never read as the page's memory, nor killed.
func TestWebProcessesRefusesOtherChildren(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := (WebProcesses{}).Memory(cmd.Process.Pid); !errors.Is(err, errNotWebProcess) {
		t.Errorf("Memory(sleep) error = %v, want errNotWebProcess", err)
	}
	if err := (WebProcesses{}).Kill(cmd.Process.Pid); !errors.Is(err, errNotWebProcess) {
		t.Errorf("Kill(sleep) error = %v, want errNotWebProcess", err)
	}
}
