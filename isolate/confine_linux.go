//go:build linux

package isolate

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"syscall"
	"time"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	"github.com/landlock-lsm/go-landlock/landlock"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

// errParentGone: the parent died before the child could arrange to die with it.
var errParentGone = errors.New("isolate: the parent is gone")

// confine is the child's second act, after the limits and after it opened the app's
// directory, and before any mini-app code runs. In order:
//
//  1. PR_SET_PDEATHSIG SIGKILL (the parent sets it too, between fork and exec), then
//     getppid: a parent that died before the call would never send the signal.
//  2. Landlock (go-landlock, best effort down to what the kernel has): no file system at
//     all when the app's code was preloaded (readApp false), else read-only access beneath
//     appDir; no TCP bind or connect; no abstract unix sockets or signals outside the child. go-landlock sets no_new_privs on every
//     thread first. (With cgo it enforces on every thread through libpsx, which lists
//     /proc/<pid>/task after the first thread is restricted, so that one directory stays
//     listable.)
//  3. no_new_privs on every thread, if Landlock did not already.
//  4. The seccomp allow-list (seccompPolicy) with TSYNC, so every thread has it.
//
// A feature the kernel lacks is a warning in the report. Only errParentGone is an error.
func confine(appDir string, parentPID int, readApp bool) (Confinement, error) {
	var c Confinement
	warn := func(format string, args ...any) {
		if len(c.Warnings) < maxConfineWarnings {
			c.Warnings = append(c.Warnings, truncate(fmt.Sprintf(format, args...), maxConfineWarning))
		}
	}

	// Things that read files lazily must do it now: time.Local loads /etc/localtime (or
	// $TZ) the first time it is used, and goja's Date uses it.
	_, _ = time.Now().In(time.Local).Zone()

	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0, 0, 0); err != nil {
		warn("pdeathsig: %v", err)
	} else if parentPID != 0 && os.Getppid() != parentPID {
		return c, errParentGone
	} else {
		c.PDeathSig = true
	}

	abi, err := llsys.LandlockGetABIVersion()
	switch {
	case testUnavailable.landlock || err != nil || abi < 1:
		warn("landlock: not available in this kernel (abi %d, %v)", abi, err)
	default:
		var rules []landlock.Rule
		if readApp {
			rules = append(rules, landlock.RODirs(appDir))
		}
		if err := landlock.V7.BestEffort().Restrict(rules...); err != nil {
			warn("landlock: %v", err)
		} else {
			c.Landlock = min(abi, 7)
		}
	}

	if err := llsys.AllThreadsPrctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		warn("no_new_privs: %v", err)
	}
	if v, err := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); err == nil && v == 1 {
		c.NoNewPrivs = true
	}

	if testUnavailable.seccomp || !seccomp.Supported() {
		warn("seccomp: not available in this kernel")
		return c, nil
	}
	policy, err := seccompPolicy(os.Getpid(), readApp)
	if err == nil {
		err = seccomp.LoadFilter(seccomp.Filter{NoNewPrivs: true, Flag: seccomp.FilterFlagTSync, Policy: policy})
	}
	if err != nil {
		warn("seccomp: %v", err)
		return c, nil
	}
	c.Seccomp = true
	c.NoNewPrivs = true // LoadFilter set it, and TSYNC carries it to every thread
	return c, nil
}

// eperm is the default action: a refused call fails with EPERM, so the Go runtime (and
// the race detector's) gets an error it handles rather than a killed process; code that
// does not handle it still cannot do what it asked. (go-seccomp-bpf's ActionErrno is
// EPERM.)
const eperm = seccomp.ActionErrno

// allowedSyscalls is what the Go runtime (with cgo and glibc, and under the race
// detector, whose tsan runtime adds sched_yield, nanosleep, getpid and madvise traffic),
// goja and the child's pipes use after start: traced with `strace -f` under
// `go test -race ./isolate` and the e2e suite (docs/isolate.md), plus a margin for other
// Go versions (e.g. epoll_wait beside epoll_pwait, clock_nanosleep beside nanosleep).
// Not here, so refused with EPERM: execve/execveat, fork (clone without CLONE_THREAD),
// socket/connect/bind and every other network call, ptrace, process_vm_*, mount and
// every namespace call, open_by_handle_at, bpf, perf_event_open, keyctl, ioctl, setrlimit
// and prlimit64, kill or tgkill of any other process, and memory made executable.
var allowedSyscalls = []string{
	// memory
	"brk", "munmap", "madvise", "mremap", "mincore", "membarrier",
	// threads and exit
	"set_robust_list", "get_robust_list", "rseq", "set_tid_address", "arch_prctl",
	"gettid", "getpid", "getppid", "exit", "exit_group", "restart_syscall",
	// signals
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "rt_sigpending",
	// scheduling and time
	"futex", "sched_yield", "nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres",
	"gettimeofday", "time", "sched_getaffinity", "getrusage", "getrandom", "uname",
	// the pipes and the poller
	"read", "write", "readv", "writev", "pread64", "close", "fcntl", "lseek", "fstat",
	"epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait", "eventfd2",
	"pipe2",
}

// fileSyscalls are allowed only to a child that reads its app's files lazily (an app too
// big to preload); Landlock bounds them to the app's directory.
var fileSyscalls = []string{"openat", "newfstatat", "statx", "readlinkat", "getdents64"}

// seccompPolicy is the allow-list for this architecture, with arguments checked where
// the call could reach outside the child: new threads only, signals to itself only,
// no executable mappings, prctl only to name anonymous mappings (the runtime does).
func seccompPolicy(pid int, readApp bool) (seccomp.Policy, error) {
	info, err := arch.GetInfo("")
	if err != nil {
		return seccomp.Policy{}, err
	}
	allowed := allowedSyscalls
	if readApp {
		allowed = append(slices.Clip(allowed), fileSyscalls...)
	}
	var names []string
	for _, n := range allowed {
		if _, ok := info.SyscallNames[n]; ok { // e.g. arch_prctl and time are amd64 only
			names = append(names, n)
		}
	}
	self := uint64(pid)
	withArgs := []seccomp.NameWithConditions{
		{Name: "clone", Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_THREAD}}},
		{Name: "mmap", Conditions: seccomp.ArgumentConditions{{Argument: 2, Operation: seccomp.BitsNotSet, Value: unix.PROT_EXEC}}},
		{Name: "mprotect", Conditions: seccomp.ArgumentConditions{{Argument: 2, Operation: seccomp.BitsNotSet, Value: unix.PROT_EXEC}}},
		{Name: "tgkill", Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.Equal, Value: self}}},
		{Name: "kill", Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.Equal, Value: self}}},
		{Name: "prctl", Conditions: seccomp.ArgumentConditions{{Argument: 0, Operation: seccomp.Equal, Value: unix.PR_SET_VMA}}},
	}
	groups := []seccomp.SyscallGroup{{Action: seccomp.ActionAllow, Names: names, NamesWithCondtions: withArgs}}
	if _, ok := info.SyscallNames["clone3"]; ok {
		// clone3's flags are in memory the filter cannot read: ENOSYS makes glibc's
		// pthread_create fall back to clone, whose flags it can.
		groups = append(groups, seccomp.SyscallGroup{Action: seccomp.ActionErrno | seccomp.Action(unix.ENOSYS), Names: []string{"clone3"}})
	}
	return seccomp.Policy{DefaultAction: eperm, Syscalls: groups}, nil
}
