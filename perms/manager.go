package perms

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// DenialKind says which rule refused a call.
type DenialKind string

// Denial kinds. The audit log and the monitor's anomaly rules key on them.
const (
	DeniedByPrompt   DenialKind = "prompt"     // the user (or the headless policy) answered Deny just now
	DeniedByStore    DenialKind = "stored"     // an earlier Deny or a revoke
	DeniedByPolicy   DenialKind = "policy"     // the administrator's deny list
	DeniedUndeclared DenialKind = "undeclared" // app.json does not declare the capability
	DeniedUnknown    DenialKind = "unknown"    // no such capability
	DeniedNoAnswer   DenialKind = "no-answer"  // the prompt failed or was cancelled
	DeniedError      DenialKind = "error"      // the grant store failed: fail closed
)

// Denial is a refused Check or Request. Error() is the WeChat-style reason that follows
// "NAME:fail "; Explain() is the full story for the audit log.
type Denial struct {
	Kind       DenialKind
	App        string
	API        string // "" for Request
	Capability string
	Rule       string // DeniedByPolicy: the entry that matched, e.g. `apps["x"].deny[0] "clipboard:read"`
	Err        error  // DeniedNoAnswer, DeniedError: the cause
}

func (d *Denial) Error() string {
	switch d.Kind {
	case DeniedByPrompt:
		return "auth deny"
	case DeniedByStore:
		return "auth denied"
	case DeniedByPolicy:
		return "auth denied by policy"
	case DeniedUndeclared:
		return fmt.Sprintf("capability %s is not declared in app.json", d.Capability)
	case DeniedUnknown:
		if d.Capability == "" {
			return fmt.Sprintf("unknown api %q", d.API)
		}
		return fmt.Sprintf("unknown capability %q", d.Capability)
	case DeniedNoAnswer:
		return "auth deny (the prompt was not answered)"
	default:
		return "internal error" // the cause (a file path, SQL) is for the log, not the app
	}
}

// Explain says who refused and why, for the audit log.
func (d *Denial) Explain() string {
	what := d.Capability
	if d.API != "" {
		what = d.API + " (" + d.Capability + ")"
		if d.Capability == "" {
			what = d.API
		}
	}
	switch d.Kind {
	case DeniedByPrompt:
		return what + ": the prompt was answered Deny"
	case DeniedByStore:
		return what + ": denied earlier (prompt or revoke), not asked again"
	case DeniedByPolicy:
		return what + ": policy " + d.Rule
	case DeniedUndeclared:
		return what + ": not declared in app.json"
	case DeniedUnknown:
		if d.Capability == "" {
			return what + ": no host API declaration names it"
		}
		return what + ": not in the capability catalog"
	}
	return fmt.Sprintf("%s: %s: %v", what, d.Kind, d.Err)
}

func (d *Denial) Unwrap() error { return d.Err }

// Config configures a Manager.
type Config struct {
	Store    *Store           // required
	Policy   Policy           // validated by the caller (Policy.Validate); bad entries never match
	Prompter Prompter         // nil: PolicyPrompter{Policy}
	Now      func() time.Time // nil: time.Now; stamps stored decisions
	Logger   *slog.Logger     // nil: slog.Default()
}

// Manager decides. It holds no decision in memory: every Check reads the store, so a
// revoke made anywhere (another process included) applies to the next call.
type Manager struct {
	store    *Store
	policy   Policy
	rules    rules
	prompter Prompter
	now      func() time.Time
	log      *slog.Logger

	mu    sync.Mutex
	gates map[string]chan struct{} // app id → held while a prompt for the app is open
}

// NewManager makes a Manager. It panics without a Store (a wiring bug, not a runtime state).
func NewManager(cfg Config) *Manager {
	if cfg.Store == nil {
		panic("perms: NewManager without a Store")
	}
	m := &Manager{store: cfg.Store, policy: cfg.Policy, rules: compile(cfg.Policy),
		prompter: cfg.Prompter, now: cfg.Now, log: cfg.Logger, gates: map[string]chan struct{}{}}
	if m.prompter == nil {
		m.prompter = PolicyPrompter{Policy: cfg.Policy}
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.log == nil {
		m.log = slog.Default()
	}
	return m
}

// Check decides whether app may call api now: nil, or a *Denial. In order: a policy deny
// of the API or its capability; an undeclared capability; a stored denial; a policy allow;
// a stored grant; a "once" grant (consumed here); else a prompt, whose Allow and Deny are
// stored and whose Allow once lets this call through and stores nothing.
func (m *Manager) Check(ctx context.Context, app App, api string) error {
	if rule, ok := m.rules.denied(app, api, ""); ok {
		cp, _ := CapabilityForAPI(api)
		return m.deny(&Denial{Kind: DeniedByPolicy, App: app.ID, API: api, Capability: cp, Rule: rule})
	}
	if !KnownAPI(api) {
		// Fail closed: an API no declaration names (or a binary that did not link the
		// registry, internal/hostapi/all) is never taken for a free one.
		return m.deny(&Denial{Kind: DeniedUnknown, App: app.ID, API: api})
	}
	cp, needs := CapabilityForAPI(api)
	if !needs {
		return nil
	}
	_, err := m.decide(ctx, app, api, cp)
	return err
}

// Request is sf.requestCapability / wx.authorize. It prompts only when the capability is
// declared, not denied by policy, and nothing is stored; a stored denial fails without a
// prompt. The result is the decision now in force (an "once" grant is not consumed).
func (m *Manager) Request(ctx context.Context, app App, capability string) (Decision, error) {
	return m.decide(ctx, app, "", capability)
}

// decide runs the rules for a capability. api is "" for Request, the API name for Check.
func (m *Manager) decide(ctx context.Context, app App, api, cp string) (Decision, error) {
	d := &Denial{App: app.ID, API: api, Capability: cp}
	ci, ok := byName[cp]
	if !ok {
		d.Kind = DeniedUnknown
		return DecisionDenied, m.deny(d)
	}
	if rule, ok := m.rules.denied(app, api, cp); ok {
		d.Kind, d.Rule = DeniedByPolicy, rule
		return DecisionDenied, m.deny(d)
	}
	claim, declared := app.Claims[cp]
	if !declared {
		d.Kind = DeniedUndeclared
		return DecisionDenied, m.deny(d)
	}
	for {
		stored, err := m.store.Get(app.ID, app.Signer, cp)
		if err != nil {
			d.Kind, d.Err = DeniedError, err
			return DecisionDenied, m.deny(d)
		}
		if stored == DecisionDenied {
			d.Kind = DeniedByStore
			return DecisionDenied, m.deny(d)
		}
		if _, ok := m.rules.allowed(app, api, cp); ok {
			return DecisionGranted, nil
		}
		switch stored {
		case DecisionGranted:
			return DecisionGranted, nil
		case DecisionOnce:
			if api == "" {
				return DecisionOnce, nil // a Request reports it; the next Check uses it
			}
			took, err := m.store.TakeOnce(app.ID, app.Signer, cp)
			if err != nil {
				d.Kind, d.Err = DeniedError, err
				return DecisionDenied, m.deny(d)
			}
			if took {
				return DecisionOnce, nil
			}
			// Another call used it first: decide again from what is stored now.
		default: // ask
			dec, done, err := m.prompt(ctx, app, api, withAPIs(catalog[ci]), claim.Reason, d)
			if done {
				return dec, err
			}
			// Someone else's prompt decided while this call waited: decide again.
		}
	}
}

// prompt asks, one prompt per app at a time. done is false when, once this call's turn
// came, the store no longer said "ask" (a concurrent prompt was answered).
func (m *Manager) prompt(ctx context.Context, app App, api string, c Capability, reason string, d *Denial) (Decision, bool, error) {
	gate := m.gate(app.ID)
	select {
	case gate <- struct{}{}:
	case <-ctx.Done():
		d.Kind, d.Err = DeniedNoAnswer, ctx.Err()
		return DecisionDenied, true, m.deny(d)
	}
	defer func() { <-gate }()

	stored, err := m.store.Get(app.ID, app.Signer, c.Name)
	if err != nil {
		d.Kind, d.Err = DeniedError, err
		return DecisionDenied, true, m.deny(d)
	}
	if stored != DecisionAsk {
		return "", false, nil
	}
	ans, err := m.prompter.Prompt(ctx, Request{App: app, Capability: c, Reason: reason})
	if err == nil && ans != AnswerAllow && ans != AnswerOnce && ans != AnswerDeny {
		err = fmt.Errorf("prompter gave an unknown answer %q", ans)
	}
	if err != nil {
		d.Kind, d.Err = DeniedNoAnswer, err
		return DecisionDenied, true, m.deny(d)
	}
	m.log.Info("permission prompt answered", "app", app.ID, "signer", app.Signer, "capability", c.Name, "api", api, "answer", ans)

	var dec Decision
	switch ans {
	case AnswerAllow:
		dec = DecisionGranted
	case AnswerDeny:
		dec = DecisionDenied
	case AnswerOnce:
		if api != "" {
			return DecisionOnce, true, nil // this call is the one use
		}
		dec = DecisionOnce
	}
	if err := m.store.setAt(app.ID, app.Signer, c.Name, dec, m.now()); err != nil {
		d.Kind, d.Err = DeniedError, err
		return DecisionDenied, true, m.deny(d)
	}
	if dec == DecisionDenied {
		d.Kind = DeniedByPrompt
		return DecisionDenied, true, m.deny(d)
	}
	return dec, true, nil
}

// gate is the app's prompt slot: a channel of capacity one, so waiting can be cancelled.
func (m *Manager) gate(app string) chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.gates[app]
	if !ok {
		g = make(chan struct{}, 1)
		m.gates[app] = g
	}
	return g
}

func (m *Manager) deny(d *Denial) error {
	if d.Kind == DeniedError || d.Kind == DeniedNoAnswer {
		m.log.Warn("permission denied", "app", d.App, "kind", d.Kind, "why", d.Explain())
	} else {
		m.log.Debug("permission denied", "app", d.App, "kind", d.Kind, "why", d.Explain())
	}
	return d
}

// Settings is what has been decided for each capability app declares, as in force now
// (policy included): for wx.getSetting (which shows only the decided ones, under
// CapabilityScope keys) and the shell's settings page.
func (m *Manager) Settings(app App) (map[string]Decision, error) {
	out := make(map[string]Decision, len(app.Claims))
	for cp := range app.Claims {
		if _, ok := byName[cp]; !ok {
			continue
		}
		if _, ok := m.rules.denied(app, "", cp); ok {
			out[cp] = DecisionDenied
			continue
		}
		d, err := m.store.Get(app.ID, app.Signer, cp)
		if err != nil {
			return nil, fmt.Errorf("settings of %s: %w", app.ID, err)
		}
		if _, ok := m.rules.allowed(app, "", cp); ok && d != DecisionDenied {
			d = DecisionGranted
		}
		out[cp] = d
	}
	return out, nil
}

// Revoke stores a denial: the app's next use fails without a prompt until Grant (or a
// reset) — in every process that shares the store.
func (m *Manager) Revoke(app App, capability string) error {
	return m.setByUser(app, capability, DecisionDenied)
}

// Grant stores a grant, as the user's choice in settings. It fails when the policy denies
// the capability, since the grant could never take effect.
func (m *Manager) Grant(app App, capability string) error {
	if rule, ok := m.rules.denied(app, "", capability); ok {
		return fmt.Errorf("grant %s to %s: denied by policy %s", capability, app.ID, rule)
	}
	return m.setByUser(app, capability, DecisionGranted)
}

func (m *Manager) setByUser(app App, capability string, d Decision) error {
	if err := m.store.setAt(app.ID, app.Signer, capability, d, m.now()); err != nil {
		return err
	}
	m.log.Info("permission set in settings", "app", app.ID, "signer", app.Signer, "capability", capability, "decision", d)
	return nil
}
