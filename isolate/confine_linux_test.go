//go:build linux

package isolate

import (
	"os"
	"slices"
	"testing"
)

// TestSeccompPolicy: the policy assembles for this architecture, and the allow-list
// names none of the calls an escape needs (they fall to the EPERM default).
func TestSeccompPolicy(t *testing.T) {
	for _, readApp := range []bool{false, true} {
		p, err := seccompPolicy(os.Getpid(), readApp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Assemble(); err != nil {
			t.Fatalf("assemble (readApp %v): %v", readApp, err)
		}
		if p.DefaultAction != eperm {
			t.Errorf("default action %v, want errno (EPERM)", p.DefaultAction)
		}
	}
	for _, name := range fileSyscalls {
		if slices.Contains(allowedSyscalls, name) {
			t.Errorf("%s is allowed to a child whose code was preloaded", name)
		}
	}
	for _, name := range []string{
		"execve", "execveat", "fork", "vfork", "socket", "socketpair", "connect", "bind", "listen",
		"sendto", "sendmsg", "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2",
		"unshare", "setns", "pivot_root", "chroot", "bpf", "perf_event_open", "keyctl", "ioctl",
		"prlimit64", "setrlimit", "open_by_handle_at", "kill", "tkill", "tgkill", "clone", "clone3",
		"mmap", "mprotect", "prctl", "seccomp", "userfaultfd", "memfd_create", "pidfd_open",
	} {
		if slices.Contains(allowedSyscalls, name) {
			t.Errorf("%s is allowed without conditions", name)
		}
	}
}
