// Package dev is `shell dev DIR`: the app in a simulator window (a device frame with
// presets, light/dark, zoom, WebKit's Web Inspector), reloaded as its files change
// (WXSS swapped into the running page; WXML, JS, TS and JSON recompiled and restarted
// with the same page stack), and compile errors shown over the page and in the terminal
// while the last good version keeps running. docs/dev.md.
//
// The simulator keeps one window for its whole life; each reload runs a new
// host.Session in it (host.Session.RunIn) and loads the page again. Session is what
// other tools attach to (the DevTools window): the running app's host session and a
// stream of Events.
package dev

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/automation"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/render"
)

// Options configure a simulator.
type Options struct {
	Dir string
	// Host configures each session (services, config); its Automation is served by the
	// simulator instead (one socket across reloads), and its Config.Window.Debug is
	// turned on (WebKit's Web Inspector: right-click, Inspect Element).
	Host host.Options
	// Automation is the unix socket to serve the automation protocol on ("": none).
	Automation string
	Preset     string  // a Presets name ("" = DefaultPreset)
	Theme      string  // "light" (default) or "dark"
	Zoom       float64 // 0 = 1
	// Debounce joins the events of one save (0 = 40 ms).
	Debounce time.Duration
	// Out is the terminal: reloads and compile errors are written there (nil: stderr).
	Out io.Writer
	Log *slog.Logger
	// OnOpen, when set, runs once the simulator's window is open and the UI loop runs
	// (on its own goroutine): where other windows open beside it (the DevTools window,
	// render.OpenWindow).
	OnOpen func(*Session)
}

// EventKind says what happened.
type EventKind string

// The events a Session reports.
const (
	// EventStarted: a new session runs the app (the first, and each after a reload,
	// including the last good version started again): attach to Host() again.
	EventStarted EventKind = "started"
	// EventStyles: changed WXSS was swapped into the running page.
	EventStyles EventKind = "styles"
	// EventReloaded: the app was recompiled and restarted with its page stack.
	EventReloaded EventKind = "reloaded"
	// EventCompileError: a change did not compile; the last good version runs on.
	EventCompileError EventKind = "compileError"
	// EventDevice, EventTheme: the simulator's preset or theme changed.
	EventDevice EventKind = "device"
	EventTheme  EventKind = "theme"
	// EventStopped: the app's session ended without a reload (its logic failed).
	EventStopped EventKind = "stopped"
)

// Event is one thing that happened in the simulator.
type Event struct {
	Kind  EventKind     `json:"kind"`
	Time  time.Time     `json:"time"`
	Files []string      `json:"files,omitempty"`
	Error *CompileError `json:"error,omitempty"`
	// Took is edit-to-screen time: from the first edit seen to the page showing it.
	Took time.Duration `json:"took,omitempty"`
	// Generation counts the sessions run so far (1 for the first).
	Generation int    `json:"generation"`
	Detail     string `json:"detail,omitempty"`
}

// Session is one `shell dev`: the simulator window and the app's current session.
type Session struct {
	o    Options
	log  *slog.Logger
	out  io.Writer
	win  *render.Window
	html string

	mu         sync.Mutex
	cur        *host.Session // nil while a reload swaps sessions
	curSet     chan struct{} // closed while cur is set
	good       *host.App     // the last version that compiled and started
	generation int
	lastErr    *CompileError
	lastTook   time.Duration
	preset     int
	theme      string
	zoom       float64
	subs       map[chan Event]bool
	closed     bool
	reloading  sync.Mutex // one reload at a time

	// pageGate drops the page's messages from a document a reload replaced: until the
	// new document's first ready, nothing reaches the new session.
	pageMu    sync.Mutex
	pageOpen  bool
	stash     string // the new document's first ready, while no session runs
	done      chan struct{}
	closeOnce sync.Once
	auto      *automation.Server
	w         *watcher
}

// Start compiles the project and starts its logic; nothing is shown yet. A broken
// project fails here, as `shell run` fails, with its file and line.
func Start(o Options) (*Session, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Out == nil {
		o.Out = os.Stderr
	}
	if o.Debounce <= 0 {
		o.Debounce = 40 * time.Millisecond
	}
	if o.Zoom <= 0 {
		o.Zoom = 1
	}
	if o.Preset == "" {
		o.Preset = DefaultPreset
	}
	preset, err := FindPreset(o.Preset)
	if err != nil {
		return nil, err
	}
	if o.Theme != "dark" {
		o.Theme = "light"
	}
	o.Host.Config.Window.Debug = true // dev only: WebKit's inspector on the page
	// A device's 750rpx is its width (a tablet's too): the desktop's cap on the width
	// rpx spans (window.rpxMaxWidth, for kiosks' wide screens) is not a device's.
	o.Host.Config.Window.RpxMaxWidth = 0
	o.Host.Config.System.Theme = o.Theme
	o.Host.Automation = ""
	d := &Session{o: o, log: o.Log, out: o.Out, html: assets.PageHTML(), curSet: make(chan struct{}),
		preset: preset, theme: o.Theme, zoom: o.Zoom, subs: map[chan Event]bool{}, done: make(chan struct{}), pageOpen: true}
	d.sizeConfig()
	app, err := loadApp(o.Dir)
	if err != nil {
		return nil, err
	}
	sess, err := d.startHost(app, "")
	if err != nil {
		return nil, err
	}
	d.good = app
	d.setCurrent(sess)
	return d, nil
}

// sizeConfig makes new sessions start at the preset's size.
func (d *Session) sizeConfig() {
	p := Presets[d.preset]
	d.o.Host.Config.Window.Width, d.o.Host.Config.Window.Height = p.Width, p.Height
	d.o.Host.Config.System.Theme = d.theme
}

func (d *Session) startHost(app *host.App, startPage string) (*host.Session, error) {
	opts := d.o.Host
	opts.StartPage = startPage
	sess, err := host.Start(app, opts)
	if err != nil {
		return nil, err
	}
	p := Presets[d.preset]
	sess.SetDevice(host.Device{Model: p.Name, Width: p.Width, Height: p.Height, PixelRatio: p.PixelRatio})
	sess.EnableProbes()
	return sess, nil
}

func (d *Session) setCurrent(s *host.Session) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cur = s
	if s != nil {
		d.generation++
		select {
		case <-d.curSet:
		default:
			close(d.curSet)
		}
		return
	}
	select {
	case <-d.curSet:
		d.curSet = make(chan struct{})
	default:
	}
}

// Host is the app's running session now (nil during the instant a reload swaps
// sessions; Events says when a new one started).
func (d *Session) Host() *host.Session {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cur
}

// current waits for a running session (during a reload) until ctx ends.
func (d *Session) current(ctx context.Context) (*host.Session, error) {
	for {
		d.mu.Lock()
		cur, set, closed := d.cur, d.curSet, d.closed
		d.mu.Unlock()
		if closed {
			return nil, errors.New("the simulator is closed")
		}
		if cur != nil {
			return cur, nil
		}
		select {
		case <-set:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Window is the simulator's window (nil before Run).
func (d *Session) Window() *render.Window { return d.win }

// Subscribe returns a stream of the simulator's events from now on, and the function
// that ends it. A subscriber that falls behind loses events (the stream never blocks
// the simulator).
func (d *Session) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 64)
	d.mu.Lock()
	d.subs[ch] = true
	d.mu.Unlock()
	return ch, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.subs[ch] {
			delete(d.subs, ch)
			close(ch)
		}
	}
}

func (d *Session) emit(e Event) {
	e.Time = time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if e.Took > 0 {
		d.lastTook = e.Took
	}
	e.Generation = d.generation
	for ch := range d.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// Status is the simulator's state (automation's dev.status).
type Status struct {
	Generation int           `json:"generation"`
	Preset     string        `json:"preset"`
	Width      int           `json:"width"`
	Height     int           `json:"height"`
	PixelRatio float64       `json:"pixelRatio"`
	Theme      string        `json:"theme"`
	Zoom       float64       `json:"zoom"`
	Error      *CompileError `json:"error,omitempty"`
	// LastTookMS is the last applied change's edit-to-screen time in milliseconds
	// (first edit seen → styles sent, or → the page stack restored).
	LastTookMS float64 `json:"lastTookMs"`
}

// Status reports the simulator's state.
func (d *Session) Status() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := Presets[d.preset]
	return Status{Generation: d.generation, Preset: p.Name, Width: p.Width, Height: p.Height, PixelRatio: p.PixelRatio,
		Theme: d.theme, Zoom: d.zoom, Error: d.lastErr, LastTookMS: float64(d.lastTook.Microseconds()) / 1000}
}

// Run opens the simulator and serves until its window is closed or Close. Call it on
// the main OS thread (GTK's).
func (d *Session) Run() error {
	if err := render.InitUI(); err != nil {
		d.Host().Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- d.open() }()
	render.RunLoop()
	err := <-errc
	d.shutdown()
	return err
}

// open creates the window in the running UI loop and starts serving; it ends the loop
// when the simulator closes.
func (d *Session) open() (err error) {
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	sess := d.Host()
	p := Presets[d.preset]
	d.win, err = render.OpenWindow(render.WindowOptions{
		Title: sess.Title() + " — Sandframe simulator", Width: p.Width, Height: p.Height,
		Debug: true, HTML: d.html, Script: assets.RuntimeScript(),
		OnMessage: d.post, OnClose: d.Close, OnIconify: nil, Images: imageSource{d},
	})
	if err != nil {
		return err
	}
	labels := make([]string, len(Presets))
	for i, pr := range Presets {
		labels[i] = pr.Label()
	}
	if err := d.win.SimToolbar(labels, d.preset, d.control); err != nil {
		return err
	}
	if err := d.win.SimFrame(p.Width, p.Height, d.zoom); err != nil {
		return err
	}
	_ = d.win.SimDark(d.theme == "dark")
	if d.o.Automation != "" {
		d.auto, err = automation.Listen(d.o.Automation, &target{d: d}, d.log)
		if err != nil {
			return err
		}
	}
	d.w, err = watch(d.o.Dir, d.o.Debounce)
	if err != nil {
		return fmt.Errorf("watch %s: %w", d.o.Dir, err)
	}
	go d.serve(sess)
	d.emit(Event{Kind: EventStarted})
	if d.o.OnOpen != nil {
		go d.o.OnOpen(d)
	}
	fmt.Fprintf(d.out, "shell dev: %s runs in the simulator (%s); watching %s for changes\n", sess.Title(), p.Label(), d.o.Dir)
	go d.follow()
	<-d.done
	return nil
}

// post hands the page's message to the current session. It runs on the UI thread.
func (d *Session) post(raw string) {
	d.pageMu.Lock()
	if !d.pageOpen {
		if !isFirstReady(raw) {
			d.pageMu.Unlock()
			return // from the document a reload replaced
		}
		d.pageOpen = true
	}
	s := d.Host()
	if s == nil {
		// The new document loaded before the new session started (they start
		// together): its ready waits for the session.
		if isFirstReady(raw) {
			d.stash = raw
		}
		d.pageMu.Unlock()
		return
	}
	d.pageMu.Unlock()
	s.Post(raw)
}

// runNext makes sess the current session and serves it in the window; a ready the
// page sent while no session ran goes to it.
func (d *Session) runNext(sess *host.Session) {
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed { // the simulator closed during the reload
		sess.Close()
		go sess.RunHeadless(closedSurface{})
		return
	}
	d.pageMu.Lock()
	d.setCurrent(sess)
	raw := d.stash
	d.stash = ""
	d.pageMu.Unlock()
	go d.serve(sess)
	if raw != "" {
		sess.Post(raw)
	}
	d.emit(Event{Kind: EventStarted})
}

// isFirstReady reports whether raw is a page's ready{seq:0}: a new document starting.
func isFirstReady(raw string) bool {
	var env struct {
		Kind    string `json:"kind"`
		Payload struct {
			Seq *int `json:"seq"`
		} `json:"payload"`
	}
	if json.Unmarshal([]byte(raw), &env) != nil || env.Kind != "ready" {
		return false
	}
	return env.Payload.Seq == nil || *env.Payload.Seq == 0
}

// serve runs sess in the window until it ends; a session that ends on its own (its
// logic failed) leaves the simulator open with the reason over the page.
func (d *Session) serve(sess *host.Session) {
	err := sess.RunIn(d.win)
	d.mu.Lock()
	replaced := d.cur != sess || d.closed
	d.mu.Unlock()
	if replaced {
		return
	}
	msg := "the app stopped"
	if err != nil {
		msg = err.Error()
	}
	fmt.Fprintf(d.out, "shell dev: %s; save a change to start it again\n", msg)
	d.emit(Event{Kind: EventStopped, Detail: msg})
}

// follow applies each change the watcher reports until the simulator closes.
func (d *Session) follow() {
	for {
		select {
		case c, ok := <-d.w.out:
			if !ok {
				return
			}
			d.Apply(c)
		case err := <-d.w.errs:
			d.log.Warn("shell dev: watching the project", "err", err)
		case <-d.done:
			return
		}
	}
}

// Apply carries out one change: WXSS is swapped into the running page; anything else
// recompiles and restarts the app with its page stack. A change that does not compile
// is reported and leaves the running version as it is.
func (d *Session) Apply(c Change) {
	d.reloading.Lock()
	defer d.reloading.Unlock()
	app, err := loadApp(d.o.Dir)
	if err != nil {
		d.compileFailed(c, err, false)
		return
	}
	if c.StylesOnly {
		if sess := d.Host(); sess != nil {
			sess.SwapStyles(host.StylesOf(app))
			d.clearError(sess)
			took := time.Since(c.At)
			d.emit(Event{Kind: EventStyles, Files: c.Files, Took: took})
			fmt.Fprintf(d.out, "shell dev: styles swapped in (%s) in %v\n", strings.Join(c.Files, ", "), took.Round(time.Millisecond))
			return
		}
	}
	if err := d.restart(app, c); err != nil {
		d.compileFailed(c, err, true)
		return
	}
	d.good = app
}

// restart stops the running session and starts app with the same page stack.
func (d *Session) restart(app *host.App, c Change) error {
	old := d.Host()
	var stack []automation.Page
	if old != nil {
		stack = old.Stack()
	}
	start := ""
	if len(stack) > 0 {
		start = pageURL(stack[0])
	}
	d.pageMu.Lock()
	d.pageOpen = false
	d.pageMu.Unlock()
	d.setCurrent(nil)
	if old != nil {
		old.Close()
		<-old.Done()
	}
	tStopped := time.Now()
	// The page loads again while the new logic starts.
	if err := d.win.Reload(d.html); err != nil {
		return err
	}
	sess, err := d.startHost(app, start)
	tStarted := time.Now()
	restarted := false
	if err != nil {
		// The new version fails as it starts (a throw at the top level): the last good
		// one starts again in its place, with the stack.
		var gerr error
		sess, gerr = d.startHost(d.good, start)
		if gerr != nil {
			return fmt.Errorf("%w (and the last good version did not start again: %v)", err, gerr)
		}
		restarted = true
	}
	d.runNext(sess)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case <-sess.Launched():
	case <-sess.Done():
		return errors.New("the app stopped as it started")
	case <-ctx.Done():
		return errors.New("the page did not load in 10 s")
	}
	tLaunched := time.Now()
	for _, p := range stackAfterLaunch(stack) {
		if _, nerr := sess.Navigate(ctx, "navigateTo", pageURL(p), 0); nerr != nil {
			fmt.Fprintf(d.out, "shell dev: page %s not reopened: %v\n", pageURL(p), nerr)
			break
		}
	}
	if restarted {
		return err
	}
	took := time.Since(c.At)
	d.log.Debug("shell dev: reload", "compiled+stopped", tStopped.Sub(c.At), "logic started", tStarted.Sub(tStopped),
		"launched", tLaunched.Sub(tStarted), "stack restored", time.Since(tLaunched))
	d.clearError(nil)
	d.emit(Event{Kind: EventReloaded, Files: c.Files, Took: took})
	fmt.Fprintf(d.out, "shell dev: reloaded (%s) in %v, %d page(s) reopened\n", strings.Join(c.Files, ", "), took.Round(time.Millisecond), len(stack))
	return nil
}

// stackAfterLaunch is what navigateTo reopens after the launch page.
func stackAfterLaunch(stack []automation.Page) []automation.Page {
	if len(stack) < 2 {
		return nil
	}
	return stack[1:]
}

// pageURL is the url that opens p again: its route with its query, values as the app
// got them (keys sorted).
func pageURL(p automation.Page) string {
	u := "/" + strings.TrimPrefix(p.Route, "/")
	if len(p.Query) == 0 {
		return u
	}
	keys := make([]string, 0, len(p.Query))
	for k := range p.Query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = url.PathEscape(k) + "=" + p.Query[k]
	}
	return u + "?" + strings.Join(parts, "&")
}

func (d *Session) compileFailed(c Change, err error, restarted bool) {
	ce := compileError(err)
	ce.Restarted = restarted
	d.mu.Lock()
	d.lastErr = ce
	d.mu.Unlock()
	fmt.Fprintf(d.out, "shell dev: compile error: %s\n  the last good version keeps running; save a fix to reload\n", ce.Text)
	if sess := d.Host(); sess != nil {
		select {
		case <-sess.Launched():
			sess.DevOverlay(overlayText(ce))
		default:
			// The page loads after this: the overlay waits for init with the rest.
			sess.DevOverlay(overlayText(ce))
		}
	}
	d.emit(Event{Kind: EventCompileError, Files: c.Files, Error: ce})
}

// clearError forgets the last compile error and takes its overlay away from sess
// (nil: a fresh page has none).
func (d *Session) clearError(sess *host.Session) {
	d.mu.Lock()
	had := d.lastErr != nil
	d.lastErr = nil
	d.mu.Unlock()
	if had && sess != nil {
		sess.DevOverlay("")
	}
}

// Close ends the simulator from any goroutine.
func (d *Session) Close() {
	d.closeOnce.Do(func() {
		d.mu.Lock()
		d.closed = true
		cur := d.cur
		d.mu.Unlock()
		if cur != nil {
			cur.Close()
		}
		close(d.done)
		render.Do(render.QuitLoop)
	})
}

// shutdown waits for what Close started.
func (d *Session) shutdown() {
	d.Close()
	if d.w != nil {
		d.w.close()
	}
	if d.auto != nil {
		d.auto.Close()
	}
	if cur := d.Host(); cur != nil {
		<-cur.Done()
	}
	d.mu.Lock()
	for ch := range d.subs {
		close(ch)
	}
	d.subs = map[chan Event]bool{}
	d.mu.Unlock()
}

// closedSurface lets a session that started after the simulator closed shut down.
type closedSurface struct{}

func (closedSurface) Send(bridge.Envelope) error { return nil }
func (closedSurface) Close()                     {}

// Done is closed when the simulator closes (its window, Ctrl+C, or automation).
func (d *Session) Done() <-chan struct{} { return d.done }
