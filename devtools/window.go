package devtools

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
	"github.com/sandframe/sandframe/render"
)

// Options configure the DevTools window.
type Options struct {
	// Automation serves the window's automation protocol on this unix socket ("" off);
	// `shell run --devtools --automation SOCK` uses SOCK.devtools.
	Automation string
	Logger     *slog.Logger
	// Audit records the messages the window's decoder refuses (nil: none).
	Audit         *bridge.AuditLog
	Width, Height int  // 0: 1000×720
	Debug         bool // WebKit's inspector on the DevTools page itself
}

// Window is an open DevTools window. Its methods may be called from any goroutine.
type Window struct {
	win  *render.Window
	svc  *Service
	log  *slog.Logger
	opts Options
	auto *automation.Server

	in      chan string
	loaded  chan struct{}
	loadOne sync.Once
	closed  chan struct{}
	closeMu sync.Once
	refused atomic.Int64

	probeMu   sync.Mutex
	probeNext uint64
	probeWait map[uint64]chan bridge.ProbeResult
}

var _ automation.Target = (*Window)(nil)

// Open shows the DevTools window of a running session, in the UI loop the session's
// own window runs (call it from any goroutine but the UI thread, once or after that
// loop started: it waits for it). hub must be the one Prepare put into the session's
// options. The window closes with its close button, when ctx ends, or with Close.
//
// `shell dev` (and `shell run --devtools`) calls:
//
//	hub := devtools.NewHub(app.Identity().Key())
//	devtools.Prepare(&opts, app, hub)
//	sess, err := host.Start(app, opts)
//	go devtools.Open(ctx, hub, sess, devtools.Options{Audit: opts.Audit, Logger: log})
//	sess.Run()
func Open(ctx context.Context, hub *Hub, sess Session, o Options) (*Window, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Width == 0 {
		o.Width, o.Height = 1000, 720
	}
	w := &Window{
		svc: NewService(hub, sess, o.Logger), log: o.Logger.With("window", "devtools"), opts: o,
		in: make(chan string, 1024), loaded: make(chan struct{}), closed: make(chan struct{}),
		probeWait: map[uint64]chan bridge.ProbeResult{},
	}
	win, err := render.OpenWindow(render.WindowOptions{
		Title: "DevTools — " + sess.DevInfo().ID, Width: o.Width, Height: o.Height, Debug: o.Debug,
		HTML: assets.DevToolsHTML(), OnMessage: w.post,
		OnClose: func() { go w.Close() },
	})
	if err != nil {
		return nil, err
	}
	w.win = win
	hub.off.Store(false)
	if o.Automation != "" {
		if w.auto, err = automation.Listen(o.Automation, w, w.log); err != nil {
			win.Close()
			return nil, err
		}
	}
	go w.pump(ctx)
	go func() {
		select {
		case <-ctx.Done():
			w.Close()
		case <-w.closed:
		}
	}()
	return w, nil
}

// Close closes the window; the session keeps running.
func (w *Window) Close() {
	w.closeMu.Do(func() {
		w.svc.hub.off.Store(true)
		close(w.closed)
		if w.auto != nil {
			w.auto.Close()
		}
		w.win.Close()
	})
}

// Done is closed once the window is closed.
func (w *Window) Done() <-chan struct{} { return w.closed }

// post runs on the UI thread: it only enqueues.
func (w *Window) post(raw string) {
	w.loadOne.Do(func() { close(w.loaded) })
	select {
	case w.in <- raw:
	default:
		w.log.Warn("DevTools page message dropped: queue full")
	}
}

func (w *Window) pump(ctx context.Context) {
	for {
		var raw string
		select {
		case raw = <-w.in:
		case <-w.closed:
			return
		}
		kind, req, pr, err := Decode([]byte(raw))
		if err != nil {
			w.refused.Add(1)
			w.log.Warn("DevTools page message refused", "kind", kind, "err", err)
			if aerr := w.opts.Audit.Record(refusedLine(kind, err)); aerr != nil {
				w.log.Error("audit write failed", "err", aerr)
			}
			continue
		}
		if kind == bridge.KindProbeResult {
			w.probeAnswer(pr)
			continue
		}
		go func() {
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			res := w.svc.Handle(rctx, req)
			env, err := bridge.NewEnvelope(bridge.KindDevToolsResult, res)
			if err != nil {
				env, _ = bridge.NewEnvelope(bridge.KindDevToolsResult, Result{ID: req.ID, Error: err.Error()})
			}
			if err := w.win.Send(env); err != nil && !errors.Is(err, render.ErrClosed) {
				w.log.Error("send to DevTools", "err", err)
			}
		}()
	}
}

// The window as an automation target (tests drive its page like the launcher's).

var devtoolsPage = automation.Page{ID: "devtools", Route: "devtools"}

// CurrentPage implements automation.Target.
func (w *Window) CurrentPage() (automation.Page, error) { return devtoolsPage, nil }

// Stack implements automation.Target.
func (w *Window) Stack() []automation.Page { return []automation.Page{devtoolsPage} }

// PageData implements automation.Target: DevTools is not a mini-app.
func (w *Window) PageData(context.Context, string) (json.RawMessage, error) {
	return nil, errors.New("DevTools is not a mini-app: it has no page data")
}

// Navigate implements automation.Target: DevTools has no routes.
func (w *Window) Navigate(context.Context, string, string, int) (automation.Page, error) {
	return automation.Page{}, errors.New("DevTools is not a mini-app: it has no routes")
}

// Probe implements automation.Target: the page runs it as real DOM events.
func (w *Window) Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	select {
	case <-w.loaded:
	case <-ctx.Done():
		return nil, fmt.Errorf("%s %s: the DevTools page has not loaded", op, selector)
	}
	ch := make(chan bridge.ProbeResult, 1)
	w.probeMu.Lock()
	w.probeNext++
	id := w.probeNext
	w.probeWait[id] = ch
	w.probeMu.Unlock()
	defer func() {
		w.probeMu.Lock()
		delete(w.probeWait, id)
		w.probeMu.Unlock()
	}()
	env, err := bridge.NewEnvelope(bridge.KindProbe, bridge.Probe{ID: id, Op: op, Selector: selector, Value: value})
	if err == nil {
		err = w.win.Send(env)
	}
	if err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		if !r.OK {
			return nil, fmt.Errorf("%s %s: %s", op, selector, r.Error)
		}
		return r.Result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%s %s: the DevTools page did not answer: %w", op, selector, ctx.Err())
	}
}

func (w *Window) probeAnswer(r bridge.ProbeResult) {
	w.probeMu.Lock()
	ch := w.probeWait[r.ID]
	w.probeMu.Unlock()
	if ch != nil {
		select {
		case ch <- r:
		default:
		}
	}
}

// Screenshot implements automation.Target, once transitions have ended.
func (w *Window) Screenshot(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := w.Probe(ctx, "settle", "", ""); err != nil {
		w.log.Debug("screenshot: DevTools did not settle", "err", err)
	}
	return w.win.Screenshot(path)
}

// Geometry implements automation.Target.
func (w *Window) Geometry() (automation.Geometry, error) {
	x, y, width, height, err := w.win.Geometry()
	return automation.Geometry{X: x, Y: y, Width: width, Height: height}, err
}

// Violations implements automation.Target: the messages the window's decoder refused.
func (w *Window) Violations() int { return int(w.refused.Load()) }

// Eval runs script in the DevTools page (automation's test-hooks build only).
func (w *Window) Eval(script string) error { return w.win.Eval(script) }
