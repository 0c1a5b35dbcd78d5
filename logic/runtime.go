// Package logic runs a mini-app's JavaScript: one goja runtime per running app, owned by
// one event-loop goroutine. It implements App/Page/Component, setData with per-turn
// coalescing into render pushes, lifecycles, a CommonJS loader confined to the app's
// files, and the wx/sf API object whose calls leave as bridge `api` messages.
// Nothing outside the runtime is reachable from JS except through bridge messages.
// See docs/logic.md for the decisions behind it.
package logic

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/logic/loop"
)

// DefaultMaxSetDataBytes is the default limit of one setData call's JSON.
const DefaultMaxSetDataBytes = 1 << 20

// Options configure a Runtime. FS and Send are required.
type Options struct {
	AppID      string
	FS         fs.FS         // the mini-app's files (a project dir or an unpacked bundle)
	Pages      []string      // routes from app.json, e.g. "pages/index/index" (file pages/index/index.js)
	Components []string      // component paths used anywhere, e.g. "components/todo-item/todo-item"
	Launch     LaunchOptions // given to App onLaunch/onShow
	// ComponentPages are the routes whose page uses custom components: their onLoad
	// waits for the first render's component instances, so that those are created and
	// attached before it, as in WeChat (docs/logic.md, "Components before onLoad").
	ComponentPages []string

	// Send receives outbound envelopes (kinds render and api). It is called on the loop
	// goroutine and must not block.
	Send func(bridge.Envelope)
	// CallSync answers synchronous host APIs (names ending in Sync). It blocks the loop.
	CallSync func(bridge.APICall) bridge.APIResult
	// APIs are the host APIs wx/sf offers, as the registry declares them
	// (internal/hostapi); the host passes all of them. Every other method WeChat's
	// typings list answers "not supported on this platform" (hostapi.WxMethods).
	APIs []hostapi.Shape
	// Builtins are the built-in components the page's runtime renders (view, button,
	// ...), for wx.canIUse.
	Builtins []string
	Logger   *slog.Logger
	// MaxSetDataBytes limits the JSON of one setData call; 0 means DefaultMaxSetDataBytes.
	MaxSetDataBytes int
	// TaskBudget is how long one task (an event handler, a timer callback, a lifecycle,
	// an API result, each with its end of turn) may run; crossing it terminates the app
	// with reason "cpu". 0 means DefaultTaskBudget, < 0 turns the budget off. Loading
	// (New) has its own limit instead. Time spent in CallSync does not count.
	TaskBudget time.Duration
	// OnTerminate is called once when the runtime is terminated (a blown task budget,
	// or Terminate), on the loop goroutine as it exits, after timers are cleared and
	// before Done closes; or, when the loop is stuck in a native call, StopGrace after
	// the termination from a timer goroutine (the loop is abandoned). It is not called after a normal Stop. It must not block long.
	OnTerminate func(Termination)
	// Subpackages are app.json's subpackages: require across them follows WeChat's
	// rules (subpackages.go). SkipApp starts without app.js: the launch page is in an
	// independent subpackage; LoadUnits loads it when the main package is needed.
	Subpackages []Subpackage
	SkipApp     bool
	// OnTask is called on the loop goroutine as every task starts (true) and ends
	// (false), loading included; the monitor uses it to attribute heap growth. It must
	// be cheap: it runs twice per task.
	OnTask func(start bool)
	// Console, when set (DevTools is open: docs/devtools.md), hears every console.*
	// call with its source position and arguments, on the loop goroutine. nil costs a
	// nil check per call.
	Console func(ConsoleLine)
	// DevEval allows Eval (DevTools' console input). Only `shell dev` sets it, never
	// for an installed app.
	DevEval bool
}

// LaunchOptions are what App onLaunch/onShow receive.
type LaunchOptions struct {
	Path  string            `json:"path"`
	Query map[string]string `json:"query"`
	Scene int               `json:"scene"`
}

// PageInfo is one page of the navigation stack.
type PageInfo struct {
	ID    string
	Route string
	Query map[string]string
}

// ComponentDef is what the render side needs to know of a component definition: its
// property types and defaults, initial data and options (behaviors merged in), and
// whether a <form> collects it (wx://form-field). It is JSON-ready for `init`.
type ComponentDef struct {
	Properties map[string]PropertyDef `json:"properties"`
	Data       json.RawMessage        `json:"data"`
	Options    json.RawMessage        `json:"options"`
	// ExternalClasses are the class properties the owner maps to its own classes.
	ExternalClasses []string `json:"externalClasses,omitempty"`
	FormField       bool     `json:"formField,omitempty"`
	FormFieldGroup  bool     `json:"formFieldGroup,omitempty"` // wx://form-field-group
	// Page: the definition is a page built with Component() (keyed by its route),
	// listed for its options.styleIsolation only.
	Page bool `json:"page,omitempty"`
}

// PropertyDef is one declared component property. Type is "String", "Number",
// "Boolean", "Object" or "Array"; "" means any type (WeChat's null) and encodes as null.
type PropertyDef struct {
	Type          string
	OptionalTypes []string
	Value         json.RawMessage
}

type propertyJSON struct {
	Type          *string         `json:"type"`
	OptionalTypes []*string       `json:"optionalTypes,omitempty"`
	Value         json.RawMessage `json:"value"`
}

// MarshalJSON encodes {"type": "String"|null, "value": ..., "optionalTypes": [...]}.
func (p PropertyDef) MarshalJSON() ([]byte, error) {
	out := propertyJSON{Value: p.Value}
	if p.Type != "" {
		out.Type = &p.Type
	}
	for _, t := range p.OptionalTypes {
		if t == "" {
			out.OptionalTypes = append(out.OptionalTypes, nil)
		} else {
			out.OptionalTypes = append(out.OptionalTypes, &t)
		}
	}
	if out.Value == nil {
		out.Value = json.RawMessage("null")
	}
	return json.Marshal(out)
}

// UnmarshalJSON is the inverse of MarshalJSON.
func (p *PropertyDef) UnmarshalJSON(b []byte) error {
	var in propertyJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*p = PropertyDef{Value: in.Value}
	if in.Type != nil {
		p.Type = *in.Type
	}
	for _, t := range in.OptionalTypes {
		if t == nil {
			p.OptionalTypes = append(p.OptionalTypes, "")
		} else {
			p.OptionalTypes = append(p.OptionalTypes, *t)
		}
	}
	return nil
}

//go:embed js/framework.js
var frameworkJS string

//go:embed js/harden.js
var hardenJS string

// The framework and hardening scripts are the same for every runtime: compile once.
var (
	compileOnce     sync.Once
	frameworkProg   *goja.Program
	hardenProg      *goja.Program
	errCompileSetup error
)

const frameworkFile = "sandframe:framework.js"

func compiledSetup() (harden, framework *goja.Program, err error) {
	compileOnce.Do(func() {
		hardenProg, errCompileSetup = goja.Compile("sandframe:harden.js", hardenJS, true)
		if errCompileSetup != nil {
			return
		}
		frameworkProg, errCompileSetup = goja.Compile(frameworkFile, frameworkJS, true)
	})
	return hardenProg, frameworkProg, errCompileSetup
}

// Runtime is one running mini-app's logic. Its methods are safe for concurrent use;
// the JS runtime itself is only touched on the loop goroutine.
type Runtime struct {
	// mapped: modules compiled with a source map (modules.go); loop goroutine only.
	mapped map[string]bool

	opts Options
	log  *slog.Logger
	loop *loop.Loop
	vm   *goja.Runtime
	fw   framework
	// fwObj is the framework's object, auto the automator's (automator.go); loop only.
	fwObj *goja.Object
	auto  goja.Callable

	// Loop-goroutine state.
	launchJSON  string   // the launch options, given again to App.onShow
	brokenPages []string // pages whose file failed to load (not the launch page); set by start
	seq         uint64   // last render push sent
	acked       uint64   // highest seq the page acknowledged
	batch       batch
	lastPush    int // size of the last push, to size the next buffer
	afterPush   []pushCallback
	ticks       []goja.Callable
	rejections  []*goja.Promise
	pages       map[string]*pageState
	stack       []string // page ids, bottom first
	front       string   // page shown last
	// routeDone: the page a navigation brought to the front, and the push that shows
	// it; onRouteDone runs once that push is acknowledged and the page is ready.
	routeDone struct {
		page string
		seq  uint64
	}
	apiSeq      uint64
	apiPending  map[uint64]string // call id → API name
	querySeq    uint64            // last query id (query.go)
	queryOut    []bridge.Envelope // this turn's queries, sent after its push
	timers      map[int64]*jsTimer
	timerSeq    int64
	errorCtor   goja.Value
	stoppedSend bool
	loaded      bool      // the app loaded: tasks run under the budget from now on
	prepared    bool      // made by Prepare, not yet given its app (Load)
	watch       *watchdog // nil when TaskBudget < 0

	// How the runtime ended; see Err.
	endMu  sync.Mutex
	ended  bool
	endErr *TerminatedError
	end    ending // Done, and abandoning a loop stuck in a native (abandon.go)
	guard  natives

	// Read from any goroutine.
	mu       sync.Mutex
	snapshot []PageInfo
	defs     map[string]ComponentDef
}

type pageState struct {
	id, route string
	query     map[string]string
	queryJSON string // the query as onLoad receives it
	mountSeq  uint64 // the push that carries its mount; onReady after its ack
	readyDone bool
	// loadPending: the page uses components and its onLoad/onShow wait for the ack
	// of its mount push, which carries its first components.
	loadPending bool
}

type pushCallback struct {
	seq uint64
	fn  goja.Callable
}

// New starts the loop, loads app.js, every component and every page, then runs App
// onLaunch and onShow. Load errors (syntax errors, top-level throws, a file that never
// calls Page/Component/App) are returned naming file:line:col, and the loop is stopped.
func New(opts Options) (*Runtime, error) {
	if opts.FS == nil {
		return nil, errors.New("logic: Options.FS is required")
	}
	r, err := construct(opts)
	if err != nil {
		return nil, err
	}
	if err := r.runLoad(func() error {
		if err := r.setup(); err != nil {
			return err
		}
		return r.loadApp()
	}); err != nil {
		return nil, err
	}
	return r, nil
}

// Prepare builds a runtime up to where an app's code would load — the hardening, the
// guards, the timers, the framework with wx built from opts.APIs, the extensions — and
// nothing of any app: opts' app fields (AppID, FS, Pages, Components, Launch…) are not
// read. Load gives it its one app. A spare logic child prepares one before it knows its
// app (isolate, docs/isolate.md "Spare children"), so that its launch only loads the
// app's own code. Send is required (the app's, as for New).
func Prepare(opts Options) (*Runtime, error) {
	r, err := construct(opts)
	if err != nil {
		return nil, err
	}
	r.prepared = true
	if err := r.runLoad(r.setup); err != nil {
		return nil, err
	}
	return r, nil
}

// ErrNotPrepared is Load's error for options that a prepared runtime was not set up
// with (other APIs, built-ins, setData bound or task budget), or a runtime that was not
// prepared or was already given an app: the caller uses New instead.
var ErrNotPrepared = errors.New("logic: the runtime was not prepared for these options")

// Load runs opts' app in a runtime made by Prepare, as New would have: app.js, every
// component and every page, then onLaunch and onShow. opts must agree with Prepare's
// on what the setup used (APIs, Builtins, MaxSetDataBytes, TaskBudget, DevEval): else
// ErrNotPrepared, and the runtime is left as it was (Stop it). A runtime loads one app,
// once. A load error stops it, as New's does.
func (r *Runtime) Load(opts Options) error {
	if opts.FS == nil {
		return errors.New("logic: Options.FS is required")
	}
	if opts.Send == nil {
		return errors.New("logic: Options.Send is required")
	}
	if !r.prepared || !r.setupMatches(opts) {
		return ErrNotPrepared
	}
	r.prepared = false
	opts = opts.withDefaults()
	return r.runLoad(func() error {
		// On the loop: the natives read opts from here (the loop is idle: no app code
		// has run, so nothing has been scheduled).
		r.opts = opts
		r.log = opts.logger()
		return r.loadApp()
	})
}

// withDefaults is o with the default setData bound and task budget where it has none.
func (o Options) withDefaults() Options {
	if o.MaxSetDataBytes <= 0 {
		o.MaxSetDataBytes = DefaultMaxSetDataBytes
	}
	if o.TaskBudget == 0 {
		o.TaskBudget = DefaultTaskBudget
	}
	return o
}

// logger is the runtime's logger: Logger (or slog's default), its lines tagged with
// the app id.
func (o Options) logger() *slog.Logger {
	l := o.Logger
	if l == nil {
		l = slog.Default()
	}
	return l.With("app", o.AppID)
}

// setupMatches reports whether opts would have set up the runtime as it was.
func (r *Runtime) setupMatches(opts Options) bool {
	opts = opts.withDefaults()
	o := r.opts
	return opts.MaxSetDataBytes == o.MaxSetDataBytes && opts.TaskBudget == o.TaskBudget &&
		opts.DevEval == o.DevEval && sameJSON(opts.APIs, o.APIs) && slices.Equal(opts.Builtins, o.Builtins)
}

// sameJSON compares two values by their JSON (API shapes are plain data).
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// construct makes the runtime and starts its loop; nothing has run on it yet.
func construct(opts Options) (*Runtime, error) {
	if opts.Send == nil {
		return nil, errors.New("logic: Options.Send is required")
	}
	opts = opts.withDefaults()
	r := &Runtime{
		opts:       opts,
		log:        opts.logger(),
		pages:      make(map[string]*pageState),
		apiPending: make(map[uint64]string),
		timers:     make(map[int64]*jsTimer),
	}
	r.end.finished = make(chan struct{})
	// Created here (not on the loop) so that a load timeout can interrupt it; Enqueue
	// hands it to the loop goroutine, which is its only user from then on.
	r.vm = goja.New()
	if budget := opts.TaskBudget; budget > 0 {
		r.watch = newWatchdog(budget, func(ran time.Duration) {
			r.terminate(ReasonCPU, fmt.Sprintf("a JavaScript task ran for %s, over its budget of %s", ran.Round(time.Millisecond), budget))
		})
	}
	r.loop = loop.New(loop.Options{
		BeforeTurn: r.beginTask,
		AfterTurn: func() {
			defer r.endTask()
			r.endTurn()
		},
		OnExit: r.cleanup,
		Logger: r.log,
	})
	return r, nil
}

// runLoad runs a step of the load (setup, loadApp) on the loop and waits for it, within
// loadTimeout. An error stops the runtime.
func (r *Runtime) runLoad(step func() error) error {
	errc := make(chan error, 1)
	if !r.loop.Enqueue(func() {
		err := step()
		r.loaded = err == nil && !r.prepared
		errc <- err
	}) {
		return errors.New("logic: loop stopped before start")
	}
	var err error
	select {
	case err = <-errc:
	case <-time.After(loadTimeout):
		// Top-level code that never returns (for(;;){}) would otherwise hang the host.
		r.end.halted.Store(true)
		r.vm.Interrupt("load timeout")
		select {
		case e := <-errc:
			err = fmt.Errorf("logic: loading the mini-app took longer than %s (endless loop at top level?): %w", loadTimeout, e)
		case <-time.After(StopGrace):
			err = fmt.Errorf("logic: loading the mini-app took longer than %s, stuck in a native call", loadTimeout)
		}
	}
	if err != nil {
		r.Stop()
		return err
	}
	return nil
}

// loadTimeout bounds New: loading every file plus App onLaunch/onShow.
var loadTimeout = 10 * time.Second

// setup runs on the loop: builds the runtime up to the app (the hardening, the guards,
// the timers, the framework and its natives, the extensions).
func (r *Runtime) setup() error {
	harden, framework, err := compiledSetup()
	if err != nil {
		return fmt.Errorf("logic: compile framework: %w", err)
	}
	// Deep recursion must end in a RangeError, not in a Go stack overflow of the shell.
	r.vm.SetMaxCallStackSize(8192)
	r.vm.SetPromiseRejectionTracker(r.trackRejection)
	r.errorCtor = r.vm.Get("Error")
	if err := r.runSetup(harden, r.vm.GlobalObject()); err != nil {
		return fmt.Errorf("logic: harden runtime: %w", err)
	}
	// Before any app code: bound the built-ins that recurse in Go or loop unchecked.
	if err := r.guard.install(r.vm, &r.end.halted); err != nil {
		return fmt.Errorf("logic: guard natives: %w", err)
	}
	r.installTimers()
	hostObj := r.hostObject()
	fwObj, err := r.runSetupValue(framework, hostObj, r.vm.GlobalObject())
	if err != nil {
		return fmt.Errorf("logic: start framework: %w", err)
	}
	if r.fw, err = bindFramework(fwObj); err != nil {
		return err
	}
	r.fwObj, _ = fwObj.(*goja.Object)
	if err := r.startCanvas(hostObj, fwObj); err != nil {
		return err
	}
	return r.runExtensions(fwObj)
}

// loadApp runs on the loop, after setup: loads every file of the app and launches it.
func (r *Runtime) loadApp() error {
	if !r.opts.SkipApp {
		if err := r.loadEntry("app", "app"); err != nil {
			return err
		}
	}
	for _, c := range r.opts.Components {
		// A component file that fails to load (it throws, registers nothing, or calls
		// Page()) is what WeChat logs and renders the page without: its tag stays a
		// plain container with no logic (attach skips it). Pages and app.js still stop
		// the launch.
		if err := r.loadEntry(c, "comp"); err != nil {
			r.log.Warn("logic: component left out", "component", c, "err", err)
		}
	}
	launchPage := strings.TrimPrefix(r.opts.Launch.Path, "/")
	if launchPage == "" && len(r.opts.Pages) > 0 {
		launchPage = r.opts.Pages[0]
	}
	for _, p := range r.opts.Pages {
		// A page that fails to load is what WeChat runs the app without: navigating
		// to it fails. The launch page still stops the launch: there is no app without it.
		if err := r.loadEntry(p, "page"); err != nil {
			if p == launchPage {
				return err
			}
			r.log.Warn("logic: page left out", "page", p, "err", err)
			r.brokenPages = append(r.brokenPages, p)
		}
	}
	if err := r.refreshDefs(); err != nil {
		return err
	}

	launch := r.opts.Launch
	if launch.Query == nil {
		launch.Query = map[string]string{}
	}
	launchJSON, err := json.Marshal(struct {
		LaunchOptions
		ReferrerInfo struct{} `json:"referrerInfo"`
	}{LaunchOptions: launch})
	if err != nil {
		return fmt.Errorf("logic: launch options: %w", err)
	}
	r.launchJSON = string(launchJSON)
	r.call(r.fw.launch, r.launchJSON)
	return nil
}

func (r *Runtime) runSetup(p *goja.Program, args ...goja.Value) error {
	_, err := r.runSetupValue(p, args...)
	return err
}

// runSetupValue runs a setup script (a function expression) and calls it with args.
func (r *Runtime) runSetupValue(p *goja.Program, args ...goja.Value) (goja.Value, error) {
	v, err := r.vm.RunProgram(p)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, errors.New("setup script is not a function expression")
	}
	return fn(goja.Undefined(), args...)
}

// loadEntry runs one app/component/page file as a module; errors name file:line:col.
func (r *Runtime) loadEntry(route, kind string) error {
	_, err := r.fw.loadEntry(goja.Undefined(), r.vm.ToValue(route), r.vm.ToValue(kind))
	if err != nil {
		return fmt.Errorf("logic: load %s: %s", entryFile(r.opts.FS, route), r.describeLoadError(err))
	}
	return nil
}

// Deliver enqueues an inbound envelope (nav, event, ready, apiResult). It returns false
// once the runtime is stopped. Malformed payloads are logged and dropped.
func (r *Runtime) Deliver(env bridge.Envelope) bool {
	job, err := r.inbound(env)
	if err != nil {
		r.log.Warn("logic: inbound message dropped", "kind", env.Kind, "err", err)
		return !r.loop.Stopping()
	}
	return r.loop.Enqueue(job)
}

// Definitions returns the registered component definitions by path.
func (r *Runtime) Definitions() map[string]ComponentDef {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]ComponentDef, len(r.defs))
	for k, v := range r.defs {
		out[k] = v
	}
	return out
}

// BrokenPages lists the pages whose file failed to load: the app runs without them.
func (r *Runtime) BrokenPages() []string {
	return append([]string(nil), r.brokenPages...)
}

// Stack returns the navigation stack, bottom first. Hidden tab pages are not in it.
func (r *Runtime) Stack() []PageInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]PageInfo(nil), r.snapshot...)
}

// PageData returns a page instance's data as JSON; "" means the page in front. It is
// read on the loop, so it waits for the job running now.
func (r *Runtime) PageData(pageID string) (json.RawMessage, error) {
	if r.loop.OnLoop() {
		return r.pageData(pageID)
	}
	type result struct {
		data json.RawMessage
		err  error
	}
	ch := make(chan result, 1)
	if !r.loop.Enqueue(func() {
		d, err := r.pageData(pageID)
		ch <- result{d, err}
	}) {
		return nil, errors.New("logic: runtime stopped")
	}
	select {
	case res := <-ch:
		return res.data, res.err
	case <-r.Done():
		return nil, errors.New("logic: runtime stopped")
	}
}

func (r *Runtime) pageData(pageID string) (json.RawMessage, error) {
	if pageID == "" {
		pageID = r.front
	}
	if _, ok := r.pages[pageID]; !ok {
		return nil, fmt.Errorf("logic: no page instance %q", pageID)
	}
	v, err := r.fw.pageData(goja.Undefined(), r.vm.ToValue(pageID))
	if err != nil {
		return nil, fmt.Errorf("logic: page data of %s: %w", pageID, err)
	}
	return json.RawMessage(v.String()), nil
}

// Stop ends the loop, its timers and pending work (a normal end: Err stays nil, and
// OnTerminate is not called). It interrupts running JS, and waits for the loop to exit
// unless called from the loop itself (then see Done), at most StopGrace: a loop stuck
// in a native call is abandoned then. Idempotent.
func (r *Runtime) Stop() {
	r.endMu.Lock()
	r.ended = true // a later Terminate changes nothing
	r.endMu.Unlock()
	r.loop.Stop()
	r.startGrace()
	if r.vm != nil {
		// vm is set by the start job before New returns; Interrupt is goroutine-safe and
		// also ends JS that is running now (an endless loop, or the caller's own job).
		r.vm.Interrupt("logic: runtime stopped")
	}
	if !r.loop.OnLoop() {
		<-r.end.finished
	}
}

// Done is closed once the loop has exited, or has been abandoned StopGrace after Stop
// or Terminate because a native call did not return (see StopGrace).
func (r *Runtime) Done() <-chan struct{} { return r.end.finished }

// cleanup runs on the loop goroutine as it exits.
func (r *Runtime) cleanup() {
	for id, t := range r.timers {
		t.stop()
		delete(r.timers, id)
	}
	r.afterPush, r.ticks, r.rejections = nil, nil, nil
	r.stoppedSend = true
	if r.watch != nil {
		r.watch.stop()
	}
	r.reportTermination()
	r.loopExited()
}

// endTurn runs after every loop job: nextTick callbacks, unhandled rejections, then the
// one render push of the turn.
func (r *Runtime) endTurn() {
	if r.vm == nil || r.loop.Stopping() {
		return
	}
	for rounds := 0; len(r.ticks) > 0 && rounds < 1000; rounds++ {
		ticks := r.ticks
		r.ticks = nil
		for _, fn := range ticks {
			r.call(fn)
		}
	}
	if len(r.rejections) > 0 {
		rejected := r.rejections
		r.rejections = nil
		for _, p := range rejected {
			if p.State() == goja.PromiseStateRejected {
				r.call(r.fw.rejection, p.Result(), r.vm.ToValue(p))
			}
		}
	}
	r.flush()
	r.flushQueries()
}

// flush sends the turn's render ops as one push.
func (r *Runtime) flush() {
	if r.batch.empty() {
		r.settleCallbacksWithoutPush()
		return
	}
	r.seq++
	payload := r.batch.encode(r.seq, r.lastPush+r.lastPush/4)
	r.lastPush = len(payload)
	r.batch.reset()
	r.send(bridge.Envelope{V: bridge.Version, Kind: bridge.KindRender, Payload: payload})
}

// settleCallbacksWithoutPush handles setData callbacks of a turn that pushed nothing
// (every value was undefined): they belong to the last push instead, and run now if
// that one is already acknowledged.
func (r *Runtime) settleCallbacksWithoutPush() {
	due := false
	for i := range r.afterPush {
		if r.afterPush[i].seq > r.seq {
			r.afterPush[i].seq = r.seq
			due = due || r.seq <= r.acked
		}
	}
	if due {
		r.loop.Enqueue(r.runAckedCallbacks)
	}
}

func (r *Runtime) send(env bridge.Envelope) {
	if r.stoppedSend {
		return
	}
	r.opts.Send(env)
}

// call invokes a JS function; an exception is reported (App.onError) and swallowed.
func (r *Runtime) call(fn goja.Callable, args ...any) goja.Value {
	vals := make([]goja.Value, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case goja.Value:
			vals[i] = a
		case string:
			vals[i] = r.vm.ToValue(a)
		case uint64:
			vals[i] = r.vm.ToValue(a)
		case bool:
			vals[i] = r.vm.ToValue(a)
		default:
			panic(fmt.Sprintf("logic: call with unsupported argument type %T", a))
		}
	}
	v, err := fn(goja.Undefined(), vals...)
	if err != nil {
		r.reportErr(err)
		return goja.Undefined()
	}
	return v
}

// reportErr hands a JS exception to the framework's reporter (log + App.onError).
func (r *Runtime) reportErr(err error) {
	var interrupted *goja.InterruptedError
	if errors.As(err, &interrupted) || r.loop.Stopping() {
		return
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		if _, err2 := r.fw.report(goja.Undefined(), ex.Value()); err2 == nil {
			return
		}
	}
	r.log.Error("logic: uncaught error", "err", err)
}

func (r *Runtime) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		r.rejections = append(r.rejections, p)
	case goja.PromiseRejectionHandle:
		for i, q := range r.rejections {
			if q == p {
				r.rejections = append(r.rejections[:i], r.rejections[i+1:]...)
				break
			}
		}
	}
}

// jsError builds a JS Error with the framework's captured constructor.
func (r *Runtime) jsError(format string, args ...any) *goja.Object {
	ctor, _ := goja.AssertConstructor(r.errorCtor)
	obj, err := ctor(nil, r.vm.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		return r.vm.NewTypeError(fmt.Sprintf(format, args...))
	}
	return obj
}

// clampDelay turns a JS delay into a duration the way browsers do: NaN and negatives
// are 0, anything over 2^31-1 ms is 0 too (setTimeout overflow).
func clampDelay(v goja.Value) time.Duration {
	ms := v.ToFloat()
	if ms != ms || ms < 0 || ms > 1<<31-1 {
		ms = 0
	}
	return time.Duration(ms * float64(time.Millisecond))
}
