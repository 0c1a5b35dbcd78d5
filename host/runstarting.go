package host

import (
	"sync"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/render"
)

// Starting is a lone app being started by RunStarting: Cancel (Ctrl+C) stops it,
// whether its session exists yet or not.
type Starting struct {
	mu        sync.Mutex
	sess      *Session
	cancelled bool
}

// Cancel ends the start: the session, once there is one, closes; one that has not
// started yet is closed as soon as it has.
func (st *Starting) Cancel() {
	st.mu.Lock()
	st.cancelled = true
	sess := st.sess
	st.mu.Unlock()
	if sess != nil {
		sess.Close()
	}
}

// started records the session; false if Cancel came first.
func (st *Starting) started(s *Session) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.sess = s
	return !st.cancelled
}

// RunStarting is Start then Run for a lone app (shell run), overlapped: the UI loop
// runs from the first moment and the app's window is made hidden at once (WebKit starts
// its web process and loads the page and the render runtime) while start loads and
// checks the app and starts its logic on another goroutine. The window is shown only
// when start succeeded, so a broken app is still refused before any window appears;
// start's error is returned as it is. opened, if set, runs once the session has its
// window (DevTools). It returns when the session has ended, with its error. Call it on
// the main OS thread. Without a display it is Start, then Run, which says so: the app's
// own errors come first either way.
func RunStarting(win configs.Window, st *Starting, start func() (*Session, error), opened func(*Session)) error {
	go assets.RuntimeScript() // built while GTK starts: the window made next loads it
	if render.InitUI() != nil {
		s, err := start()
		if err != nil {
			return err
		}
		if !st.started(s) {
			s.Close()
		}
		return s.Run()
	}
	render.PrewarmOnce(render.WindowOptions{HTML: assets.PageHTML(), Script: assets.RuntimeScript(),
		Debug: win.Debug, Width: win.Width, Height: win.Height})
	done := make(chan error, 1)
	go func() {
		done <- runStarted(st, start, opened)
		render.Prewarm(render.WindowOptions{}, 0) // the window made for a start that failed
		render.Do(render.QuitLoop)
	}()
	render.RunLoop()
	return <-done
}

// runStarted starts the session, shows it in the window made ahead and waits for its end.
func runStarted(st *Starting, start func() (*Session, error), opened func(*Session)) error {
	s, err := start()
	if err != nil {
		return err
	}
	if !st.started(s) {
		// Cancelled while starting: the window is never shown.
		s.Close()
		s.shutdown()
		return s.Err()
	}
	if err := s.Open(s.Close); err != nil {
		return err
	}
	if opened != nil {
		opened(s)
	}
	<-s.Done()
	return s.Err()
}
