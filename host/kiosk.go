package host

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// Kiosk configures a kiosk session.
type Kiosk struct {
	// PIN lets the operator leave with Ctrl+Alt+Shift+Q; empty: no way out from the
	// keyboard at all (only the service manager stops it).
	PIN string
}

// pinWindow is the window's PIN dialog.
type pinWindow interface {
	AskPIN(ctx context.Context, title, heading string) (string, bool, error)
}

// askKioskExit asks for the operator's PIN; the right one ends the session.
func (s *Session) askKioskExit(win pinWindow) {
	if s.opts.Kiosk.PIN == "" {
		s.log.Info("kiosk: exit chord pressed, but no PIN is configured")
		return
	}
	if !s.askingPIN.CompareAndSwap(false, true) {
		return // one PIN dialog at a time
	}
	defer s.askingPIN.Store(false)
	s.log.Info("kiosk: exit chord pressed; asking for the operator PIN")
	ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
	defer cancel()
	pin, ok, err := win.AskPIN(ctx, "Sandframe kiosk", "Operator PIN")
	if err != nil || !ok {
		s.log.Info("kiosk: the PIN dialog closed without a PIN", "err", err)
		return
	}
	if subtle.ConstantTimeCompare([]byte(pin), []byte(s.opts.Kiosk.PIN)) != 1 {
		s.log.Warn("kiosk: wrong operator PIN")
		s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1",
			Kind: "kiosk", Decision: bridge.DecisionRefused, Reason: "wrong operator PIN"})
		return
	}
	s.log.Info("kiosk: the operator left")
	s.exitRequested.Store(true)
	s.Close()
}

// ExitRequested reports whether the kiosk operator ended the session.
func (s *Session) ExitRequested() bool { return s.exitRequested.Load() }

// Idle is how long since a person last did anything in the page; while the operator's
// PIN dialog is open someone is there.
func (s *Session) Idle() time.Duration {
	if s.askingPIN.Load() {
		return 0
	}
	return time.Since(time.Unix(0, s.lastEvent.Load()))
}
