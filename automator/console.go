package automator

import (
	"context"
	"log/slog"
	"sync"
)

// Console is a slog.Handler for the session's logger: it passes every record on to next
// unchanged, and hands the app's console lines (records with source=console, which
// logic writes for console.log/info/warn/error/debug, in the shell or in the logic
// child) to the automator's clients that asked for them (App.enableLog) as
// App.logAdded events: {"type": "log"|"warn"|"error"|"debug", "args": [text]}.
type Console struct {
	next  slog.Handler
	attrs []slog.Attr // from WithAttrs
	hub   *consoleHub
}

type consoleHub struct {
	mu   sync.Mutex
	next int
	subs map[int]chan consoleEvent
}

type consoleEvent struct {
	Type string   `json:"type"`
	Args []string `json:"args"`
}

// consoleQueue bounds the lines waiting for one slow client; past it they are dropped.
const consoleQueue = 1024

// NewConsole wraps next.
func NewConsole(next slog.Handler) *Console {
	return &Console{next: next, hub: &consoleHub{subs: map[int]chan consoleEvent{}}}
}

// Enabled is true for every level: a console.debug line reaches the clients even when
// the log does not show it.
func (c *Console) Enabled(context.Context, slog.Level) bool { return true }

// Handle implements slog.Handler.
func (c *Console) Handle(ctx context.Context, r slog.Record) error {
	if c.hub.listening() && c.isConsole(r) {
		c.hub.publish(consoleEvent{Type: consoleType(r.Level), Args: []string{r.Message}})
	}
	if !c.next.Enabled(ctx, r.Level) {
		return nil
	}
	return c.next.Handle(ctx, r)
}

func (c *Console) isConsole(r slog.Record) bool {
	found := false
	for _, a := range c.attrs {
		if a.Key == "source" && a.Value.String() == "console" {
			found = true
		}
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "source" {
			found = a.Value.String() == "console"
			return false
		}
		return true
	})
	return found
}

// WithAttrs implements slog.Handler.
func (c *Console) WithAttrs(as []slog.Attr) slog.Handler {
	return &Console{next: c.next.WithAttrs(as), attrs: append(append([]slog.Attr(nil), c.attrs...), as...), hub: c.hub}
}

// WithGroup implements slog.Handler (console lines carry no group).
func (c *Console) WithGroup(name string) slog.Handler {
	return &Console{next: c.next.WithGroup(name), attrs: c.attrs, hub: c.hub}
}

func consoleType(l slog.Level) string {
	switch {
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "log"
	case l < slog.LevelError:
		return "warn"
	}
	return "error"
}

func (h *consoleHub) listening() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs) > 0
}

func (h *consoleHub) publish(e consoleEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- e:
		default: // a client that does not read loses lines, never blocks the app
		}
	}
}

func (h *consoleHub) subscribe() (int, <-chan consoleEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	ch := make(chan consoleEvent, consoleQueue)
	h.subs[h.next] = ch
	return h.next, ch
}

func (h *consoleHub) unsubscribe(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, id)
}
