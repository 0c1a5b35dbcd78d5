package render

/*
#include <signal.h>
#include <stddef.h>

// The synchronous fault signals: a fault on a thread running Go code must reach Go's
// handler on the alternate signal stack, or the runtime dies without saying where.
static const int sf_fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define SF_FAULT_SIGNALS (sizeof sf_fault_signals / sizeof sf_fault_signals[0])

// sf_onstack_handlers adds SA_ONSTACK to the fault signals' handlers that lack it and
// returns how many it changed. JavaScriptCore, which WebKitGTK starts in this process,
// installs its SIGSEGV handler without that flag and chains to Go's: a fault then
// reached Go's handler on a goroutine stack and the runtime died with "non-Go code set
// up signal handler without SA_ONSTACK flag" instead of reporting the fault (the Go
// runtime asks C code to set the flag: os/signal docs).
// Only these signals: JavaScriptCore's thread-suspension signal (SIGUSR1, for its
// garbage collector) must keep running on the thread's own stack; on an alternate
// stack its handler backs off and retries, forever, and the UI thread deadlocks in
// JSC::Heap::acquireAccessSlow (found by the soak).
static int sf_onstack_handlers(void) {
	int changed = 0;
	for (size_t i = 0; i < SF_FAULT_SIGNALS; i++) {
		struct sigaction sa;
		if (sigaction(sf_fault_signals[i], NULL, &sa) != 0) continue;
		if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;
		if (sa.sa_flags & SA_ONSTACK) continue;
		sa.sa_flags |= SA_ONSTACK;
		if (sigaction(sf_fault_signals[i], &sa, NULL) == 0) changed++;
	}
	return changed;
}

// sf_handlers_off_altstack counts fault-signal handlers without SA_ONSTACK.
static int sf_handlers_off_altstack(void) {
	int n = 0;
	for (size_t i = 0; i < SF_FAULT_SIGNALS; i++) {
		struct sigaction sa;
		if (sigaction(sf_fault_signals[i], NULL, &sa) != 0) continue;
		if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN && !(sa.sa_flags & SA_ONSTACK)) n++;
	}
	return n;
}

// sf_usr1_onstack reports whether SIGUSR1's handler runs on the alternate stack (it
// must not: see above).
static int sf_usr1_onstack(void) {
	struct sigaction sa;
	if (sigaction(SIGUSR1, NULL, &sa) != 0) return 0;
	return (sa.sa_flags & SA_ONSTACK) != 0;
}
*/
import "C"

import "log/slog"

// keepGoSignalStack puts the fault-signal handlers installed by native code back on the
// alternate signal stack the Go runtime needs (see sf_onstack_handlers). JavaScriptCore
// installs its handlers when it first runs in this process, which is after a WebView
// exists, so it is called after each window is made and after a page's first message.
func keepGoSignalStack() {
	if n := C.sf_onstack_handlers(); n > 0 {
		slog.Debug("render: signal handlers set on the alternate stack", "handlers", int(n))
	}
}

// handlersOffAltStack counts the installed fault-signal handlers that would run on
// whatever stack the thread is on (tests: zero once keepGoSignalStack ran).
func handlersOffAltStack() int { return int(C.sf_handlers_off_altstack()) }

// usr1OnAltStack reports whether SIGUSR1's handler (JavaScriptCore's) runs on the
// alternate stack (tests: it must not).
func usr1OnAltStack() bool { return C.sf_usr1_onstack() != 0 }
