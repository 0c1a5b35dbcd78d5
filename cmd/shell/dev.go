package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/dev"
	"github.com/sandframe/sandframe/devtools"
	"github.com/sandframe/sandframe/host"
)

func newDevCmd(g *globals) *cobra.Command {
	var automationSock, page, preset, theme, isolation string
	var zoom float64
	var withDevTools bool
	cmd := &cobra.Command{
		Use:   "dev DIR",
		Short: "Develop a mini-app: a simulator that reloads as you save",
		Long: `Open the mini-app project in DIR in the simulator: a device frame (phone, tablet and
desktop presets, light/dark, zoom on the window's header bar) with WebKit's Web Inspector
on the page (right-click, Inspect Element).

Saving a file reloads it: a WXSS change is swapped into the running page; a WXML, JS, TS
or JSON change recompiles the app and restarts it on the same pages, with the same
queries. A change that does not compile is shown over the page and here, with its file,
line and column, and the last good version keeps running. docs/dev.md.`,
		Example: `  shell dev examples/todo
  shell dev myapp --preset ipad --theme dark
  shell dev myapp --automation /tmp/dev.sock   # drive it from tests (dev.* methods too)`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return badInput(fmt.Errorf("%s: shell dev runs a project folder", dir))
			}
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			log := newLogger(cfg.Log)
			svc, err := openServices(cfg, log)
			if err != nil {
				return err
			}
			defer svc.close()
			opts := svc.hostOptions()
			opts.StartPage = page
			probe, err := host.LoadDir(dir)
			if err != nil {
				return badInput(fmt.Errorf("%s: %w", filepath.Clean(dir), err))
			}
			opts.Isolation = isolationFor(cfg, probe.Identity(), false)
			var hub *devtools.Hub
			if withDevTools {
				// The DevTools console, its evaluation and data edits need the app's
				// logic in the shell: Prepare chooses that for a project folder
				// (docs/dev.md); an explicit --isolation below still wins.
				hub = devtools.NewHub(probe.Identity().Key())
				devtools.Prepare(&opts, probe, hub)
			}
			switch isolation {
			case "":
			case "goroutine", "process":
				opts.Isolation = isolation
			default:
				return badInput(fmt.Errorf("--isolation %q: goroutine or process", isolation))
			}
			o := dev.Options{Dir: dir, Host: opts, Automation: automationSock,
				Preset: preset, Theme: theme, Zoom: zoom, Out: cmd.ErrOrStderr(), Log: log}
			if hub != nil {
				o.OnOpen = func(sim *dev.Session) { openSimDevTools(sim, hub, opts, automationSock, log) }
			}
			sim, err := dev.Start(o)
			if err != nil {
				var q *host.QuarantinedError
				if errors.As(err, &q) {
					return err
				}
				return badInput(fmt.Errorf("%s: %w", filepath.Clean(dir), err))
			}
			stop := make(chan os.Signal, 1)
			signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
			go func() {
				if _, ok := <-stop; ok {
					sim.Close()
					exitIfShutdownHangs(log)
				}
			}()
			err = sim.Run()
			signal.Stop(stop)
			close(stop)
			return err
		},
	}
	cmd.Flags().StringVar(&automationSock, "automation", "", "serve the automation protocol on this unix socket (owner-only); it follows reloads")
	cmd.Flags().StringVar(&page, "page", "", "open this page url instead of the entry page")
	cmd.Flags().StringVar(&preset, "preset", dev.DefaultPreset, "device preset: iphone-se, iphone-14, iphone-14-pro-max, pixel-7, small-phone, ipad, desktop-window")
	cmd.Flags().StringVar(&theme, "theme", "light", "light or dark")
	cmd.Flags().Float64Var(&zoom, "zoom", 1, "zoom of the device frame (0.25 to 4)")
	cmd.Flags().BoolVar(&withDevTools, "devtools", true, "open the DevTools window beside the simulator")
	cmd.Flags().StringVar(&isolation, "isolation", "", "where the app's logic runs: process (a confined child, as for any unverified app: the default config) or goroutine (in the shell: faster reloads)")
	return cmd
}

// openSimDevTools opens the DevTools window beside the simulator once its window is
// open. One window serves every session a reload starts: it follows sim.Host().
func openSimDevTools(sim *dev.Session, hub *devtools.Hub, opts host.Options, automationSock string, log *slog.Logger) {
	current := func() (devtools.Session, bool) {
		if h := sim.Host(); h != nil {
			return h, true
		}
		return nil, false
	}
	o := devtools.Options{Audit: opts.Audit, Logger: log, Debug: opts.Config.Window.Debug}
	if automationSock != "" {
		o.Automation = automationSock + ".devtools"
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-sim.Done()
		cancel()
	}()
	if _, err := devtools.Open(ctx, hub, devtools.Follow(current), o); err != nil {
		log.Error("DevTools did not open", "err", err)
	}
}
