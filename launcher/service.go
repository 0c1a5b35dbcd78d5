// Package launcher is the host end of the launcher window's privileged bridge
// (docs/launcher.md): it decodes what the launcher page sends, runs each operation
// (list, launch, details, revoke, clear, install, update, uninstall, profile, ...) on
// its own goroutine, answers with launcherResult envelopes, tells the page what changed
// with launcherEvent envelopes, and writes every change and every refusal to the audit
// log under window "launcher".
package launcher

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// Runner runs apps in their windows (implemented by the integrator's desktop).
type Runner interface {
	Launch(ctx context.Context, id string) error // start it, or show its window
	Stop(id string) error                        // stop a running or hidden app
	State(id string) string                      // "stopped", "running" or "hidden"
}

// Picker opens the native file chooser over the launcher window; "" when cancelled.
type Picker interface {
	PickFile(ctx context.Context, title string, patterns []string) (string, error)
}

// Page is the launcher window: Send delivers an envelope to its page.
type Page interface{ Send(bridge.Envelope) error }

// App states, as Runner.State reports them.
const (
	StateStopped = "stopped"
	StateRunning = "running"
	StateHidden  = "hidden"
)

// Events the page is sent.
const (
	EventAppsChanged     = "apps.changed"
	EventInstallProgress = "install.progress"
	EventInstallOffer    = "install.offer"
	EventAppFailed       = "app.failed"
)

// Config is what the service acts on. The integrator opens the stores once per shell
// process and shares them with the app sessions.
type Config struct {
	Config    configs.Config       // paths, launcher.catalog and channel, the profile fallback, bridge limits
	Installer *installer.Installer // installs; also the registry and trust store (publisher names)
	Perms     *perms.Manager       // revokes, and the decisions in force (policy included); nil: the stored ones
	Grants    *perms.Store         // the stored decisions: list, forget, reset
	Storage   *storage.Store       // usage and clearing
	Shares    *share.Store         // nil: clearing storage leaves what the app shared (else wiped too, as `shell storage clear`)
	// AppData is everything an app has (internal/appdata): clearing an app wipes it
	// with the scope Data. nil: Storage and Shares alone.
	AppData appdata.List
	Audit   *bridge.AuditLog // where changes and refusals are written
	Runner  Runner           // nil: nothing can be launched
	Picker  Picker           // nil: no file chooser
	Logger  *slog.Logger     // nil: slog.Default()
	// OnProbeResult receives automation probe answers from the page; nil refuses them.
	OnProbeResult func(bridge.ProbeResult)
	// UpdateEvery is how often the catalog is asked for newer releases of the installed
	// apps while Run runs (App.update); 0: every 6 hours; negative: never.
	UpdateEvery time.Duration
}

// Bounds on what waits: messages posted before the pump takes them, events emitted
// before the window is attached.
const (
	maxQueued  = 1024
	maxPending = 64
)

// Service is the launcher's host service. Post, Emit, Offer and Handle are safe for
// concurrent use; Run is called once.
type Service struct {
	cfg    Config
	log    *slog.Logger
	limits bridge.Limits

	mu      sync.Mutex
	queue   []string // posted, not yet taken by Run
	dropped int      // posted while the queue was full
	wake    chan struct{}
	page    Page
	pending []bridge.Envelope   // emitted before Attach
	chosen  map[string]bool     // bundle paths the user chose or opened the shell on
	updates map[string]string   // app id → newer catalog version, from the last check
	meta    map[string]*appMeta // by installed version's folder

	sendMu sync.Mutex // keeps envelopes in order
	wg     sync.WaitGroup
}

// New makes the service. It panics without Installer, Grants or Storage (a wiring bug).
func New(cfg Config) *Service {
	if cfg.Installer == nil || cfg.Grants == nil || cfg.Storage == nil {
		panic("launcher: New without Installer, Grants or Storage")
	}
	s := &Service{
		cfg:     cfg,
		log:     cfg.Logger,
		limits:  bridge.Limits{MaxBytes: cfg.Config.Bridge.MaxMessageBytes, MaxDepth: cfg.Config.Bridge.MaxDepth},
		wake:    make(chan struct{}, 1),
		chosen:  map[string]bool{},
		updates: map[string]string{},
		meta:    map[string]*appMeta{},
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("window", "launcher")
	return s
}

// Attach says the launcher window exists: events go to p from now on, the ones emitted
// before first.
func (s *Service) Attach(p Page) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.mu.Lock()
	s.page = p
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, env := range pending {
		if err := p.Send(env); err != nil {
			s.log.Warn("launcher: send to the page failed", "kind", env.Kind, "err", err)
		}
	}
}

// Post takes one message from the launcher page. It is called on the UI thread, so it
// only enqueues; Run decodes and answers.
func (s *Service) Post(raw string) {
	s.mu.Lock()
	if len(s.queue) >= maxQueued {
		s.dropped++
	} else {
		s.queue = append(s.queue, raw)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run pumps posted messages until ctx ends: each request is decoded strictly, run on its
// own goroutine and answered; a bad message is refused and audited. It checks the catalog
// for updates meanwhile (Config.UpdateEvery). It returns when ctx is done and every
// request it started has answered.
func (s *Service) Run(ctx context.Context) {
	defer s.wg.Wait()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.watchUpdates(ctx)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		s.mu.Lock()
		msgs, dropped := s.queue, s.dropped
		s.queue, s.dropped = nil, 0
		s.mu.Unlock()
		if dropped > 0 {
			s.refuse("", "", fmt.Errorf("%d messages dropped: more than %d were waiting", dropped, maxQueued))
		}
		for _, raw := range msgs {
			s.receive(ctx, raw)
		}
	}
}

// receive decodes one message and starts its request.
func (s *Service) receive(ctx context.Context, raw string) {
	if peek(raw).Kind == bridge.KindProbeResult {
		s.probeResult(raw)
		return
	}
	req, err := bridge.DecodeLauncher([]byte(raw), s.limits)
	if err != nil {
		s.refuse("", "", err)
		if h := peek(raw); h.Kind == bridge.KindLauncher && h.Payload.ID > 0 {
			s.answer(h.Payload.ID, nil, fmt.Errorf("refused: %w", err)) // the page's call does not hang
		}
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		start := time.Now()
		res, err := s.handleSafely(ctx, req)
		s.log.Debug("launcher request", "op", req.Op, "took", time.Since(start), "err", err)
		s.answer(req.ID, res, err)
	}()
}

// head is what peek reads of an envelope before it is decoded.
type head struct {
	Kind    bridge.Kind `json:"kind"`
	Payload struct {
		ID uint64 `json:"id"`
	} `json:"payload"`
}

// peek reads the kind and request id of a message, leniently: the strict decoders
// decide whether it is accepted.
func peek(raw string) head {
	var h head
	if len(raw) <= bridge.DefaultMaxBytes {
		_ = json.Unmarshal([]byte(raw), &h)
	}
	return h
}

// probeResult hands an automation answer to OnProbeResult, or refuses it.
func (s *Service) probeResult(raw string) {
	if s.cfg.OnProbeResult == nil {
		s.refuse(string(bridge.KindProbeResult), "", fmt.Errorf("probeResult: automation is not enabled for the launcher"))
		return
	}
	env, err := bridge.DecodePage([]byte(raw), s.limits)
	if err == nil && env.Kind != bridge.KindProbeResult {
		err = fmt.Errorf("kind: %q is not a probe result", env.Kind)
	}
	var pr bridge.ProbeResult
	if err == nil {
		err = json.Unmarshal(env.Payload, &pr)
	}
	if err != nil {
		s.refuse(string(bridge.KindProbeResult), "", err)
		return
	}
	s.cfg.OnProbeResult(pr)
}

// handleSafely is Handle with a panic turned into an error: one broken operation does
// not take the shell down.
func (s *Service) handleSafely(ctx context.Context, req bridge.LauncherRequest) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("launcher: operation panicked", "op", req.Op, "panic", p, "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("%s: internal error", req.Op)
		}
	}()
	return s.Handle(ctx, req)
}

// answer sends the launcherResult of request id.
func (s *Service) answer(id uint64, res any, err error) {
	r := bridge.LauncherResult{ID: id, OK: err == nil, Result: res}
	if err != nil {
		r.Result, r.Error = nil, err.Error()
	} else if res == nil {
		r.Result = struct{}{}
	}
	env, merr := bridge.NewEnvelope(bridge.KindLauncherResult, r)
	if merr != nil {
		s.log.Error("launcher: encoding a result", "id", id, "err", merr)
		env, _ = bridge.NewEnvelope(bridge.KindLauncherResult, bridge.LauncherResult{ID: id, Error: "the result could not be encoded"})
	}
	s.send(env)
}

// Emit sends the page an event (launcherEvent). data nil is sent as {}.
func (s *Service) Emit(event string, data any) {
	if data == nil {
		data = struct{}{}
	}
	env, err := bridge.NewEnvelope(bridge.KindLauncherEvent, bridge.LauncherEvent{Event: event, Data: data})
	if err != nil {
		s.log.Error("launcher: encoding an event", "event", event, "err", err)
		return
	}
	s.send(env)
}

// Offer tells the page that the shell was opened on a bundle: it shows the install
// confirmation for it. The path becomes one install.inspect and install.file accept.
func (s *Service) Offer(path string) {
	s.choose(path)
	s.Emit(EventInstallOffer, map[string]string{"path": path})
}

// send delivers env to the page, or keeps it for Attach (the oldest dropped past
// maxPending).
func (s *Service) send(env bridge.Envelope) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.mu.Lock()
	p := s.page
	if p == nil {
		if len(s.pending) >= maxPending {
			s.pending = s.pending[1:]
		}
		s.pending = append(s.pending, env)
	}
	s.mu.Unlock()
	if p == nil {
		return
	}
	if err := p.Send(env); err != nil {
		s.log.Warn("launcher: send to the page failed", "kind", env.Kind, "err", err)
	}
}

// refuse audits a message or request the launcher refused.
func (s *Service) refuse(kind, op string, err error) {
	if kind == "" {
		kind = string(bridge.KindLauncher)
	}
	s.log.Warn("launcher: message refused", "kind", kind, "op", op, "err", err)
	s.record(bridge.AuditEntry{App: "launcher", Window: "launcher", Kind: kind, API: op,
		Decision: bridge.DecisionRefused, Reason: err.Error()})
}

// record writes one audit line; a failure is logged (the action has happened).
func (s *Service) record(e bridge.AuditEntry) {
	if err := s.cfg.Audit.Record(e); err != nil {
		s.log.Error("launcher: audit write failed", "err", err)
	}
}

// watchUpdates asks the catalog for newer releases now and every UpdateEvery, and tells
// the page when the answer changes.
func (s *Service) watchUpdates(ctx context.Context) {
	every := s.cfg.UpdateEvery
	if every == 0 {
		every = 6 * time.Hour
	}
	if every < 0 || s.catalogURL() == "" {
		return
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.refreshUpdates(ctx)
		t.Reset(every)
	}
}

// refreshUpdates replaces the known updates with the catalog's answer.
func (s *Service) refreshUpdates(ctx context.Context) {
	m, err := s.cfg.Installer.Updates(ctx, s.catalogURL(), s.channel())
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("launcher: checking the catalog for updates", "catalog", s.catalogURL(), "err", err)
		}
		return
	}
	if s.setUpdates(m) {
		s.Emit(EventAppsChanged, nil)
	}
}

// setUpdates replaces the known updates and says whether they changed.
func (s *Service) setUpdates(m map[string]string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := len(m) != len(s.updates)
	for id, v := range m {
		if s.updates[id] != v {
			changed = true
		}
	}
	s.updates = m
	return changed
}

func (s *Service) catalogURL() string { return s.cfg.Config.Launcher.Catalog }

func (s *Service) channel() string {
	if c := s.cfg.Config.Launcher.Channel; c != "" {
		return c
	}
	return "stable"
}
