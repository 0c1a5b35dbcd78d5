package host

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/render"
)

// TerminatedError is why a session ended: the app broke a rule and was stopped.
type TerminatedError struct {
	App, Reason, Detail string
}

func (e *TerminatedError) Error() string {
	msg := fmt.Sprintf("%s was stopped: %s", e.App, monitor.Describe(e.Reason))
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// QuarantinedError refuses to start an app the monitor stopped for breaking a rule.
type QuarantinedError struct {
	App, Reason string
}

func (e *QuarantinedError) Error() string {
	return fmt.Sprintf("%s is quarantined: %s Release it with `shell quarantine release %s`.",
		e.App, monitor.Describe(e.Reason), e.App)
}

// terminated runs once, when the app's logic was stopped for breaking a rule (from
// logic's OnTerminate): audit it, end the session with the reason, close the window.
func (s *Session) terminated(reason, detail string) {
	s.log.Warn("mini-app terminated", "reason", reason, "detail", detail)
	s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1",
		Kind: "termination", Decision: "terminated", Reason: reason + ": " + monitor.Describe(reason) + detailSuffix(detail)})
	s.fail(&TerminatedError{App: s.appID, Reason: reason, Detail: detail})
	go s.closeTerminated(reason) // not on the loop that is exiting
}

// noticeTimeout bounds how long the termination notice waits for the user.
const noticeTimeout = 2 * time.Minute

// closeTerminated takes the app's window away and, when a person is there to read it,
// says why in the shell's own dialog (not in the mini-app's page), then ends the session.
func (s *Session) closeTerminated(reason string) {
	s.closeWithNotice(monitor.Describe(reason))
}

// closeWithNotice takes the app's window away, says why (body) in the shell's own
// dialog when a person is there to read it, then ends the session. Only the first
// reason is told: a page the monitor killed for its memory also ends its web process.
func (s *Session) closeWithNotice(body string) {
	first := false
	s.noticeOnce.Do(func() { first = true })
	if !first {
		return
	}
	defer s.Close()
	s.mu.Lock()
	win, ok := s.surf.(noticeWindow)
	s.mu.Unlock()
	if !ok || s.opts.Kiosk != nil { // a kiosk restarts at once; nobody there to read it
		return
	}
	if err := win.Hide(); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), noticeTimeout)
	defer cancel()
	win.Ask(ctx, render.Prompt{
		Title:   "Sandframe",
		Heading: fmt.Sprintf("%q was stopped", s.title()),
		Body:    body + "\n\nIts window was closed. The shell and your other apps are not affected.",
		Buttons: []string{"Close"},
	})
}

// noticeWindow is a surface that can step aside and tell the user something.
type noticeWindow interface {
	Hide() error
	Ask(ctx context.Context, p render.Prompt) (int, error)
}

func detailSuffix(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

// Sessions lists the running sessions by app id; it is the monitor's Terminator.
type Sessions struct {
	mu   sync.Mutex
	byID map[string]*Session
}

// NewSessions makes an empty list.
func NewSessions() *Sessions { return &Sessions{byID: map[string]*Session{}} }

func (l *Sessions) add(s *Session) {
	l.mu.Lock()
	l.byID[s.id] = s
	l.mu.Unlock()
}

func (l *Sessions) remove(s *Session) {
	l.mu.Lock()
	if l.byID[s.id] == s {
		delete(l.byID, s.id)
	}
	l.mu.Unlock()
}

// Terminate implements monitor.Terminator: it interrupts the app's logic, whose
// OnTerminate then ends the session. It does not block.
func (l *Sessions) Terminate(appID, reason string) {
	l.mu.Lock()
	s := l.byID[appID]
	l.mu.Unlock()
	if s != nil {
		s.rt.Terminate(reason)
	}
}

var _ monitor.Terminator = (*Sessions)(nil)

// pageGoneGrace lets the monitor, which kills a page over its memory budget itself,
// end the session with its own reason before a page's end is read as a crash.
const pageGoneGrace = 300 * time.Millisecond

// PageGoneError is why a session ended when its page's web process ended under it.
type PageGoneError struct {
	App, Reason string // Reason: render.PageCrashed, PageOverLimit, PageEnded
}

func (e *PageGoneError) Error() string {
	return fmt.Sprintf("%s was closed: its page's web process ended (%s)", e.App, e.Reason)
}

// pageGone runs on the UI thread when the window's web process ended (render's
// OnPageGone): the page is blank and will answer nothing, so the app is closed and
// the user told, rather than left with an empty window. Not a rule broken by the app
// (a WebKit crash, or a process killed from outside): nothing is quarantined.
func (s *Session) pageGone(reason string) {
	go func() {
		time.Sleep(pageGoneGrace)
		if s.ctx.Err() != nil || s.Err() != nil {
			return // closing anyway, or already ending with a reason of its own
		}
		s.log.Warn("the app's page stopped: its web process ended", "reason", reason)
		s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1",
			Kind: "page-gone", Decision: "closed", Reason: "its page's web process ended: " + reason})
		s.fail(&PageGoneError{App: s.appID, Reason: reason})
		body := "Its page stopped unexpectedly (its web process ended)."
		if reason == render.PageOverLimit {
			body = "Its page used more memory than the web engine allows."
		}
		s.closeWithNotice(body)
	}()
}
