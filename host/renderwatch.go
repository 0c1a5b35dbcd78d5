package host

// renderProcess is a surface drawn by a process of its own whose memory the monitor
// can read (render.Window: its WebKit web process).
type renderProcess interface {
	WebProcess() int
}

// watchRenderProcess hands the monitor the process that renders the app's page, so
// that a page ballooned by its data is stopped like a heap bomb (monitor.ReasonRenderMemory).
func (s *Session) watchRenderProcess(surf Surface) {
	p, ok := surf.(renderProcess)
	if !ok || s.watch == nil {
		return
	}
	pid := p.WebProcess()
	if pid == 0 {
		s.log.Warn("the web process of the app's window is unknown: its memory is not watched")
		return
	}
	s.watch.WatchRenderProcess(pid)
}
