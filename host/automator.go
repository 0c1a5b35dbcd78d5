package host

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sandframe/sandframe/automator"
)

// The session is what the automator server (WeChat's automator protocol) drives.
var _ automator.Target = (*Session)(nil)

// Automate implements automator.Target: a request for the app's logic runtime.
func (s *Session) Automate(ctx context.Context, op string, params json.RawMessage) (json.RawMessage, error) {
	a, ok := s.rt.(interface {
		Automate(context.Context, string, json.RawMessage) (json.RawMessage, error)
	})
	if !ok {
		return nil, errors.New("the automator needs the app's logic in the shell (isolation: goroutine), not in a child process")
	}
	return a.Automate(ctx, op, params)
}

// EnableProbes lets the page answer automation probes (the automator's element
// requests) even when no --automation socket is served.
func (s *Session) EnableProbes() { s.gate.SetAutomation(true) }

// Launched is closed once the app's first page is open: the automator answers from
// then on.
func (s *Session) Launched() <-chan struct{} { return s.launched }
