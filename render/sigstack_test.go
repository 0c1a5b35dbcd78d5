package render

import "testing"

// TestSignalHandlersStayOnTheAltStack: once a page has run (so JavaScriptCore has
// installed its handlers in this process), every fault-signal handler is on the
// alternate signal stack, so a fault on the UI thread reaches Go's handler as Go
// requires, and JavaScriptCore's suspension signal is left on the thread's stack.
func TestSignalHandlersStayOnTheAltStack(t *testing.T) {
	needWindow(t)
	if err := testWin.Eval(`window.__sf_post("quiet")`); err != nil {
		t.Fatal(err)
	}
	if n := handlersOffAltStack(); n != 0 {
		t.Fatalf("%d fault-signal handlers lack SA_ONSTACK after a page ran", n)
	}
	if usr1OnAltStack() {
		t.Fatal("SIGUSR1's handler runs on the alternate stack: JavaScriptCore's thread suspension backs off forever there")
	}
}
