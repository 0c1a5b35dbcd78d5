package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
)

// openRegistry opens the install registry; uninstalling through it wipes the app's
// storage, what it shared, and the permission decisions about it.
func openRegistry(cfg configs.Config) (*registry.Registry, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, err
	}
	return registry.Open(registry.Config{
		Dir: cfg.AppsPath(), DB: cfg.RegistryPath(), Trust: ts, Limits: bundle.DefaultLimits(),
		ShellVersion: shellVersion(), OnUninstall: func(id string) error { return wipeApp(cfg, id) },
	})
}

// shellVersion is version without a pre-release tag, for minimum-version checks.
func shellVersion() string {
	if v, err := bundle.ParseVersion(version); err == nil {
		return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	}
	return "0.0.0"
}

// wipeApp removes everything the shell keeps of an app's data: its storage, what it
// shared and the consents naming it, and the permission decisions about it.
func wipeApp(cfg configs.Config, id string) error {
	st, err := openStorage(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	sh, err := share.Open(st, cfg.SharesPath())
	if err != nil {
		return err
	}
	defer sh.Close()
	ps, err := perms.OpenStore(cfg.PermsPath())
	if err != nil {
		return err
	}
	defer ps.Close()
	return errors.Join(st.Wipe(id), sh.Wipe(id), ps.Reset(id))
}

func newInstallCmd(g *globals) *cobra.Command {
	var o registry.InstallOptions
	var catalogURL, channel string
	cmd := &cobra.Command{
		Use:   "install APP.sfa | URL | APP-ID --catalog URL",
		Short: "Install a bundle, from a file or from a catalog",
		Long: `Install a verified bundle: checked (format, digests, signature, trust, lint) before
anything is written, then put in place atomically. A bundle no trusted key signed needs
--sideload; an older version than the one installed needs --allow-downgrade.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			path, source := args[0], args[0]
			if isURL(args[0]) {
				if path, err = fetchBundle(cmd, cfg, args[0]); err != nil {
					return err
				}
				defer os.Remove(path)
			} else if catalogURL != "" {
				if path, err = download(cmd, cfg, catalogURL, args[0], channel); err != nil {
					return err
				}
				source = catalogURL
			}
			inst, err := installFile(cfg, path, registry.InstallOptions{AllowDowngrade: o.AllowDowngrade, Sideload: o.Sideload, Source: source})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "installed %s %s (%s)\n", inst.ID, inst.Version, publisherOf(inst.Signer, inst.Verified))
			return nil
		},
	}
	cmd.Flags().BoolVar(&o.Sideload, "sideload", false, "install a bundle no trusted key signed (marked unverified)")
	cmd.Flags().BoolVar(&o.AllowDowngrade, "allow-downgrade", false, "install a version older than the installed one")
	cmd.Flags().StringVar(&catalogURL, "catalog", "", "install APP-ID from the catalog at this URL")
	cmd.Flags().StringVar(&channel, "channel", "stable", "the catalog channel")
	return cmd
}

// installFile lints and installs the bundle at path.
func installFile(cfg configs.Config, path string, o registry.InstallOptions) (*registry.Installed, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput(err)
	}
	b, err := bundle.Open(bytes.NewReader(raw), int64(len(raw)), bundle.DefaultLimits())
	if err != nil {
		return nil, badInput(fmt.Errorf("%s: %w", path, err))
	}
	defs, err := currentDefs(cfg)
	if err != nil {
		return nil, err
	}
	if defs != nil && defs.SignerRevoked(string(b.Manifest.Signer)) {
		return nil, badInput(fmt.Errorf("%s: its publisher's key %s is revoked by the security definitions", path, b.Manifest.Signer))
	}
	findings, err := lint.Run(b.FS(), lint.Config{Defs: defs})
	if err != nil {
		return nil, err
	}
	if n := len(lint.Blocking(findings, blockingSeverities(cfg))); n > 0 {
		return nil, badInput(fmt.Errorf("%s: %d blocking lint findings (see shell lint %s)", path, n, path))
	}
	reg, err := openRegistry(cfg)
	if err != nil {
		return nil, err
	}
	defer reg.Close()
	inst, err := reg.Install(bytes.NewReader(raw), int64(len(raw)), o)
	if err != nil {
		return nil, badInput(fmt.Errorf("%s: %w", path, err))
	}
	return inst, nil
}

// download fetches app id's release on channel from a catalog, with a progress bar.
func download(cmd *cobra.Command, cfg configs.Config, base, id, channel string) (string, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return "", err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := catalog.NewClient(catalog.ClientConfig{BaseURL: base, Trust: ts, CacheDir: filepath.Join(cfg.Paths.Cache, "bundles"),
		Progress: cmd.ErrOrStderr(), MachineID: machineID(cfg), ShellVersion: shellVersion()})
	idx, err := c.Index(ctx)
	if err != nil {
		return "", err
	}
	rel, err := c.Resolve(idx, id, channel)
	if err != nil {
		return "", err
	}
	return c.Download(ctx, rel)
}

// isURL says whether install was given a web address.
func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// maxBundleDownload bounds a bundle fetched by URL (the bundle reader's own limits
// apply after).
const maxBundleDownload = 512 << 20

// fetchBundle downloads a bundle from url into the cache folder, with a progress bar.
// Nothing about it is trusted: install verifies it like a local file.
func fetchBundle(cmd *cobra.Command, cfg configs.Config, url string) (string, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", badInput(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", url, resp.Status)
	}
	if resp.ContentLength > maxBundleDownload {
		return "", fmt.Errorf("%s: %d bytes is more than a bundle may be", url, resp.ContentLength)
	}
	if err := os.MkdirAll(cfg.Paths.Cache, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(cfg.Paths.Cache, "download-*.sfa")
	if err != nil {
		return "", err
	}
	bar := progressbar.NewOptions64(resp.ContentLength, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
		progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("downloading"), progressbar.OptionClearOnFinish())
	n, err := io.Copy(io.MultiWriter(f, bar), io.LimitReader(resp.Body, maxBundleDownload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxBundleDownload {
		err = fmt.Errorf("%s: more than %d bytes", url, maxBundleDownload)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// machineID is this machine's stable, random identity for rollout buckets.
func machineID(cfg configs.Config) string {
	path := filepath.Join(cfg.Paths.Config, "machine-id")
	if raw, err := os.ReadFile(path); err == nil && len(raw) >= 16 {
		return string(bytes.TrimSpace(raw))
	}
	pub, _, err := bundle.GenerateKey() // 32 random bytes, already at hand
	if err != nil {
		return ""
	}
	id := string(bundle.IDOf(pub))
	os.MkdirAll(cfg.Paths.Config, 0o700)
	os.WriteFile(path, []byte(id+"\n"), 0o600)
	return id
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
	if verified && ts != nil {
		if t, err := ts.Check(bundle.KeyID(signer)); err == nil && t.Key.Name != "" {
			return t.Key.Name
		}
	}
	return publisherOf(signer, verified)
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
			updated := 0
			for _, a := range apps {
				if len(args) == 1 && a.ID != args[0] {
					continue
				}
				path, err := download(cmd, cfg, catalogURL, a.ID, channel)
				if err != nil {
					if errors.Is(err, catalog.ErrNoApp) {
						continue
					}
					return fmt.Errorf("%s: %w", a.ID, err)
				}
				m, err := manifestOf(path)
				if err != nil {
					return err
				}
				if newer, err := bundle.CompareVersions(m.Version, a.Version); err != nil || newer <= 0 {
					continue
				}
				inst, err := installFile(cfg, path, registry.InstallOptions{Source: catalogURL})
				if err != nil {
					return err
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

func manifestOf(path string) (*bundle.Manifest, error) {
	b, err := openBundleFile(path)
	if err != nil {
		return nil, err
	}
	return b.Manifest, nil
}
