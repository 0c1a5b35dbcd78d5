package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/identity"
)

// openRegistry opens the install registry; uninstalling through it wipes the app's
// storage, what it shared, and the permission decisions about it.
func openRegistry(cfg configs.Config) (*registry.Registry, error) {
	return openRegistryWith(cfg, func(apps []identity.App) error { return wipeApp(cfg, apps) })
}

// openRegistryWith opens the install registry with wipe as its OnUninstall: a process
// that holds the stores open (the launcher's) wipes through them.
func openRegistryWith(cfg configs.Config, wipe func(apps []identity.App) error) (*registry.Registry, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, err
	}
	return registry.Open(registry.Config{
		Dir: cfg.AppsPath(), DB: cfg.RegistryPath(), Trust: ts, Limits: bundle.DefaultLimits(),
		ShellVersion: shellVersion(), OnUninstall: wipe,
	})
}

// shellVersion is version without a pre-release tag, for minimum-version checks.
func shellVersion() string {
	if v, err := bundle.ParseVersion(version); err == nil {
		return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	}
	return "0.0.0"
}

// newInstaller is the install flow with this config; bar, when set, gets progress bars.
func newInstaller(cfg configs.Config, bar io.Writer) (*installer.Installer, error) {
	return newInstallerWith(cfg, bar, func(apps []identity.App) error { return wipeApp(cfg, apps) })
}

// newInstallerWith is newInstaller whose registry wipes an uninstalled app's data with
// wipe (see openRegistryWith).
func newInstallerWith(cfg configs.Config, bar io.Writer, wipe func(apps []identity.App) error) (*installer.Installer, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, err
	}
	return installer.New(installer.Config{
		OpenRegistry: func() (*registry.Registry, error) { return openRegistryWith(cfg, wipe) },
		Trust:        ts,
		Defs:         func() (*lint.Definitions, error) { return currentDefs(cfg) },
		Block:        blockingSeverities(cfg),
		CacheDir:     cfg.Paths.Cache,
		MachineID:    func() string { return installer.MachineID(cfg.Paths.Config) },
		ShellVersion: shellVersion(),
		Bar:          bar,
	}), nil
}

// installErr marks the installer's refusals as bad input (exit status 2).
func installErr(err error) error {
	if installer.IsInput(err) {
		return badInput(err)
	}
	return err
}

// interruptible runs f with a context that Ctrl+C or TERM cancels (a download).
func interruptible[T any](f func(ctx context.Context) (T, error)) (T, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return f(ctx)
}

func newInstallCmd(g *globals) *cobra.Command {
	var o registry.InstallOptions
	var catalogURL, channel string
	cmd := &cobra.Command{
		Use:   "install APP.sfa | URL | APP-ID --catalog URL",
		Short: "Install a bundle, from a file or from a catalog",
		Long: `Install a verified bundle: checked (format, digests, signature, trust, lint) before
anything is written, then put in place atomically. A bundle no trusted key signed needs
--sideload; an older version than the one installed needs --allow-downgrade. Once an app
id was installed signed by a key, a bundle of that id not signed by it (another key, or
unsigned) needs --allow-signer-change, which first wipes the app's data and permission
decisions, and is written to the audit log.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			in, err := newInstaller(cfg, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			path, source := args[0], args[0]
			if installer.IsURL(args[0]) {
				path, err = interruptible(func(ctx context.Context) (string, error) { return in.Fetch(ctx, args[0], nil) })
				if err != nil {
					return installErr(err)
				}
				defer os.Remove(path)
			} else if catalogURL != "" {
				path, err = interruptible(func(ctx context.Context) (string, error) {
					return in.Download(ctx, catalogURL, args[0], channel, nil)
				})
				if err != nil {
					return installErr(err)
				}
				source = catalogURL
			}
			inst, err := in.InstallFile(path, installer.Options{AllowDowngrade: o.AllowDowngrade, Sideload: o.Sideload, Source: source,
				AllowSignerChange: o.AllowSignerChange,
				OnSignerChange: func(old []identity.App, next identity.App) {
					auditSignerChange(cfg, cmd.ErrOrStderr(), old, next)
				}})
			if err != nil {
				return installErr(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "installed %s %s (%s)\n", inst.ID, inst.Version, publisherOf(inst.Signer, inst.Verified))
			return nil
		},
	}
	cmd.Flags().BoolVar(&o.Sideload, "sideload", false, "install a bundle no trusted key signed (marked unverified)")
	cmd.Flags().BoolVar(&o.AllowDowngrade, "allow-downgrade", false, "install a version older than the installed one")
	cmd.Flags().BoolVar(&o.AllowSignerChange, "allow-signer-change", false, "install a bundle not signed by the key the app was installed with: wipes the app's data and decisions first")
	cmd.Flags().StringVar(&catalogURL, "catalog", "", "install APP-ID from the catalog at this URL")
	cmd.Flags().StringVar(&channel, "channel", "stable", "the catalog channel")
	return cmd
}

// publisherOf names who signed an app, as the trust store knows them.
func publisherOf(signer string, verified bool) string {
	if !verified {
		return "unverified"
	}
	return "signed by " + signer
}

// publisherName is publisherOf with the trusted name of the key where there is one.
func publisherName(ts *trust.Store, signer string, verified bool) string {
	return installer.PublisherOf(ts, signer, verified)
}

func newInstalledCmds(g *globals) []*cobra.Command {
	withRegistry := func(f func(cmd *cobra.Command, reg *registry.Registry, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			reg, err := openRegistry(cfg)
			if err != nil {
				return err
			}
			defer reg.Close()
			return f(cmd, reg, args)
		}
	}
	list := &cobra.Command{
		Use: "list", Short: "List the installed apps", Args: cobra.NoArgs,
		RunE: withRegistry(func(cmd *cobra.Command, reg *registry.Registry, _ []string) error {
			apps, err := reg.List()
			if err != nil {
				return err
			}
			var ts *trust.Store
			if cfg, err := loadConfig(g, nil); err == nil {
				ts, _ = openTrust(cfg)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "APP\tVERSION\tPUBLISHER\tINSTALLED\tROLLBACK TO")
			for _, a := range apps {
				prev := "-"
				if a.Previous != nil {
					prev = a.Previous.Version
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Version, publisherName(ts, a.Signer, a.Verified), a.Installed.Local().Format(time.DateTime), prev)
			}
			if len(apps) == 0 {
				fmt.Fprintln(w, "(nothing installed)")
			}
			return w.Flush()
		}),
	}
	uninstall := &cobra.Command{
		Use: "uninstall APP-ID", Short: "Remove an app with its data, shares and permission decisions", Args: cobra.ExactArgs(1),
		RunE: withRegistry(func(cmd *cobra.Command, reg *registry.Registry, args []string) error {
			if err := reg.Uninstall(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "uninstalled %s and wiped its data\n", args[0])
			return nil
		}),
	}
	rollback := &cobra.Command{
		Use: "rollback APP-ID", Short: "Go back to the version installed before the current one", Args: cobra.ExactArgs(1),
		RunE: withRegistry(func(cmd *cobra.Command, reg *registry.Registry, args []string) error {
			inst, err := reg.Rollback(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is back at %s\n", inst.ID, inst.Version)
			return nil
		}),
	}
	var catalogURL, channel string
	update := &cobra.Command{
		Use: "update [APP-ID] --catalog URL", Short: "Install newer versions from a catalog", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			if catalogURL == "" {
				return badInput(errors.New("update: --catalog URL is required"))
			}
			reg, err := openRegistry(cfg)
			if err != nil {
				return err
			}
			apps, err := reg.List()
			reg.Close()
			if err != nil {
				return err
			}
			in, err := newInstaller(cfg, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			updated := 0
			for _, a := range apps {
				if len(args) == 1 && a.ID != args[0] {
					continue
				}
				inst, err := interruptible(func(ctx context.Context) (*registry.Installed, error) {
					return in.Update(ctx, catalogURL, channel, a.ID, nil)
				})
				if errors.Is(err, catalog.ErrNoApp) {
					continue
				}
				if err != nil {
					return installErr(err)
				}
				if inst == nil {
					continue
				}
				updated++
				fmt.Fprintf(cmd.OutOrStdout(), "updated %s %s → %s\n", a.ID, a.Version, inst.Version)
			}
			if updated == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "everything is up to date")
			}
			return nil
		},
	}
	update.Flags().StringVar(&catalogURL, "catalog", "", "the catalog to update from")
	update.Flags().StringVar(&channel, "channel", "stable", "the catalog channel")
	return []*cobra.Command{list, uninstall, rollback, update}
}
