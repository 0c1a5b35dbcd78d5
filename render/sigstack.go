package render

/*
#include <signal.h>
#include <stddef.h>

// sf_onstack_handlers adds SA_ONSTACK to every installed signal handler that lacks it
// and returns how many it changed. JavaScriptCore, which WebKitGTK starts in this
// process, installs its handlers (SIGUSR1 for its GC, SIGSEGV/SIGBUS for its traps)
// without that flag and chains to Go's: a fault then reaches Go's handler on a
// goroutine stack and the runtime dies with "non-Go code set up signal handler
// without SA_ONSTACK flag" instead of reporting the fault (a nil dereference becomes
// an undiagnosable crash). The Go runtime asks C code to set the flag (os/signal docs).
static int sf_onstack_handlers(void) {
	int changed = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) != 0) continue;
		if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;
		if (sa.sa_flags & SA_ONSTACK) continue;
		sa.sa_flags |= SA_ONSTACK;
		if (sigaction(sig, &sa, NULL) == 0) changed++;
	}
	return changed;
}

// sf_handlers_off_altstack counts installed handlers without SA_ONSTACK.
static int sf_handlers_off_altstack(void) {
	int n = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) != 0) continue;
		if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN && !(sa.sa_flags & SA_ONSTACK)) n++;
	}
	return n;
}
*/
import "C"

import "log/slog"

// keepGoSignalStack puts every signal handler installed by native code back on the
// alternate signal stack the Go runtime needs (see sf_onstack_handlers). JavaScriptCore
// installs its handlers when it first runs in this process, which is after a WebView
// exists, so it is called after each window is made and after a page's first message.
func keepGoSignalStack() {
	if n := C.sf_onstack_handlers(); n > 0 {
		slog.Debug("render: signal handlers set on the alternate stack", "handlers", int(n))
	}
}

// handlersOffAltStack counts the installed signal handlers that would run on whatever
// stack the thread is on (tests: zero once keepGoSignalStack ran).
func handlersOffAltStack() int { return int(C.sf_handlers_off_altstack()) }
