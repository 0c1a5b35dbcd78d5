package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// Handler runs one host API. result is merged into the answer (errMsg is always set by
// the gateway); nav is set by navigation APIs; an error's text becomes the fail reason.
type Handler func(ctx context.Context, s Sender, args json.RawMessage) (result map[string]any, nav *Nav, err error)

// CheckFunc decides whether s may call the API name now (permissions, rate budget). A
// non-nil error refuses the call; its text becomes the fail reason.
type CheckFunc func(s Sender, name string) error

// GatewayConfig configures a Gateway.
type GatewayConfig struct {
	Audit  *AuditLog    // nil: no audit lines
	Check  CheckFunc    // nil: every registered API may be called
	Logger *slog.Logger // nil: slog.Default()
}

// Gateway dispatches api calls from logic to Go handlers by name, with a check before
// and an audit line after each call. Safe for concurrent use.
type Gateway struct {
	audit *AuditLog
	log   *slog.Logger

	mu       sync.RWMutex
	handlers map[string]Handler
	check    CheckFunc
}

// NewGateway makes an empty gateway.
func NewGateway(cfg GatewayConfig) *Gateway {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Gateway{audit: cfg.Audit, log: log, handlers: make(map[string]Handler), check: cfg.Check}
}

// Register installs (or replaces) the handler of API name.
func (g *Gateway) Register(name string, h Handler) {
	g.mu.Lock()
	g.handlers[name] = h
	g.mu.Unlock()
}

// SetCheck installs the check run before every handler (nil removes it).
func (g *Gateway) SetCheck(c CheckFunc) {
	g.mu.Lock()
	g.check = c
	g.mu.Unlock()
}

// Call runs one API call on the caller's goroutine and always returns an answer whose
// result carries errMsg "NAME:ok" or "NAME:fail reason". A panicking handler becomes
// "NAME:fail internal error".
func (g *Gateway) Call(ctx context.Context, s Sender, call APICall) APIResult {
	start := time.Now()
	g.mu.RLock()
	h, found := g.handlers[call.Name]
	check := g.check
	g.mu.RUnlock()

	var (
		result   map[string]any
		nav      *Nav
		reason   string // fail reason shown to the mini-app
		audit    string // reason written to the audit log
		decision = DecisionOK
	)
	switch {
	case !found:
		decision, reason = DecisionError, "api not found"
	case check != nil:
		if err := check(s, call.Name); err != nil {
			decision, reason = DecisionDenied, err.Error()
		}
	}
	if decision == DecisionOK {
		if err := ctx.Err(); err != nil {
			decision, reason = DecisionError, err.Error()
		}
	}
	if decision == DecisionOK {
		var err error
		result, nav, err = g.runHandler(ctx, h, s, call)
		var pe *panicError
		switch {
		case errors.As(err, &pe):
			decision, reason = DecisionError, "internal error"
			audit = pe.Error()
		case err != nil:
			decision, reason = DecisionError, err.Error()
		}
	}
	if audit == "" {
		audit = reason
	}

	out := make(map[string]any, len(result)+1)
	for k, v := range result {
		out[k] = v
	}
	if decision == DecisionOK {
		out["errMsg"] = call.Name + ":ok"
	} else {
		out["errMsg"] = call.Name + ":fail " + reason
		nav = nil
	}
	raw, err := json.Marshal(out)
	if err != nil {
		// The handler returned something JSON cannot carry (NaN, a channel...).
		g.log.Error("api result not encodable", "api", call.Name, "app", s.App, "err", err)
		decision, audit = DecisionError, "result not encodable: "+err.Error()
		raw, _ = json.Marshal(map[string]string{"errMsg": call.Name + ":fail internal error"})
		nav = nil
	}

	ms := float64(time.Since(start).Microseconds()) / 1000
	if aerr := g.audit.Record(AuditEntry{
		App: s.App, Window: s.Window, Page: s.Page, Kind: string(KindAPI), API: call.Name,
		Decision: decision, Reason: audit, DurationMS: &ms,
	}); aerr != nil {
		g.log.Error("audit write failed", "err", aerr)
	}
	return APIResult{ID: call.ID, OK: decision == DecisionOK, Result: raw, Nav: nav}
}

// panicError is a handler panic, caught.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// runHandler runs h, turning a panic into a logged error instead of a crash.
func (g *Gateway) runHandler(ctx context.Context, h Handler, s Sender, call APICall) (result map[string]any, nav *Nav, err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("api handler panicked", "api", call.Name, "app", s.App, "panic", p, "stack", string(debug.Stack()))
			result, nav, err = nil, nil, &panicError{p}
		}
	}()
	return h(ctx, s, call.Args)
}

// Go runs Call on a new goroutine and hands the answer to done there; it never runs
// anything on the caller's goroutine (which may be a UI thread or a JS loop).
func (g *Gateway) Go(ctx context.Context, s Sender, call APICall, done func(APIResult)) {
	go func() {
		res := g.Call(ctx, s, call)
		defer func() {
			if p := recover(); p != nil {
				g.log.Error("api completion panicked", "api", call.Name, "app", s.App, "panic", p)
			}
		}()
		done(res)
	}()
}
