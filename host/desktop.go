package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
)

// App states the desktop reports.
const (
	StateStopped = "stopped"
	StateRunning = "running"
	StateHidden  = "hidden"
)

// DesktopOptions configure a Desktop.
type DesktopOptions struct {
	// Session are the options every app's session starts with (the shared services).
	Session Options
	// Load loads an installed app by id, verified; cleanup runs when the app stops.
	Load func(id string) (app *App, cleanup func(), err error)
	// Isolation says where an app's logic runs ("goroutine" or "process").
	Isolation func(app *App) string
	// KeepHidden is how long a closed (hidden) app stays alive; 0 stops it at once.
	KeepHidden time.Duration
	// Automation, when set, is a socket path prefix: each app serves the automation
	// protocol at Automation + "." + its id.
	Automation string
	// OnChange is told whenever an app starts, hides, shows or stops.
	OnChange func()
	// OnFailed is told when an app stopped on its own: its logic failed or the monitor
	// terminated it (not when it was closed).
	OnFailed func(id string, err error)
	Logger   *slog.Logger
}

// Desktop runs several mini-apps at once, each in its own window of the one UI loop
// the launcher's window drives. Closing an app's window hides the app; it is stopped
// after KeepHidden unless it is shown again first.
type Desktop struct {
	opts DesktopOptions
	log  *slog.Logger

	mu        sync.Mutex
	apps      map[string]*desktopApp
	launching map[string]chan struct{} // closed when that app's launch has ended
	closing   bool
}

type desktopApp struct {
	sess    *Session
	timer   *time.Timer // stops the app while it is hidden
	cleanup func()
}

// NewDesktop returns an empty desktop.
func NewDesktop(o DesktopOptions) *Desktop {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Desktop{opts: o, log: o.Logger, apps: map[string]*desktopApp{}, launching: map[string]chan struct{}{}}
}

// AutomationPath is where app id serves automation when the desktop's prefix is base.
func AutomationPath(base, id string) string { return base + "." + id }

// Launch starts app id in a new window, or shows its window if it runs already.
func (d *Desktop) Launch(ctx context.Context, id string) error {
	d.mu.Lock()
	if d.closing {
		d.mu.Unlock()
		return errors.New("the shell is closing")
	}
	if a := d.apps[id]; a != nil {
		if a.timer != nil {
			a.timer.Stop()
			a.timer = nil
		}
		d.mu.Unlock()
		if err := a.sess.Show(); err != nil {
			return fmt.Errorf("show %s: %w", id, err)
		}
		d.changed()
		return nil
	}
	if wait := d.launching[id]; wait != nil {
		// A second click while the first launch runs: one window, one logic.
		d.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return fmt.Errorf("launch %s: %w", id, ctx.Err())
		}
		return d.Launch(ctx, id)
	}
	done := make(chan struct{})
	d.launching[id] = done
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.launching, id)
		d.mu.Unlock()
		close(done)
	}()

	began := time.Now()
	app, cleanup, err := d.opts.Load(id)
	if err != nil {
		return fmt.Errorf("launch %s: %w", id, err)
	}
	d.log.Debug("launch timeline", "app", id, "step", "loaded (before the session)", "ms", msSince(began))
	o := d.opts.Session
	if d.opts.Automation != "" {
		o.Automation = AutomationPath(d.opts.Automation, id)
	}
	if d.opts.Isolation != nil {
		o.Isolation = d.opts.Isolation(app)
	}
	sess, err := Start(app, o)
	if err != nil {
		cleanup()
		return fmt.Errorf("launch %s: %w", id, err)
	}
	a := &desktopApp{sess: sess, cleanup: cleanup}
	d.mu.Lock()
	if d.closing {
		// The shell closes: stop this one (never opened: nothing else would end it).
		d.mu.Unlock()
		sess.Close()
		sess.shutdown()
		cleanup()
		return errors.New("the shell is closing")
	}
	d.apps[id] = a
	d.mu.Unlock()
	if err := sess.Open(func() { go d.closed(id) }); err != nil {
		d.forget(id, a)
		return fmt.Errorf("launch %s: %w", id, err)
	}
	go func() {
		<-sess.Done()
		if err := sess.Err(); err != nil {
			d.log.Warn("app stopped", "app", id, "err", err)
			if d.opts.OnFailed != nil {
				d.opts.OnFailed(id, err)
			}
		} else {
			d.log.Info("app stopped", "app", id)
		}
		d.forget(id, a)
	}()
	d.log.Info("app started", "app", id)
	d.changed()
	return nil
}

// closed is the app window's close button: the app hides and is stopped later.
func (d *Desktop) closed(id string) {
	d.mu.Lock()
	a := d.apps[id]
	if a == nil {
		d.mu.Unlock()
		return
	}
	if d.opts.KeepHidden <= 0 {
		d.mu.Unlock()
		d.Stop(id)
		return
	}
	if a.timer != nil {
		a.timer.Stop()
	}
	a.timer = time.AfterFunc(d.opts.KeepHidden, func() {
		d.log.Info("hidden app stopped after keepHidden", "app", id, "after", d.opts.KeepHidden)
		d.Stop(id)
	})
	d.mu.Unlock()
	if err := a.sess.Hide(); err != nil {
		d.log.Warn("hide", "app", id, "err", err)
	}
	d.changed()
}

// forget drops a stopped app and runs its cleanup once.
func (d *Desktop) forget(id string, a *desktopApp) {
	d.mu.Lock()
	if d.apps[id] != a {
		d.mu.Unlock()
		return
	}
	delete(d.apps, id)
	if a.timer != nil {
		a.timer.Stop()
	}
	d.mu.Unlock()
	a.cleanup()
	d.changed()
}

// Stop stops app id, running or hidden, and waits until it has stopped. Stopping an app
// that does not run is not an error.
func (d *Desktop) Stop(id string) error {
	d.mu.Lock()
	a := d.apps[id]
	d.mu.Unlock()
	if a == nil {
		return nil
	}
	a.sess.Close()
	select {
	case <-a.sess.Done():
	case <-time.After(10 * time.Second):
		return fmt.Errorf("stop %s: it did not stop within 10s", id)
	}
	d.forget(id, a)
	return nil
}

// State says whether app id runs, is hidden or is stopped.
func (d *Desktop) State(id string) string {
	d.mu.Lock()
	a := d.apps[id]
	d.mu.Unlock()
	switch {
	case a == nil:
		return StateStopped
	case a.sess.Hidden():
		return StateHidden
	}
	return StateRunning
}

// Running lists the ids of the apps that run or are hidden, sorted.
func (d *Desktop) Running() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := make([]string, 0, len(d.apps))
	for id := range d.apps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Session is app id's running session, if any (automation and tests).
func (d *Desktop) Session(id string) (*Session, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.apps[id]
	if a == nil {
		return nil, false
	}
	return a.sess, true
}

// StopAll stops every app and refuses new launches: the shell is closing. Call it
// while the UI loop still runs, from a goroutine of its own.
func (d *Desktop) StopAll() error {
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
	var errs []string
	for _, id := range d.Running() {
		if err := d.Stop(id); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

func (d *Desktop) changed() {
	if d.opts.OnChange != nil {
		d.opts.OnChange()
	}
}
