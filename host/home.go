package host

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/sandframe/sandframe/automation"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/render"
)

// HomeOptions configure the launcher's window.
type HomeOptions struct {
	Title         string
	Width, Height int
	Debug         bool
	HTML          string // the launcher's document (assets.LauncherHTML)
	// OnMessage receives what the page posts (the launcher service's Post); it runs on
	// the UI thread and must only enqueue.
	OnMessage func(raw string)
	// OnLoaded runs once, on the UI thread, when the page has loaded (its first
	// message): from then on what is sent to it is heard.
	OnLoaded func()
	// OnClose is the window's close button (the shell quits); it runs on the UI thread.
	OnClose    func()
	Automation string // unix socket path; "" leaves automation off
	Logger     *slog.Logger
}

// Home is the launcher's window: the shell's own trusted page, not a mini-app. Its
// Run drives the UI loop every mini-app window of the process shares.
type Home struct {
	win  *render.Window
	log  *slog.Logger
	auto *automation.Server

	loaded     chan struct{} // closed by the page's first message
	loadedOnce sync.Once

	probes probeTable
	ops    LauncherOps   // host/homeops.go: automation's way to the launcher service
	opsSet chan struct{} // closed once SetLauncherOps ran
}

// The launcher's window is an automation target too (tests drive its page).
var _ automation.Target = (*Home)(nil)

// NewHome creates the launcher's window; call it on the UI thread (the main OS
// thread), then Run.
func NewHome(o HomeOptions) (*Home, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h := &Home{log: o.Logger, loaded: make(chan struct{}), opsSet: make(chan struct{})}
	win, err := render.NewWindow(render.WindowOptions{
		Title: o.Title, Width: o.Width, Height: o.Height, Debug: o.Debug, HTML: o.HTML,
		OnMessage: func(raw string) {
			h.loadedOnce.Do(func() {
				close(h.loaded)
				if o.OnLoaded != nil {
					o.OnLoaded()
				}
			})
			if o.OnMessage != nil {
				o.OnMessage(raw)
			}
		},
		OnClose: o.OnClose,
	})
	if err != nil {
		return nil, err
	}
	h.win = win
	if o.Automation != "" {
		if h.auto, err = automation.Listen(o.Automation, h, h.log); err != nil {
			win.Close()
			win.Run()
			return nil, err
		}
	}
	return h, nil
}

// Run shows the window and runs the UI loop until Close.
func (h *Home) Run() {
	h.win.Run()
	if h.auto != nil {
		h.auto.Close()
	}
}

// Close closes the launcher's window; Run returns.
func (h *Home) Close() { h.win.Close() }

// Send delivers an envelope to the launcher's page; it never blocks.
func (h *Home) Send(env bridge.Envelope) error { return h.win.Send(env) }

// PickFile opens the shell's file chooser over the launcher ("" when cancelled).
func (h *Home) PickFile(ctx context.Context, title string, patterns []string) (string, error) {
	files, err := h.win.PickFilesOf(ctx, title, false, "Sandframe mini-apps", patterns)
	if err != nil || len(files) == 0 {
		return "", err
	}
	return files[0], nil
}

// ProbeResult takes an automation probe's answer from the page.
func (h *Home) ProbeResult(r bridge.ProbeResult) { h.probes.answer(r) }

// launcherPage is the one page the launcher's window shows, as automation names it.
var launcherPage = automation.Page{ID: "launcher", Route: "launcher"}

// CurrentPage implements automation.Target.
func (h *Home) CurrentPage() (automation.Page, error) { return launcherPage, nil }

// Stack implements automation.Target.
func (h *Home) Stack() []automation.Page { return []automation.Page{launcherPage} }

// PageData implements automation.Target: the launcher has no mini-app data.
func (h *Home) PageData(context.Context, string) (json.RawMessage, error) {
	return nil, errors.New("the launcher is not a mini-app: it has no page data")
}

// Navigate implements automation.Target: the launcher has no routes.
func (h *Home) Navigate(context.Context, string, string, int) (automation.Page, error) {
	return automation.Page{}, errors.New("the launcher is not a mini-app: it has no routes")
}

// Probe implements automation.Target: the launcher's page runs it as real DOM events.
func (h *Home) Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	return h.probes.ask(ctx, h.loaded, h.win.Send, op, selector, value)
}

// Screenshot implements automation.Target, once transitions have ended.
func (h *Home) Screenshot(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := h.Probe(ctx, "settle", "", ""); err != nil {
		h.log.Debug("screenshot: the launcher did not settle", "err", err)
	}
	return h.win.Screenshot(path)
}

// Geometry implements automation.Target.
func (h *Home) Geometry() (automation.Geometry, error) {
	x, y, w, hh, err := h.win.Geometry()
	return automation.Geometry{X: x, Y: y, Width: w, Height: hh}, err
}

// Violations implements automation.Target; the launcher service audits refusals.
func (h *Home) Violations() int { return 0 }

// Test hooks (automation's test build): the launcher's dialogs and scripts.

// Eval runs script in the launcher's page.
func (h *Home) Eval(script string) error { return h.win.Eval(script) }

// OpenDialogs counts the shell's open dialogs.
func (h *Home) OpenDialogs() int { return render.OpenDialogs() }

// AnswerPrompt presses a button of the oldest open prompt.
func (h *Home) AnswerPrompt(button int) error { return h.win.AnswerPrompt(button) }

// AnswerSettings saves the oldest open settings dialog.
func (h *Home) AnswerSettings(on []bool) error { return h.win.AnswerSettings(on) }

// AnswerFiles answers the oldest open file chooser.
func (h *Home) AnswerFiles(path string) error { return h.win.AnswerFiles(path) }
