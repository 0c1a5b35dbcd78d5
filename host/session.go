// Package host runs a mini-app: it wires one logic runtime, one window and the bridge
// between them, and serves the host APIs of this stage (navigation, navigation bar,
// toast, modal, system info). Everything between page, logic and host goes through
// bridge messages; this package only routes them.
package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/automation"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/isolate"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
	"github.com/sandframe/sandframe/ui"
)

// pageQueue bounds the messages waiting between the UI thread and the session.
const pageQueue = 4096

// Options configure a session.
type Options struct {
	Config     configs.Config
	Logger     *slog.Logger
	Audit      *bridge.AuditLog
	Automation string // unix socket path; "" leaves automation off
	Version    string // the shell's version, for getSystemInfo
	// StartPage opens this url ("/pages/x/x?a=1") instead of the entry page.
	StartPage string
	// Perms decides capabilities (nil: every API behind a capability is refused).
	Perms *perms.Manager
	// Prompts routes permission prompts to this session's window; nil: prompts are
	// answered by Perms' own prompter (policy).
	Prompts *Prompts
	// Monitor watches budgets and anomalies (nil: none); Quarantine refuses to start
	// apps it stopped for breaking a rule.
	Monitor    *monitor.Monitor
	Quarantine *monitor.Quarantine
	// Sessions, when set, lists the session while it runs (the monitor's terminator).
	Sessions *Sessions
	// Network serves wx.request (nil: every request fails).
	Network *netapi.Client
	// Images fetches the page's remote images (nil: they are broken).
	Images *netapi.Images
	// Kiosk, when set, makes the window cover the screen with no way out from the
	// keyboard but the operator's chord and PIN.
	Kiosk *Kiosk
	// Storage holds every app's encrypted namespace (nil: storage calls fail).
	Storage *storage.Store
	// Shares carries values between apps with the user's consent (nil: sharing fails).
	Shares *share.Store
	// Files keeps each app's own files (FileSystemManager, temporary files); nil: the
	// file APIs fail.
	Files *files.Store
	// Identities names the app a bare id means when an app names another one (the
	// publisher of sf.share.read): the installed app of that id (nil: the unverified one).
	Identities func(id string) identity.App
	// Updates is the catalog behind wx.getUpdateManager (nil: no updates, as for an app
	// run from a folder).
	Updates UpdateSource
	// Isolation is where the app's logic runs: "goroutine" (default) or "process", a
	// child process (ChildExe ChildArgs…, serving isolate.ServeChild) under memory and
	// CPU limits. Process isolation needs an app loaded from a directory (LoadDir).
	Isolation string
	ChildExe  string
	ChildArgs []string
	ChildEnv  []string
	// LogicPool, when set, hands a process-isolated app a logic child started ahead
	// (isolate.Pool, launcher.prewarm; docs/isolate.md, "Spare children") instead of
	// starting one for it; nil: every child starts with its app.
	LogicPool *isolate.Pool
	// DevTools hears the session for `shell dev`'s DevTools window (host/devtools.go);
	// nil everywhere else. DevEval lets its console evaluate in the app's runtime (a
	// project folder only: Session.DevEvalAllowed).
	DevTools DevTap
	DevEval  bool
}

// Logic is a running mini-app's logic: a logic.Runtime in this process, or one in a
// child process (isolation: process).
type Logic interface {
	Deliver(bridge.Envelope) bool
	Definitions() map[string]logic.ComponentDef
	PageData(pageID string) (json.RawMessage, error)
	Stack() []logic.PageInfo
	Stop()
	Done() <-chan struct{}
	// Terminate stops the app for breaking a rule; Err then says why.
	Terminate(reason string)
	Err() error
}

// Surface is where a session's page lives: a WebView window, or a stand-in that plays
// the page in tests. The page's messages come back through Session.Post.
type Surface interface {
	Send(bridge.Envelope) error
	Close()
}

// windowSurface is a Surface with the window's extras (screenshots, scripts).
type windowSurface interface {
	Surface
	Screenshot(path string) error
	Geometry() (x, y, w, h int, err error)
	Eval(script string) error
}

// Session is one running mini-app.
type Session struct {
	app  *App
	opts Options
	log  *slog.Logger
	id   string // the app's identity key (identity.App.Key): what every store keys it by
	// appID is the id the app declares, which is what its own code sees.
	appID string
	// launch is what App.onLaunch received (wx.getLaunchOptionsSync answers it).
	launch logic.LaunchOptions

	ctx    context.Context
	cancel context.CancelFunc

	nav *navigator
	// routeMu makes each navigation one step: decided, handed to the gate and to
	// logic (router.go).
	routeMu sync.Mutex
	watch   *monitor.AppWatch // nil without a monitor
	gate    *bridge.Gate
	gw      *bridge.Gateway
	rt      Logic
	surf    Surface
	auto    *automation.Server

	pageIn chan string

	lastEvent     atomic.Int64 // unix nanoseconds of the last user event (kiosk idle)
	exitRequested atomic.Bool  // the kiosk operator asked to leave
	askingPIN     atomic.Bool  // a kiosk PIN dialog is open

	mu         sync.Mutex
	loaded     bool              // the page asked for init and got it
	held       []bridge.Envelope // page-bound messages from before that
	failure    error             // why the session ended early
	modals     map[string]chan ui.Answer
	probes     probeTable
	mediaSlots chan struct{} // media sources read at once (media.go)
	canvas     canvasReads   // canvasToTempFilePath's requests to the page (canvas.go)
	nextID     atomic.Uint64
	launched   chan struct{}
	timeline   *timeline  // where the launch went (debug log)
	stopTheme  func()     // ends followTheme's watch (appevents.go); nil when not following
	sub        subSession // subpackages fetched on demand, independent launch (subpackages.go)

	appNet     *netapi.AppNet // the app's WebSockets (host/sockets.go), made on first use
	appNetOnce sync.Once

	win        *render.Window // set by Open: a window in the shared UI loop
	hidden     atomic.Bool
	minimised  atomic.Bool   // the window is minimised (iconified): the app is in the background
	ended      chan struct{} // closed when the session has shut down
	endedOnce  sync.Once
	noticeOnce sync.Once // one notice of why the app was closed (terminate.go)
}

// Start checks and starts the mini-app's logic. It opens no window: a broken app fails
// here, before anything is shown. Call Run on the UI thread next.
func Start(app *App, o Options) (*Session, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	appID := app.Identity().ID
	id := app.Identity().Key()
	s := &Session{
		app: app, opts: o, id: id, appID: appID,
		log:        o.Logger.With("app", id),
		nav:        newNavigator(app.Project),
		pageIn:     make(chan string, pageQueue),
		modals:     map[string]chan ui.Answer{},
		mediaSlots: make(chan struct{}, mediaReads),
		launched:   make(chan struct{}),
		ended:      make(chan struct{}),
	}
	s.timeline = newTimeline(s.log)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.gate = bridge.NewGate(bridge.GateConfig{
		App: id, Window: "w1", Index: app, Audit: o.Audit, Logger: o.Logger,
		Limits: bridge.Limits{MaxBytes: o.Config.Bridge.MaxMessageBytes, MaxDepth: o.Config.Bridge.MaxDepth},
	})
	s.gate.SetAutomation(o.Automation != "" || o.DevTools != nil) // DevTools' WXML panel probes
	if o.Quarantine != nil {
		if reason, ok := o.Quarantine.Quarantined(id); ok {
			s.cancel()
			return nil, &QuarantinedError{App: id, Reason: reason}
		}
	}
	limits, err := RateLimits(o.Config)
	if err != nil {
		s.cancel()
		return nil, err
	}
	gwCfg := bridge.GatewayConfig{Audit: o.Audit, Logger: o.Logger, Check: s.checkCall, Limits: limits, Class: rateClass}
	lo := LogicSetup(o.Config)
	lo.AppID = appID
	lo.FS = app.Project.FS
	lo.Pages = app.Project.Routes()
	lo.Components = app.Project.ComponentPaths()
	lo.ComponentPages = componentPages(app.Project)
	lo.Launch = logic.LaunchOptions{Path: app.Project.EntryRoute(), Query: map[string]string{}, Scene: 1001}
	lo.Send = s.fromLogic
	lo.CallSync = s.callSync
	lo.Logger = o.Logger // logic tags its lines with the app id itself
	lo.OnTerminate = func(t logic.Termination) { s.terminated(t.Reason, t.Detail) }
	s.launch = lo.Launch
	if err := s.prepareSubpackages(&lo); err != nil {
		s.cancel()
		return nil, err
	}
	if o.Monitor != nil {
		s.watch = o.Monitor.Attach(id)
		gwCfg.Observer = o.Monitor
		lo.TaskBudget = s.watch.TaskBudget()
		lo.OnTask = s.watch.OnTask
	}
	if o.DevTools != nil {
		s.devLogicOptions(&lo)
	}
	s.gw = bridge.NewGateway(gwCfg)
	s.registerAPIs()

	rt, err := s.startLogic(lo)
	if err != nil {
		s.detach()
		s.cancel()
		return nil, err
	}
	if s.watch != nil {
		if reason, stopped := s.watch.Terminated(); stopped {
			rt.Stop()
			s.detach()
			s.cancel()
			return nil, &TerminatedError{App: appID, Reason: reason}
		}
	}
	if b, ok := rt.(interface{ BrokenPages() []string }); ok {
		s.nav.leaveOut(b.BrokenPages())
	}
	s.rt = rt
	s.lastEvent.Store(time.Now().UnixNano())
	if o.Sessions != nil {
		o.Sessions.add(s)
	}
	go s.pumpPage()
	s.followTheme()
	s.timeline.mark(stepLogicStarted)
	return s, nil
}

// LogicSetup is what every app's logic runtime is set up with before its own code, the
// shell's alone: the host API shapes and built-in components wx is built from, the
// setData bound, the task budget (a monitor's per-app budget may replace it). A spare
// logic child prepares a runtime with it (isolate.PoolOptions.Logic).
func LogicSetup(cfg configs.Config) logic.Options {
	return logic.Options{
		APIs: apiShapes(), Builtins: assets.Components(),
		MaxSetDataBytes: cfg.Logic.MaxSetDataBytes, TaskBudget: cfg.Monitor.TaskCPU,
	}
}

// startLogic runs the app's logic in this process or in a child, as configured.
func (s *Session) startLogic(lo logic.Options) (Logic, error) {
	if s.opts.Isolation != "process" {
		return logic.New(lo)
	}
	if s.app.Dir == "" {
		return nil, errors.New("process isolation needs the mini-app's directory")
	}
	lo.FS = nil
	start := isolate.Start
	if s.opts.LogicPool != nil {
		start = s.opts.LogicPool.Start
	}
	return start(isolate.Options{
		Exe: s.opts.ChildExe, Args: s.opts.ChildArgs, Env: s.opts.ChildEnv, Dir: s.app.Dir, Logic: lo,
		Send: lo.Send, CallSync: lo.CallSync, Logger: s.opts.Logger,
		MemoryLimit: s.opts.Config.Isolation.MemoryLimit, CPULimit: s.opts.Config.Isolation.CPULimit,
	})
}

// Run opens the window and serves until the user closes it or the app fails. It must be
// called on the UI thread (the main OS thread).
func (s *Session) Run() error {
	win, err := render.NewWindow(s.windowOptions())
	if err != nil {
		s.shutdown()
		return err
	}
	if err := s.attach(win); err != nil {
		win.Close()
		win.Run() // lets GTK tear the window down
		s.shutdown()
		return err
	}
	s.mu.Lock()
	s.win = win // Hide and Show (automation's window.hide/show) reach it
	s.mu.Unlock()
	if s.opts.Prompts != nil {
		s.opts.Prompts.attach(s.id, win)
		defer s.opts.Prompts.detach(s.id)
	}
	if s.opts.Kiosk != nil {
		win.Kiosk(func() { go s.askKioskExit(win) })
	}
	win.Run()
	s.shutdown()
	return s.Err()
}

// RunHeadless serves the session on surf until Close or the app fails: the page is
// whatever surf plays (tests).
func (s *Session) RunHeadless(surf Surface) error {
	if err := s.attach(surf); err != nil {
		s.shutdown()
		return err
	}
	<-s.ctx.Done()
	surf.Close()
	s.shutdown()
	return s.Err()
}

// attach connects the surface, the automation server and the end of the app's logic.
func (s *Session) attach(surf Surface) error {
	s.mu.Lock()
	s.surf = surf
	if s.loaded {
		// The page spoke before the surface was attached: send what waited.
		held := s.held
		s.held = nil
		for _, env := range held {
			s.sendWindow(env)
		}
	}
	s.mu.Unlock()
	if s.ctx.Err() != nil {
		surf.Close() // Close came while the window was being made (Ctrl+C at start)
	}
	s.watchRenderProcess(surf)
	if s.opts.Automation != "" {
		srv, err := automation.Listen(s.opts.Automation, s, s.log)
		if err != nil {
			return err
		}
		s.auto = srv
	}
	go func() {
		select {
		case <-s.rt.Done():
			var te *TerminatedError
			if errors.As(s.Err(), &te) {
				return // closeTerminated tells the user, then closes
			}
			s.fail(errors.New("the mini-app's logic stopped"))
			s.Close()
		case <-s.ctx.Done():
		}
	}()
	return nil
}

// Err is why the session ended early, or nil.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}

// Close ends the session from any goroutine: the window closes and Run returns.
func (s *Session) Close() {
	// Cancel first: a surface attached after this reads the cancelled context and
	// closes itself (attach), one attached before is closed here.
	s.cancel()
	s.mu.Lock()
	surf := s.surf
	s.mu.Unlock()
	if surf != nil {
		surf.Close()
	}
}

func (s *Session) shutdown() {
	s.cancel()
	if s.stopTheme != nil {
		s.stopTheme()
	}
	if s.auto != nil {
		s.auto.Close()
	}
	s.rt.Stop()
	if s.opts.Storage != nil {
		s.opts.Storage.Release(s.id) // no descriptor held for a stopped app (docs/soak.md)
	}
	s.detach()
	if s.opts.Files != nil {
		s.opts.Files.EndSession(s.id) // temporary files end with the session
	}
	s.endedOnce.Do(func() { close(s.ended) })
}

// Done is closed when the session has ended and its logic stopped.
func (s *Session) Done() <-chan struct{} { return s.ended }

// windowOptions are the session's window, made (Run) or opened in the launcher's loop
// (Open): its title, size, document and the session's handlers.
func (s *Session) windowOptions() render.WindowOptions {
	w := s.opts.Config.Window
	return render.WindowOptions{Title: s.title(), Width: w.Width, Height: w.Height, Debug: w.Debug,
		HTML: assets.PageHTML(), Script: assets.RuntimeScript(),
		OnMessage: s.Post, OnIconify: s.iconified, Images: s, OnPageGone: s.pageGone}
}

// ID is the app's identity key (identity.App.Key).
func (s *Session) ID() string { return s.id }

// Open shows the session in a new window of the UI loop another window runs (the
// launcher's) and returns at once; onClose is what the window's close button does. The
// session ends with Close, or when the app fails; Done says when.
func (s *Session) Open(onClose func()) error {
	wo := s.windowOptions()
	wo.OnClose = onClose
	win, err := render.OpenWindow(wo)
	if err != nil {
		s.shutdown()
		return err
	}
	if err := s.attach(win); err != nil {
		win.Close()
		s.shutdown()
		return err
	}
	if win.Pooled() {
		s.log.Debug("window from the pre-warmed pool")
	}
	s.timeline.mark(stepWindow)
	s.mu.Lock()
	s.win = win
	s.mu.Unlock()
	if s.opts.Prompts != nil {
		s.opts.Prompts.attach(s.id, win)
	}
	go func() {
		<-s.ctx.Done()
		win.Close()
		if s.opts.Prompts != nil {
			s.opts.Prompts.detach(s.id)
		}
		s.shutdown()
	}()
	return nil
}

// Hide takes an opened session's window off the screen and tells the app it went to
// the background (App.onHide, the shown page's onHide). It keeps running.
func (s *Session) Hide() error {
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win == nil {
		return errors.New("hide: the session has no window of its own")
	}
	if s.hidden.Swap(true) {
		return nil
	}
	if err := win.Hide(); err != nil {
		return err
	}
	if !s.minimised.Load() { // a minimised app is in the background already
		s.deliverLogic(bridge.KindLifecycle, bridge.Lifecycle{Event: "hide"})
	}
	return nil
}

// Show brings a hidden session's window back, in the state it was left in, and tells
// the app (App.onShow, the page's onShow). On a shown window it only raises it.
func (s *Session) Show() error {
	s.mu.Lock()
	win := s.win
	s.mu.Unlock()
	if win == nil {
		return errors.New("show: the session has no window of its own")
	}
	if err := win.Show(); err != nil {
		return err
	}
	if s.hidden.Swap(false) && !s.minimised.Load() {
		s.deliverLogic(bridge.KindLifecycle, bridge.Lifecycle{Event: "show"})
	}
	return nil
}

// Hidden reports whether the session's window is hidden (closed into the background).
func (s *Session) Hidden() bool { return s.hidden.Load() }

// detach takes the session off the monitor and the session list.
func (s *Session) detach() {
	if s.watch != nil {
		s.watch.Detach()
	}
	if s.opts.Sessions != nil {
		s.opts.Sessions.remove(s)
	}
}

func (s *Session) fail(err error) {
	s.mu.Lock()
	if s.failure == nil {
		s.failure = err
	}
	s.mu.Unlock()
}

// Post hands over one message the page sent. For a window it runs on the UI thread:
// it only enqueues and returns at once.
func (s *Session) Post(raw string) {
	select {
	case s.pageIn <- raw:
	default:
		s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1",
			Kind: "page", Decision: bridge.DecisionRefused, Reason: "page message queue full"})
	}
}

// pumpPage checks every page message at the gate and routes it.
func (s *Session) pumpPage() {
	for {
		var raw string
		select {
		case raw = <-s.pageIn:
		case <-s.ctx.Done():
			return
		}
		env, err := s.gate.FromPage([]byte(raw))
		if s.opts.DevTools != nil {
			s.devPage(raw, env, err)
		}
		if bridge.IsDropped(err) {
			continue // an observer notification over the rate (docs/queries.md)
		}
		if err != nil {
			// The gate has logged and audited it; repeated forgeries are an anomaly.
			if s.opts.Monitor != nil {
				s.opts.Monitor.Violation(s.id)
			}
			continue
		}
		switch env.Kind {
		case bridge.KindReady:
			r, ok := env.Value.(*bridge.Ready) // the gate's one decode
			if !ok {
				s.log.Error("ready without its decoded payload")
				continue
			}
			if r.Seq == 0 && len(r.Attached)+len(r.Detached)+len(r.Props) == 0 {
				s.timeline.mark(stepPageReady)
				s.pageLoaded()
				continue
			}
			s.timeline.mark(stepFirstRenderApplied)
			s.rt.Deliver(env)
		case bridge.KindEvent:
			s.lastEvent.Store(time.Now().UnixNano())
			e, ok := env.Value.(*bridge.Event) // the gate's one decode
			if !ok {
				s.log.Error("event without its decoded payload")
				continue
			}
			if e.Target == "host" {
				s.hostEvent(*e)
				continue
			}
			s.rt.Deliver(env)
		case bridge.KindModel:
			s.lastEvent.Store(time.Now().UnixNano())
			s.rt.Deliver(env)
		case bridge.KindQueryResult:
			s.rt.Deliver(env)
		case bridge.KindProbeResult:
			if r, ok := env.Value.(*bridge.ProbeResult); ok {
				s.probes.answer(*r)
			}
		case bridge.KindCanvasData:
			if d, ok := env.Value.(*bridge.CanvasData); ok {
				s.canvasData(*d)
			}
		}
	}
}

// pageLoaded answers the page's first ready: init, then whatever waited, then launch.
func (s *Session) pageLoaded() {
	s.mu.Lock()
	if s.loaded {
		s.mu.Unlock()
		s.log.Warn("the page loaded again; ignored")
		return
	}
	init, err := s.initPayload()
	if err != nil {
		s.mu.Unlock()
		s.fail(err)
		s.Close()
		return
	}
	s.loaded = true
	held := s.held
	s.held = nil
	s.sendWindow(init)
	for _, env := range held {
		s.sendWindow(env)
	}
	s.mu.Unlock()

	var notFound *bridge.Lifecycle
	if _, err := s.route(func() (nav *bridge.Nav, err error) {
		nav, notFound, err = s.launchOrNotFound()
		return nav, err
	}); err != nil {
		s.fail(fmt.Errorf("launch %s: %w", s.opts.StartPage, err))
		s.Close()
		return
	}
	if notFound != nil {
		s.deliverLogic(bridge.KindLifecycle, *notFound)
	}
	close(s.launched)
}

// toPage sends env to the page, holding it until the page has its init.
func (s *Session) toPage(env bridge.Envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		s.held = append(s.held, env)
		return
	}
	s.sendWindow(env)
}

// sendWindow sends env to the surface; s.mu is held. Until a surface is attached the
// message waits with the others.
func (s *Session) sendWindow(env bridge.Envelope) {
	if s.surf == nil {
		s.held = append(s.held, env)
		return
	}
	if s.opts.DevTools != nil {
		s.devMessage(DirHostToPage, env.Kind, env.Payload, len(env.Payload), nil)
	}
	if err := s.surf.Send(env); err != nil && !errors.Is(err, render.ErrClosed) {
		s.log.Error("send to page", "kind", env.Kind, "err", err)
	}
}

func (s *Session) sendUI(op bridge.UI) {
	env, err := bridge.NewEnvelope(bridge.KindUI, op)
	if err == nil {
		s.toPage(env)
	}
}

func (s *Session) deliverLogic(kind bridge.Kind, payload any) {
	env, err := bridge.NewEnvelope(kind, payload)
	if err != nil {
		s.log.Error("encode for logic", "kind", kind, "err", err)
		return
	}
	env.Sender = s.sender()
	if s.opts.DevTools != nil {
		s.devMessage(DirHostToLogic, kind, env.Payload, len(env.Payload), nil)
	}
	s.rt.Deliver(env)
}

// sender is the stamp for what the host hands logic and the gateway.
func (s *Session) sender() *bridge.Sender {
	snd := &bridge.Sender{App: s.id, Window: "w1"}
	if top, ok := s.nav.Top(); ok {
		snd.Page, snd.Route = top.Page, top.Route
	}
	return snd
}

// fromLogic runs on the app's loop: route and return at once.
func (s *Session) fromLogic(env bridge.Envelope) {
	if s.opts.DevTools != nil {
		s.devMessage(DirLogicToHost, env.Kind, env.Payload, len(env.Payload), nil)
	}
	switch env.Kind {
	case bridge.KindRender:
		s.timeline.mark(stepFirstRenderSent)
		s.toPage(env)
	case bridge.KindQuery:
		s.forwardQuery(env)
	case bridge.KindAPI:
		var call bridge.APICall
		if err := json.Unmarshal(env.Payload, &call); err != nil {
			s.log.Error("api message", "err", err)
			return
		}
		s.gw.Go(s.ctx, *s.sender(), call, func(res bridge.APIResult) {
			s.deliverLogic(bridge.KindAPIResult, res)
		})
	default:
		s.log.Error("logic sent a message of an unexpected kind", "kind", env.Kind)
	}
}

// callSync serves …Sync APIs: the handler runs on its own goroutine while the app's
// loop waits, at most the configured time.
func (s *Session) callSync(call bridge.APICall) bridge.APIResult {
	done := make(chan bridge.APIResult, 1)
	if s.opts.DevTools != nil {
		s.devSync(call)
	}
	s.gw.Go(s.ctx, *s.sender(), call, func(r bridge.APIResult) { done <- r })
	select {
	case r := <-done:
		return r
	case <-time.After(s.opts.Config.Logic.SyncCallTimeout):
		msg, _ := json.Marshal(map[string]string{"errMsg": call.Name + ":fail timeout"})
		return bridge.APIResult{ID: call.ID, Result: msg}
	}
}

// hostEvent handles what the shell's own chrome in the page reports.
func (s *Session) hostEvent(e bridge.Event) {
	var d struct {
		URL      string `json:"url"`
		Delta    int    `json:"delta"`
		ID       string `json:"id"`
		Confirm  bool   `json:"confirm"`
		Content  string `json:"content"`
		TapIndex int    `json:"tapIndex"`
	}
	if len(e.Event.Detail) > 0 {
		if err := json.Unmarshal(e.Event.Detail, &d); err != nil {
			s.log.Warn("host event detail", "handler", e.Handler, "err", err)
			return
		}
	}
	if e.Handler == "media" {
		// What an InnerAudioContext's element reported: for the app's logic, which the
		// bridge checked the detail for (bridge.MediaEvent).
		s.deliverLogic(bridge.KindEvent, e)
		return
	}
	if e.Handler == "mediaSource" {
		var m bridge.MediaSource
		if err := json.Unmarshal(e.Event.Detail, &m); err == nil {
			s.mediaSource(m) // media.go
		}
		return
	}
	if e.Handler == "modal" {
		s.mu.Lock()
		ch := s.modals[d.ID]
		delete(s.modals, d.ID)
		s.mu.Unlock()
		if ch != nil {
			ch <- ui.Answer{Confirm: d.Confirm, Content: d.Content, TapIndex: d.TapIndex}
		}
		return
	}
	if IsScriptURL(d.URL) {
		return // url="javascript:;": an inert link, as in WeChat
	}
	if _, err := s.navigate(e.Handler, d.URL, d.Delta); err != nil {
		s.log.Warn("navigation from the page refused", "action", e.Handler, "url", d.URL, "err", err)
	}
}

// navigate carries out a navigation that did not come from the app's code (the page's
// chrome, automation): logic hears of it as a nav message.
func (s *Session) navigate(action, url string, delta int) (*bridge.Nav, error) {
	if err := s.ensureRoute(action, url); err != nil {
		return nil, err
	}
	return s.route(func() (*bridge.Nav, error) { return s.nav.Navigate(action, url, delta) })
}
