package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/device"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/launcher"
	"github.com/sandframe/sandframe/render"
)

// hasDisplay says whether a window could open; without one, shell with no command
// lists the installed apps instead of opening the launcher.
func hasDisplay() bool {
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

func newOpenCmd(g *globals) *cobra.Command {
	var automationSock string
	cmd := &cobra.Command{
		Use:   "open [APP.sfa]",
		Short: "Open the launcher, offering to install a bundle",
		Long: `Open the launcher. Given a bundle (what a file manager does with an .sfa file once
shell desktop-install registered the type), the launcher checks it and shows what
installing it would do: who signed it, or that nobody trusted did, and the capabilities it
declares. Nothing is installed until the user confirms.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			offer := ""
			if len(args) == 1 {
				if offer, err = filepath.Abs(args[0]); err != nil {
					return badInput(err)
				}
				if _, err := os.Stat(offer); err != nil {
					return badInput(fmt.Errorf("open: %w", err))
				}
			}
			return runLauncher(cfg, cmd.ErrOrStderr(), offer, automationSock)
		},
	}
	cmd.Flags().StringVar(&automationSock, "automation", "", "serve the automation protocol on this unix socket (the launcher); each app it starts serves at SOCKET.APP-ID")
	return cmd
}

// runLauncher opens the launcher and runs until its window is closed (or INT/TERM):
// every app it started is stopped first.
func runLauncher(cfg configs.Config, stderr io.Writer, offer, automationSock string) error {
	log := newLogger(cfg.Log)
	if err := installBundled(cfg, stderr); err != nil {
		return err
	}
	svc, err := openServices(cfg, log)
	if err != nil {
		return err
	}
	defer svc.close()
	// The desktop's theme is read once and followed for the launcher's life, not at
	// every launch (two gsettings processes each time: tens of milliseconds).
	if cfg.System.FollowsDesktopTheme() {
		defer device.WatchTheme(func(string) {})()
	}
	// Uninstalling from the launcher wipes through the stores this process holds open.
	inst, err := newInstallerWith(cfg, nil, func(apps []identity.App) error {
		return svc.appStores().WipeAll(context.Background(), apps, appdata.Uninstall)
	})
	if err != nil {
		return err
	}

	var ls *launcher.Service
	sessOpts := svc.hostOptions()
	// launcher.prewarm's spare logic child (logicpool.go); closed after every app stopped.
	if pool := startLogicPool(cfg, log); pool != nil {
		defer pool.Close()
		sessOpts.LogicPool = pool
	}
	sessOpts.Updates = launcherUpdates{&ls} // wx.getUpdateManager asks the launcher's catalog
	desk := host.NewDesktop(host.DesktopOptions{
		Session: sessOpts,
		Load:    func(id string) (*host.App, func(), error) { return loadInstalled(cfg, id) },
		Isolation: func(app *host.App) string {
			return isolationFor(cfg, app.Identity(), app.Verified)
		},
		KeepHidden: cfg.Launcher.KeepHidden,
		Automation: automationSock,
		OnChange:   func() { ls.Emit(launcher.EventAppsChanged, nil) },
		OnFailed: func(id string, err error) {
			ls.Emit(launcher.EventAppFailed, map[string]string{"id": id, "reason": err.Error()})
		},
		Logger: log,
	})

	var quitOnce sync.Once
	var home *host.Home
	quit := func() {
		quitOnce.Do(func() {
			go func() {
				if err := desk.StopAll(); err != nil {
					log.Warn("stopping the apps", "err", err)
				}
				home.Close()
			}()
		})
	}
	home, err = host.NewHome(host.HomeOptions{
		Title: "Sandframe", Width: cfg.Launcher.Width, Height: cfg.Launcher.Height, Debug: cfg.Window.Debug,
		HTML:      assets.LauncherHTML(),
		OnMessage: func(raw string) { ls.Post(raw) },
		// Only a loaded page takes what the service has to say (an install offer,
		// changes so far).
		OnLoaded:   func() { ls.Attach(home) },
		OnClose:    quit,
		Automation: automationSock,
		Logger:     log,
	})
	if err != nil {
		return err
	}
	lc := launcher.Config{
		Config: cfg, Installer: inst, Perms: svc.perms, Grants: svc.store, Storage: svc.storage,
		Shares: svc.shares, AppData: svc.appStores(), Audit: svc.audit, Runner: desk, Picker: home, Logger: log,
	}
	if automationSock != "" {
		lc.OnProbeResult = home.ProbeResult
	}
	ls = launcher.New(lc)
	if automationSock != "" {
		home.SetLauncherOps(func(ctx context.Context, op string, args json.RawMessage) (any, error) {
			return ls.Handle(ctx, bridge.LauncherRequest{Op: op, Args: args})
		})
	}
	if offer != "" {
		ls.Offer(offer)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		ls.Run(ctx)
		close(served)
	}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-stop; ok {
			render.Do(quit)
			exitIfShutdownHangs(log)
		}
	}()
	// The pre-warmed window (launcher.prewarm, docs/performance.md): made in the loop
	// once the launcher shows, handed to the next app launched, made again after.
	warm, err := host.WarmScript()
	if err != nil {
		log.Warn("the pre-warmed window will not be warmed", "err", err)
	}
	render.Prewarm(render.WindowOptions{HTML: assets.PageHTML(), Script: assets.RuntimeScript(), Debug: cfg.Window.Debug,
		Width: cfg.Window.Width, Height: cfg.Window.Height, Warm: warm,
		OnWarm: func() { log.Debug("the pre-warmed window is warm") }}, cfg.Launcher.Prewarm)
	log.Info("launcher open", "keepHidden", cfg.Launcher.KeepHidden)
	home.Run()
	signal.Stop(stop)
	close(stop)
	cancel()
	<-served
	return nil
}

// launcherOrList is shell with no command: the launcher where there is a display, the
// list of installed apps where there is none.
func launcherOrList(cmd *cobra.Command, g *globals, automationSock string) error {
	cfg, err := loadConfig(g, nil)
	if err != nil {
		return err
	}
	if hasDisplay() {
		err := runLauncher(cfg, cmd.ErrOrStderr(), "", automationSock)
		if !errors.Is(err, render.ErrNoDisplay) {
			return err
		}
	}
	if err := installBundled(cfg, cmd.ErrOrStderr()); err != nil {
		return err
	}
	list := newInstalledCmds(g)[0]
	list.SetOut(cmd.OutOrStdout())
	if err := list.RunE(list, nil); err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), "\nNo display for the launcher. Run an app with: shell run APP-ID    (shell --help for everything else)")
	return nil
}

// launcherUpdates is the launcher as running apps' update source (set once the launcher
// exists; an app cannot run before).
type launcherUpdates struct{ ls **launcher.Service }

func (u launcherUpdates) CheckUpdate(ctx context.Context, id string) (string, error) {
	return (*u.ls).CheckUpdate(ctx, id)
}

func (u launcherUpdates) ApplyUpdate(ctx context.Context, id string) error {
	return (*u.ls).ApplyUpdate(ctx, id)
}
