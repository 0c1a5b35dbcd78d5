package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/identity"
)

// kioskStatus is the health signal a fleet monitor reads (kiosk.statusFile).
type kioskStatus struct {
	App         string    `json:"app"`
	State       string    `json:"state"` // starting, running, restarting, wiping, stopped, failed
	PID         int       `json:"pid"`
	Restarts    int       `json:"restarts"`
	Wipes       int       `json:"wipes"`
	LastError   string    `json:"lastError,omitempty"`
	Since       time.Time `json:"since"`
	Updated     time.Time `json:"updated"`
	SessionFrom time.Time `json:"sessionFrom"`
}

func newKioskCmd(g *globals) *cobra.Command {
	var automationSock string
	cmd := &cobra.Command{
		Use:   "kiosk [APP-ID|DIR|APP.sfa]",
		Short: "Lock this machine to one app: fullscreen, restarted on failure, wiped when idle",
		Long: `Run one app as a kiosk: fullscreen with no decorations, no way out from the keyboard
(Alt+F4, Ctrl+W, Ctrl+Q, Escape do nothing) except the operator's chord Ctrl+Alt+Shift+Q
and the PIN from kiosk.pin; restarted within seconds when it fails, with backoff and a cap;
wiped (storage, one-time grants, cookies) and started fresh after kiosk.idleWipe without
use. Prompts are answered only by the kiosk policy (permissions.prompts), never by a
passer-by. Logs go to stdout as JSON lines; kiosk.statusFile is the health signal.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, func(v interface{ Set(string, any) }) {
				v.Set("permissions.prompt", "policy") // nobody at a kiosk answers for its owner
				v.Set("log.format", "json")
			})
			if err != nil {
				return err
			}
			target := cfg.Kiosk.App
			if len(args) == 1 {
				target = args[0]
			}
			if target == "" {
				return badInput(errors.New("kiosk: name the app (shell kiosk APP-ID) or set kiosk.app"))
			}
			return runKiosk(cfg, target, automationSock)
		},
	}
	cmd.Flags().StringVar(&automationSock, "automation", "", "serve the automation protocol on this unix socket (tests)")
	return cmd
}

// runKiosk runs target until the operator leaves, restarting it when it fails and
// wiping it when idle.
func runKiosk(cfg configs.Config, target, automationSock string) error {
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: levelOf(cfg.Log.Level)}))
	svc, err := openServices(cfg, log)
	if err != nil {
		return err
	}
	defer svc.close()
	status := kioskStatus{App: target, PID: os.Getpid(), Since: time.Now().UTC()}
	writeStatus := func(state, lastErr string) {
		status.State, status.Updated = state, time.Now().UTC()
		if lastErr != "" {
			status.LastError = lastErr
		}
		raw, _ := json.MarshalIndent(status, "", "  ")
		if err := atomicfile.Write(cfg.KioskStatusPath(), raw, 0o644); err != nil {
			log.Error("kiosk: status file", "err", err)
		}
	}
	os.MkdirAll(filepath.Dir(cfg.KioskStatusPath()), 0o700)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	var failures []time.Time
	for {
		writeStatus("starting", "")
		app, cleanup, err := loadForRun(cfg, target, false)
		var sess *host.Session
		if err == nil {
			opts := svc.hostOptions()
			opts.Automation = automationSock
			opts.Kiosk = &host.Kiosk{PIN: cfg.Kiosk.PIN}
			opts.Isolation = isolationFor(cfg, app.Identity(), app.Verified)
			sess, err = host.Start(app, opts)
		}
		var idled, stopped atomic.Bool
		if err == nil {
			status.SessionFrom = time.Now().UTC()
			writeStatus("running", "")
			done := make(chan struct{})
			go func() {
				t := time.NewTicker(time.Second)
				defer t.Stop()
				for {
					select {
					case <-done:
						return
					case <-stop:
						stopped.Store(true)
						sess.Close()
						exitIfShutdownHangs(log)
						return
					case <-t.C:
						if cfg.Kiosk.IdleWipe > 0 && sess.Idle() > cfg.Kiosk.IdleWipe {
							idled.Store(true)
							sess.Close()
							return
						}
					}
				}
			}()
			err = sess.Run()
			close(done)
		}
		cleanup()
		switch {
		case sess != nil && sess.ExitRequested(), stopped.Load():
			writeStatus("stopped", "")
			return nil
		case idled.Load():
			log.Info("kiosk: idle; wiping the session", "app", app.Project.App.ID, "idle", cfg.Kiosk.IdleWipe.String())
			writeStatus("wiping", "")
			if werr := wipeSession(svc, app.Identity()); werr != nil {
				log.Error("kiosk: wipe", "err", werr)
			}
			status.Wipes++
			continue
		}
		// It failed (or its window went away): restart, with backoff and a cap.
		msg := "the app ended"
		if err != nil {
			msg = err.Error()
		}
		now := time.Now()
		failures = append(failures, now)
		for len(failures) > 0 && now.Sub(failures[0]) > cfg.Kiosk.RestartWindow {
			failures = failures[1:]
		}
		if len(failures) > cfg.Kiosk.MaxRestarts {
			writeStatus("failed", msg)
			return fmt.Errorf("kiosk: %s failed %d times in %s; giving up: %s", target, len(failures), cfg.Kiosk.RestartWindow, msg)
		}
		delay := time.Duration(1<<min(len(failures)-1, 6)) * 250 * time.Millisecond // 0.25 s, 0.5 s, 1 s, … 16 s
		status.Restarts++
		log.Warn("kiosk: restarting", "app", target, "attempt", len(failures), "in", delay.String(), "reason", msg)
		writeStatus("restarting", msg)
		time.Sleep(delay)
	}
}

// wipeSession makes the app start fresh for the next person: every store of the one
// list wipes its session scope (storage, what it shared, one-time grants, cookies,
// cached remote images; see internal/appdata).
func wipeSession(svc *services, app identity.App) error {
	return svc.appStores().Wipe(context.Background(), app, appdata.Session)
}

func levelOf(s string) slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(s))
	return l
}
