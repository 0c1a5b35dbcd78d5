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
// the gateway); an error's text becomes the fail reason. nav is not carried: a
// navigation reaches logic through the host's router as a nav message, before the
// call's answer (docs/host.md, "One page stack"), so an API result can never navigate.
type Handler func(ctx context.Context, s Sender, args json.RawMessage) (result map[string]any, nav *Nav, err error)

// CheckFunc decides whether s may call the API name now (permissions). It returns the
// capability it decided on ("" when the API needs none), which goes into the audit line
// whatever the outcome; a non-nil error refuses the call and its text becomes the fail
// reason. It runs off the caller's goroutine when calls come through Gateway.Go, so it
// may wait for a prompt.
type CheckFunc func(s Sender, name string) (capability string, err error)

// Observer hears about refused calls of rated APIs as they happen (the runtime monitor
// counts them toward its anomaly rules); refusals of LocalClass APIs are not reported.
// Its methods are called on the gateway's goroutine for the call and must not block.
type Observer interface {
	Denied(app string)      // the Check hook refused a call of app
	RateLimited(app string) // app's token bucket for an API was empty
}

// GatewayConfig configures a Gateway.
type GatewayConfig struct {
	Audit    *AuditLog               // nil: no audit lines
	Check    CheckFunc               // nil: every registered API may be called
	Limits   RateLimits              // zero value: DefaultRateLimits(); an invalid one is logged and replaced by the defaults
	Class    func(api string) string // an API's rate class (LocalClass: no call rate); nil: no API has one
	Observer Observer                // nil: nobody is told
	Logger   *slog.Logger            // nil: slog.Default()
}

// Gateway dispatches api calls from logic to Go handlers by name. Each call goes: known
// API → Check hook → the app's token bucket for the API's rate class (none for a local
// API) → handler → one audit line. Safe for concurrent use.
type Gateway struct {
	audit   *AuditLog
	log     *slog.Logger
	buckets *buckets
	obs     Observer

	mu       sync.RWMutex
	handlers map[string]Handler
	denied   map[string]Handler // RegisterDenied: answers to refused calls
	check    CheckFunc

	localMu sync.Mutex
	local   map[string]*localQueue // by app: local calls waiting (see Go)
}

// NewGateway makes an empty gateway.
func NewGateway(cfg GatewayConfig) *Gateway {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	limits := cfg.Limits
	if limits.Default == (Limit{}) && limits.PerAPI == nil && limits.Classes == nil {
		limits = DefaultRateLimits()
	} else if err := limits.Validate(); err != nil {
		log.Error("gateway rate limits invalid, using the defaults", "err", err)
		limits = DefaultRateLimits()
	}
	return &Gateway{
		audit: cfg.Audit, log: log, buckets: newBuckets(limits, cfg.Class), obs: cfg.Observer,
		handlers: make(map[string]Handler), denied: make(map[string]Handler), check: cfg.Check, local: make(map[string]*localQueue),
	}
}

// ForgetApp drops app's token buckets, for an app that stopped (a restarted app starts
// with full buckets).
func (g *Gateway) ForgetApp(app string) { g.buckets.forget(app) }

// Register installs (or replaces) the handler of API name.
func (g *Gateway) Register(name string, h Handler) {
	g.mu.Lock()
	g.handlers[name] = h
	g.mu.Unlock()
}

// RegisterDenied installs what API name answers when the Check hook refuses a call,
// instead of failing it: WeChat's degraded answer (getUserInfo's anonymous profile).
// The audit line still says denied; the app gets "NAME:ok" and h's result, and the
// refusal does not count toward the observer's anomaly rules.
func (g *Gateway) RegisterDenied(name string, h Handler) {
	g.mu.Lock()
	g.denied[name] = h
	g.mu.Unlock()
}

// Handles reports whether API name has a handler.
func (g *Gateway) Handles(name string) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	_, ok := g.handlers[name]
	return ok
}

// SetCheck installs the check run before every handler (nil removes it).
func (g *Gateway) SetCheck(c CheckFunc) {
	g.mu.Lock()
	g.check = c
	g.mu.Unlock()
}

// Call runs one API call on the caller's goroutine and always returns an answer whose
// result carries errMsg "NAME:ok" or "NAME:fail reason": "api not found", the Check
// hook's error text, "rate limit exceeded", or the handler's error. A panicking handler
// becomes "NAME:fail internal error". Callers on a UI thread or a JS loop use Go instead.
func (g *Gateway) Call(ctx context.Context, s Sender, call APICall) APIResult {
	start := time.Now()
	g.mu.RLock()
	h, found := g.handlers[call.Name]
	fallback := g.denied[call.Name]
	check := g.check
	g.mu.RUnlock()

	var (
		result     map[string]any
		capability string
		reason     string // fail reason shown to the mini-app
		detail     string // what the audit log says, when more than reason
		decision   = DecisionOK
		rated      = g.buckets.rated(call.Name) // refusals count toward anomaly rules
	)
	switch {
	case !found:
		decision, reason = DecisionError, "api not found"
	case check != nil:
		var err error
		if capability, err = g.runCheck(check, s, call.Name); err != nil {
			decision, reason = DecisionDenied, err.Error()
			var pe *panicError
			if errors.As(err, &pe) {
				reason, detail = "internal error", "check "+pe.Error()
				fallback = nil
			}
			if fallback != nil {
				detail = reason + " (answered with the fallback)"
			} else if rated {
				g.observe(s.App, Observer.Denied)
			}
		}
	}
	if decision == DecisionOK && !g.buckets.allow(s.App, call.Name) {
		decision, reason = DecisionRateLimited, "rate limit exceeded"
		if rated {
			g.observe(s.App, Observer.RateLimited)
		}
	}
	if decision == DecisionOK {
		if err := ctx.Err(); err != nil {
			decision, reason = DecisionError, err.Error()
		}
	}
	if decision == DecisionOK {
		var err error
		result, err = g.runHandler(ctx, h, s, call)
		var pe *panicError
		switch {
		case errors.As(err, &pe):
			decision, reason = DecisionError, "internal error"
			detail = pe.Error()
		case err != nil:
			decision, reason = DecisionError, err.Error()
		}
	}
	degraded := false
	if decision == DecisionDenied && fallback != nil && ctx.Err() == nil {
		var err error
		if result, err = g.runHandler(ctx, fallback, s, call); err == nil {
			degraded = true
		} else {
			result = nil
		}
	}
	if detail == "" {
		detail = reason
	}

	out := make(map[string]any, len(result)+1)
	for k, v := range result {
		out[k] = v
	}
	if decision == DecisionOK || degraded {
		out["errMsg"] = call.Name + ":ok"
	} else {
		out["errMsg"] = call.Name + ":fail " + reason
	}
	raw, err := json.Marshal(out)
	if err != nil {
		// The handler returned something JSON cannot carry (NaN, a channel...).
		g.log.Error("api result not encodable", "api", call.Name, "app", s.App, "err", err)
		decision, detail = DecisionError, "result not encodable: "+err.Error()
		degraded = false
		raw, _ = json.Marshal(map[string]string{"errMsg": call.Name + ":fail internal error"})
	}

	ms := float64(time.Since(start).Microseconds()) / 1000
	entry := AuditEntry{
		App: s.App, Window: s.Window, Page: s.Page, Kind: string(KindAPI), API: call.Name,
		Capability: capability, Decision: decision, DurationMS: &ms,
	}
	if decision == DecisionError {
		entry.Error = detail
	} else {
		entry.Reason = detail
	}
	if aerr := g.audit.Record(entry); aerr != nil {
		g.log.Error("audit write failed", "err", aerr)
	}
	return APIResult{ID: call.ID, OK: decision == DecisionOK || degraded, Result: raw}
}

// panicError is a handler panic, caught.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// runCheck runs the Check hook; a panic in it denies the call (deny by default).
func (g *Gateway) runCheck(check CheckFunc, s Sender, name string) (capability string, err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("api check panicked", "api", name, "app", s.App, "panic", p, "stack", string(debug.Stack()))
			err = &panicError{p}
		}
	}()
	return check(s, name)
}

// observe tells the observer, if any, containing its panics.
func (g *Gateway) observe(app string, event func(Observer, string)) {
	if g.obs == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("gateway observer panicked", "app", app, "panic", p)
		}
	}()
	event(g.obs, app)
}

// runHandler runs h, turning a panic into a logged error instead of a crash.
func (g *Gateway) runHandler(ctx context.Context, h Handler, s Sender, call APICall) (result map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("api handler panicked", "api", call.Name, "app", s.App, "panic", p, "stack", string(debug.Stack()))
			result, err = nil, &panicError{p}
		}
	}()
	result, _, err = h(ctx, s, call.Args)
	return result, err
}

// Go runs Call off the caller's goroutine (which may be a UI thread or a JS loop) and
// hands the answer to done there. A rated call gets a goroutine of its own (the rate
// bounds how many); the local calls of one app run one at a time, in the order they
// were made, on one goroutine that lives while some wait. Local calls have no rate, so
// this is what bounds them: a flood waits in the app's queue, on the heap its budget
// watches, instead of piling up goroutines, and the host works through it at its own
// pace. It also gives program order to an app's storage calls, as WeChat does.
func (g *Gateway) Go(ctx context.Context, s Sender, call APICall, done func(APIResult)) {
	j := job{ctx: ctx, s: s, call: call, done: done}
	if g.buckets.rated(call.Name) {
		go g.run(j)
		return
	}
	g.localMu.Lock()
	q := g.local[s.App]
	if q == nil {
		q = &localQueue{}
		g.local[s.App] = q
	}
	q.jobs = append(q.jobs, j)
	start := !q.running
	q.running = true
	g.localMu.Unlock()
	if start {
		go g.drain(s.App, q)
	}
}

// job is one call handed to Go.
type job struct {
	ctx  context.Context
	s    Sender
	call APICall
	done func(APIResult)
}

// localQueue holds one app's local calls waiting for its drain goroutine.
type localQueue struct {
	jobs    []job
	running bool // a drain goroutine owns the queue
}

// drain runs q's jobs in order until it is empty, then ends.
func (g *Gateway) drain(app string, q *localQueue) {
	for {
		g.localMu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			if g.local[app] == q {
				delete(g.local, app)
			}
			g.localMu.Unlock()
			return
		}
		j := q.jobs[0]
		q.jobs[0] = job{}
		q.jobs = q.jobs[1:]
		g.localMu.Unlock()
		g.run(j)
	}
}

// run makes one call and hands its answer over, containing a panic in done.
func (g *Gateway) run(j job) {
	res := g.Call(j.ctx, j.s, j.call)
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("api completion panicked", "api", j.call.Name, "app", j.s.App, "panic", p)
		}
	}()
	j.done(res)
}
