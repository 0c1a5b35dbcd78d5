package render

import (
	"syscall"
	"testing"
	"time"
)

// TestPageGoneWhenTheWebProcessDies: a window whose web process is killed from outside
// tells its owner (the page is blank from then on), once, with the reason.
func TestPageGoneWhenTheWebProcessDies(t *testing.T) {
	needWindow(t)
	gone := make(chan string, 4)
	w := openSpoken(t, WindowOptions{
		Title: "gone", Width: 300, Height: 200, HTML: echoHTML, Script: echoScript,
		OnPageGone: func(reason string) { gone <- reason },
	})
	defer w.Close()
	pid := w.WebProcess()
	if pid == 0 {
		t.Skip("this window's web process is not known")
	}
	if w.PageGone() {
		t.Fatal("PageGone before anything happened")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case reason := <-gone:
		if reason != PageCrashed {
			t.Errorf("reason %q, want %q", reason, PageCrashed)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("OnPageGone never came after the web process was killed")
	}
	if !w.PageGone() {
		t.Error("PageGone is false after the web process died")
	}
	// Closing the window afterwards reports nothing more.
	w.Close()
	select {
	case reason := <-gone:
		t.Errorf("a second OnPageGone (%q)", reason)
	case <-time.After(500 * time.Millisecond):
	}
}
