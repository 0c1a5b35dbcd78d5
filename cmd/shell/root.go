package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/automator"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/devtools"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/isolate"
)

// globals are the flags every command shares.
type globals struct {
	configFile string
	logLevel   string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	var rootAutomation string
	root := &cobra.Command{
		Use:   "shell",
		Short: "Sandframe runs mini-apps in a sandbox on the desktop",
		Long: `Sandframe is a desktop super-app shell. It runs mini-apps written in the
mini-program model (App/Page/Component, setData, WXML, WXSS, wx.*): their logic in a
JavaScript sandbox with no host access, their UI in a WebView that runs only Sandframe's
own render runtime, and nothing between the two but checked JSON messages.

Configuration: the embedded defaults, then $XDG_CONFIG_HOME/sandframe/shell.yaml (or
--config), then SANDFRAME_* environment variables (SANDFRAME_WINDOW_WIDTH=500), then flags.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// With no command: the launcher (installing what the shell ships on first run);
		// without a display, the list of installed apps.
		RunE: func(cmd *cobra.Command, _ []string) error {
			return launcherOrList(cmd, g, rootAutomation)
		},
	}
	root.Flags().StringVar(&rootAutomation, "automation", "", "serve the automation protocol on this unix socket (the launcher); each app it starts serves at SOCKET.APP-ID")
	root.PersistentFlags().StringVar(&g.configFile, "config", "", "configuration file (default $XDG_CONFIG_HOME/sandframe/shell.yaml)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "", "debug, info, warn or error (default from config)")
	root.AddCommand(newInstalledCmds(g)...)
	root.AddCommand(newInstallCmd(g), newRunCmd(g), newVersionCmd(), newPermsCmd(g), newAuditCmd(g), newQuarantineCmd(g), newStorageCmd(g), newShareCmd(g),
		newKeygenCmd(), newPackCmd(g), newSignCmd(), newVerifyCmd(g), newLintCmd(g), newDoctorCmd(g), newTrustCmd(g), newStoreCmd(g), newDefsCmd(g), newKioskCmd(g),
		newOpenCmd(g), newDesktopInstallCmd(g), newDevCmd(g), newNewCmd())
	root.AddCommand(newIdentityCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the shell's version and the logic child's confinement",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "sandframe %s\n", version)
			// What a logic child actually applied on this kernel (docs/isolate.md).
			c, err := isolate.ProbeConfinement(childExe(), []string{isolate.ChildArg}, nil)
			if err != nil {
				fmt.Fprintf(out, "logic child confinement: unknown (%v)\n", err)
				return nil
			}
			fmt.Fprintf(out, "logic child confinement: %s\n", c)
			for _, w := range c.Warnings {
				fmt.Fprintf(out, "  warning: %s\n", w)
			}
			return nil
		},
	}
}

func newRunCmd(g *globals) *cobra.Command {
	var automationSock, page, autoPort string
	var width, height int
	var sideload, withDevTools bool
	cmd := &cobra.Command{
		Use:   "run DIR|APP.sfa|APP-ID",
		Short: "Run a mini-app project folder, or a bundle, in a window",
		Long: `Run a mini-app in its own window: a project folder (the developer's path; the app is
marked unverified), a bundle file, which must be signed by a trusted key unless
--sideload says to run it anyway (then it too is marked unverified), or an installed app
by its id (re-checked against its signed manifest at every launch).

Everything is checked before any window opens: a broken app.json, a missing page or a
template error is reported with its file and line, as are bundle, signature and lint
problems, and the shell exits with status 2.`,
		Example: `  shell run examples/todo
  shell run examples/todo --automation /tmp/todo.sock   # drive it from tests
  shell run examples/todo --auto-port 9420              # automator.connect({wsEndpoint: 'ws://127.0.0.1:9420'})
  shell run examples/todo --page "/pages/stats/stats?from=cli"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, func(v interface{ Set(string, any) }) {
				if cmd.Flags().Changed("width") {
					v.Set("window.width", width)
				}
				if cmd.Flags().Changed("height") {
					v.Set("window.height", height)
				}
			})
			if err != nil {
				return err
			}
			log := newLogger(cfg.Log)
			autoLn, err := listenAutomator(autoPort)
			if err != nil {
				return badInput(err)
			}
			// What start opens is closed when the app has ended, last opened first.
			var cleanups []func()
			defer func() {
				for i := len(cleanups) - 1; i >= 0; i-- {
					cleanups[i]()
				}
			}()
			if autoLn != nil {
				cleanups = append(cleanups, func() { autoLn.Close() }) // served or not
			}
			// The logic child starts now, beside everything else (a spare: nothing of
			// the app until the checks pass).
			runChild := startRunChild(cfg, args[0], log)
			if runChild != nil {
				cleanups = append(cleanups, runChild.Close)
			}
			var opts host.Options
			var console *automator.Console
			var hub *devtools.Hub
			// Everything that checks the app runs while its window is made, hidden
			// (host.RunStarting); the window shows only if all of it passed.
			start := func() (*host.Session, error) {
				app, cleanup, err := loadForRun(cfg, args[0], sideload)
				if err != nil {
					return nil, err
				}
				cleanups = append(cleanups, cleanup)
				for _, w := range app.Warnings {
					log.Warn("mini-app warning", "app", app.Project.App.ID, "warning", w)
				}
				warnTwin(cfg, log, app)
				svc, err := openServices(cfg, log)
				if err != nil {
					return nil, err
				}
				cleanups = append(cleanups, func() { svc.close() })
				opts = svc.hostOptions()
				opts.Automation, opts.StartPage = automationSock, page
				opts.Isolation = isolationFor(cfg, app.Identity(), app.Verified)
				if runChild != nil {
					opts.LogicPool = runChild
				}
				console = automatorConsole(autoLn, &opts, log)
				if withDevTools {
					hub = devtools.NewHub(app.Identity().Key())
					devtools.Prepare(&opts, app, hub)
				}
				sess, err := host.Start(app, opts)
				if runChild != nil {
					runChild.Close() // taken, or not needed: no other is made
				}
				if err != nil {
					var q *host.QuarantinedError
					if errors.As(err, &q) {
						return nil, err
					}
					return nil, badInput(fmt.Errorf("%s: %w", filepath.Clean(args[0]), err))
				}
				return sess, nil
			}
			opened := func(sess *host.Session) {
				cleanups = append(cleanups, serveAutomator(autoLn, sess, log, console))
				if hub != nil {
					openDevTools(sess, hub, opts, automationSock, log)
				}
			}
			// Ctrl+C or a service manager's TERM closes the app as its window would
			// (or stops it starting).
			starting := &host.Starting{}
			stop := make(chan os.Signal, 1)
			signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
			go func() {
				if _, ok := <-stop; ok {
					starting.Cancel()
					exitIfShutdownHangs(log)
				}
			}()
			err = host.RunStarting(cfg.Window, starting, start, opened)
			signal.Stop(stop)
			close(stop)
			return err
		},
	}
	cmd.Flags().StringVar(&automationSock, "automation", "", "serve the automation protocol on this unix socket (owner-only)")
	cmd.Flags().StringVar(&autoPort, "auto-port", "", "serve WeChat's automator protocol (miniprogram-automator's wsEndpoint) on this loopback port; 0 picks one (docs/automator.md)")
	cmd.Flags().StringVar(&page, "page", "", "open this page url instead of the entry page")
	cmd.Flags().BoolVar(&sideload, "sideload", false, "run a bundle no trusted key signed (marked unverified)")
	cmd.Flags().BoolVar(&withDevTools, "devtools", false, "open the DevTools window beside the app (development; its console evaluates only in a project folder)")
	cmd.Flags().IntVar(&width, "width", 0, "window width (default from config)")
	cmd.Flags().IntVar(&height, "height", 0, "window height (default from config)")
	return cmd
}

func newLogger(c configs.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
