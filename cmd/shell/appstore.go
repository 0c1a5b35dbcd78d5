package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/lru"
)

// linter runs the static checks for pack, and says which findings block.
type linter struct{ block []lint.Severity }

func (l linter) Lint(fsys fs.FS) ([]string, error) {
	findings, err := lint.Run(fsys, lint.Config{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range lint.Blocking(findings, l.block) {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s: %s", f.File, f.Line, f.Col, f.Rule, f.Message))
	}
	return out, nil
}

func blockingSeverities(c configs.Config) []lint.Severity {
	var out []lint.Severity
	for _, s := range c.Lint.Block {
		out = append(out, lint.Severity(s))
	}
	return out
}

func openTrust(cfg configs.Config) (*trust.Store, error) { return trust.Open(cfg.TrustPath()) }

func newKeygenCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "keygen -o KEYFILE",
		Short: "Make a publisher key pair for signing bundles",
		Long: `Make an ed25519 key pair. The private key is written to KEYFILE (owner-only);
the public key is printed, for users and operators to trust with ` + "`shell trust add`.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return badInput(errors.New("keygen: -o KEYFILE is required"))
			}
			pub, priv, err := bundle.GenerateKey()
			if err != nil {
				return err
			}
			if err := bundle.WritePrivateKey(out, priv); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "private key: %s\npublic key:  %s\nkey id:      %s\n", out, bundle.EncodePublicKey(pub), bundle.IDOf(pub))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "where to write the private key")
	return cmd
}

func newPackCmd(g *globals) *cobra.Command {
	var out, key, minShell string
	cmd := &cobra.Command{
		Use:   "pack DIR -o APP.sfa [--key KEYFILE]",
		Short: "Check, compile, lint and pack a mini-app into a signed bundle",
		Long: `Check, compile, lint and pack a mini-app into a signed bundle. An app with
subpackages (app.json "subpackages") packs into a core bundle APP.sfa, whose signed
manifest names each subpackage bundle by sha256, and one APP.<root>.sfa per subpackage
beside it; shell verify and shell store add take the set from there.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			if out == "" {
				return badInput(errors.New("pack: -o APP.sfa is required"))
			}
			o := bundle.PackOptions{MinShell: minShell, Lint: linter{blockingSeverities(cfg)}, Minify: true, MinifyFile: bundle.MinifySource,
				Compile: func(fsys fs.FS) error { _, err := host.Load(fsys); return err }}
			if key != "" {
				if o.Key, err = bundle.ReadPrivateKey(key); err != nil {
					return badInput(err)
				}
			}
			set, err := bundle.PackSet(args[0], o) // one bundle without subpackages, else the core and one per subpackage
			if err != nil {
				return badInput(err)
			}
			m, buf := set.Manifest, bytes.NewBuffer(set.Core)
			if err := atomicfile.Write(out, buf.Bytes(), 0o644); err != nil {
				return err
			}
			signed := "unsigned (runs only with --sideload)"
			if m.Signer != "" {
				signed = "signed by key " + string(m.Signer)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s: %d files, %d bytes, %s → %s\n", m.AppID, m.Version, len(m.Files), buf.Len(), signed, out)
			return writeSubpackages(cmd.OutOrStdout(), out, set)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "the bundle to write")
	cmd.Flags().StringVar(&key, "key", "", "the publisher's private key (omit for an unsigned bundle)")
	cmd.Flags().StringVar(&minShell, "min-shell", "", "the lowest shell version the app needs")
	return cmd
}

func newSignCmd() *cobra.Command {
	var out, key string
	cmd := &cobra.Command{
		Use:   "sign FILE --key KEYFILE [-o OUT]",
		Short: "Sign (or re-sign) a bundle",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, raw, err := keyAndInput("sign", key, args[0])
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			m, err := bundle.Sign(bytes.NewReader(raw), int64(len(raw)), &buf, priv)
			if err != nil {
				return badInput(fmt.Errorf("%s: %w", args[0], err))
			}
			if out == "" {
				out = args[0]
			}
			if err := atomicfile.Write(out, buf.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s signed by key %s → %s\n", m.AppID, m.Version, m.Signer, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "where to write the signed bundle (default: in place)")
	cmd.Flags().StringVar(&key, "key", "", "the publisher's private key")
	return cmd
}

// openBundleFile reads and checks a bundle file: format, digests, signature.
func openBundleFile(path string) (*bundle.Bundle, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := bundle.Open(bytes.NewReader(raw), int64(len(raw)), bundle.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

func newVerifyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a bundle and report its signer, trust, files and lint findings",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			b, err := openBundleFile(args[0])
			if err != nil {
				return badInput(err)
			}
			ts, err := openTrust(cfg)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			m := b.Manifest
			fmt.Fprintf(w, "bundle:    %s\napp:       %s %s (needs shell %s)\n", args[0], m.AppID, m.Version, m.MinShell)
			trustErr := error(nil)
			if !b.Signed {
				fmt.Fprintln(w, "signer:    none — unsigned: unverified, runs only with --sideload")
			} else {
				t, err := ts.Verify(b)
				trustErr = err
				fmt.Fprintf(w, "signer:    key %s\ntrust:     %s\n", m.Signer, t)
			}
			fmt.Fprintf(w, "files:     %d, every digest checked\n", len(m.Files))
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			for _, f := range m.Files {
				fmt.Fprintf(tw, "  %s\t%d\n", f.Path, f.Size)
			}
			tw.Flush()
			lintFS := b.FS()
			if len(m.Subpackages) > 0 {
				fmt.Fprintf(w, "subpackages: %d, each named by sha256 in the signed manifest\n", len(m.Subpackages))
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				_, subs, err := subpackageSet(tw, args[0], b, false)
				tw.Flush()
				if err != nil {
					return badInput(err)
				}
				lintFS = bundle.SetFS(b, subs...)
			}
			findings, err := lint.Run(lintFS, lint.Config{})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "lint:      %d findings\n", len(findings))
			lint.WriteText(w, findings)
			if blocking := lint.Blocking(findings, blockingSeverities(cfg)); len(blocking) > 0 {
				return fmt.Errorf("%s: %d blocking lint findings", args[0], len(blocking))
			}
			if trustErr != nil {
				return trustErr
			}
			return nil
		},
	}
}

func newLintCmd(g *globals) *cobra.Command {
	var asJSON, rules bool
	cmd := &cobra.Command{
		Use:   "lint DIR|FILE",
		Short: "Statically check a mini-app (also run by pack, install and launch)",
		Args: func(cmd *cobra.Command, args []string) error {
			if rules {
				return nil
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if rules {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RULE\tSEVERITY\tWHAT IT FINDS")
				for _, r := range lint.Rules() {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Description)
				}
				return tw.Flush()
			}
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			fsys, err := appFS(args[0])
			if err != nil {
				return badInput(err)
			}
			findings, err := lint.Run(fsys, lint.Config{})
			if err != nil {
				return err
			}
			if asJSON {
				err = lint.WriteJSON(w, findings)
			} else {
				err = lint.WriteText(w, findings)
			}
			if err != nil {
				return err
			}
			if n := len(lint.Blocking(findings, blockingSeverities(cfg))); n > 0 {
				return fmt.Errorf("%s: %d blocking findings", args[0], n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	cmd.Flags().BoolVar(&rules, "rules", false, "list the rules")
	return cmd
}

// appFS is a mini-app folder, or the verified contents of a bundle file.
func appFS(path string) (fs.FS, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return os.DirFS(path), nil
	}
	b, err := openBundleFile(path)
	if err != nil {
		return nil, err
	}
	return b.FS(), nil
}

func newTrustCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "trust", Short: "Manage the publisher keys whose bundles run without --sideload"}
	open := func() (*trust.Store, error) {
		cfg, err := loadConfig(g, nil)
		if err != nil {
			return nil, err
		}
		return openTrust(cfg)
	}
	add := &cobra.Command{
		Use: "add NAME PUBLIC-KEY", Short: "Trust a publisher's key (as printed by keygen)", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			pub, err := bundle.DecodePublicKey(args[1])
			if err != nil {
				return badInput(err)
			}
			st, err := open()
			if err != nil {
				return err
			}
			if err := st.Add(args[0], pub); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "trusted %s (key %s)\n", args[0], bundle.IDOf(pub))
			return nil
		},
	}
	list := &cobra.Command{
		Use: "list", Short: "List the trust store", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open()
			if err != nil {
				return err
			}
			keys, err := st.List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY ID\tPUBLISHER\tSTATUS")
			for _, k := range keys {
				status := "trusted"
				if k.Revoked {
					status = "revoked: " + k.Reason
				}
				if k.Builtin {
					status += " (built in)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, k.Name, status)
			}
			return tw.Flush()
		},
	}
	remove := &cobra.Command{
		Use: "remove KEY-ID", Short: "Stop trusting a key", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open()
			if err != nil {
				return err
			}
			return st.Remove(bundle.KeyID(args[0]))
		},
	}
	var reason string
	revoke := &cobra.Command{
		Use: "revoke KEY-ID --reason TEXT", Short: "Revoke a key: its apps are blocked at their next launch", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open()
			if err != nil {
				return err
			}
			return st.Revoke(bundle.KeyID(args[0]), reason)
		},
	}
	revoke.Flags().StringVar(&reason, "reason", "revoked by the user", "why")
	cmd.AddCommand(add, list, remove, revoke)
	return cmd
}

// loadForRun loads what `shell run` was given: a project folder, or a bundle that is
// checked (format, digests, signature, trust) and linted before anything of it runs.
// cleanup removes what loading unpacked.
func loadForRun(cfg configs.Config, path string, sideload bool) (*host.App, func(), error) {
	none := func() {}
	st, err := os.Stat(path)
	if err != nil {
		if bundle.ValidAppID(path) == nil && !strings.ContainsRune(path, os.PathSeparator) {
			return loadInstalled(cfg, path)
		}
		return nil, none, badInput(fmt.Errorf("%s: not a mini-app directory or bundle (it does not exist)", path))
	}
	if st.IsDir() {
		app, err := loadDir(path) // subpackages.go
		if err != nil {
			return nil, none, badInput(fmt.Errorf("%s: %w", filepath.Clean(path), err))
		}
		return app, none, lintForLaunch(cfg, path, app)
	}
	b, err := openBundleFile(path)
	if err != nil {
		return nil, none, badInput(err)
	}
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, none, err
	}
	t, trustErr := ts.Verify(b)
	switch {
	case t.Status == trust.Revoked:
		return nil, none, badInput(fmt.Errorf("%s: %w", path, trustErr))
	case trustErr != nil && !sideload:
		return nil, none, badInput(fmt.Errorf("%s: %w — run it with --sideload to run it anyway, marked unverified", path, trustErr))
	}
	var app *host.App
	cleanup := none
	if isolationFor(cfg, identity.Signed(b.Manifest.AppID, string(b.Manifest.Signer)), trustErr == nil) == "process" {
		// A child process reads the app from a folder: unpack the verified files.
		tmp, err := os.MkdirTemp(cfg.Paths.Cache, "run-")
		if err != nil {
			if err := os.MkdirAll(cfg.Paths.Cache, 0o700); err != nil {
				return nil, none, err
			}
			if tmp, err = os.MkdirTemp(cfg.Paths.Cache, "run-"); err != nil {
				return nil, none, err
			}
		}
		cleanup = func() { os.RemoveAll(tmp) }
		dir := filepath.Join(tmp, "app")
		if err := b.Extract(dir); err != nil {
			cleanup()
			return nil, none, err
		}
		app, err = host.LoadDir(dir)
		if err != nil {
			cleanup()
			return nil, none, badInput(fmt.Errorf("%s: %w", path, err))
		}
	} else if app, err = host.Load(b.FS()); err != nil {
		return nil, none, badInput(fmt.Errorf("%s: %w", path, err))
	}
	app.Signer = string(b.Manifest.Signer)
	if trustErr == nil {
		app.Verified, app.Publisher = true, t.Key.Name
	}
	if err := lintForLaunch(cfg, path, app); err != nil {
		cleanup()
		return nil, none, err
	}
	return app, cleanup, nil
}

// lintedForLaunch keeps the launch lint's findings of the apps launched lately, by the
// digest of every file (host.App.Digest) and the security definitions' version: the
// lint is a function of the two, and a launcher that launches one app again (its files
// re-verified against the signed manifest first) need not parse every file again.
var lintedForLaunch = lru.New[lintKey, []lint.Finding](64)

type lintKey struct {
	app  [sha256.Size]byte
	defs int // the definitions' version; 0 without any
}

// launchFindings lints app for its launch, or takes the findings an identical app had
// under the same definitions. The findings are shared: read them, do not change them.
func launchFindings(app *host.App, defs *lint.Definitions) ([]lint.Finding, error) {
	if app.Digest == [sha256.Size]byte{} { // files that grow as subpackages arrive
		return lint.Run(app.Project.FS, lint.Config{Defs: defs})
	}
	key := lintKey{app: app.Digest}
	if defs != nil {
		key.defs = defs.Version
	}
	if f, ok := lintedForLaunch.Get(key); ok {
		return f, nil
	}
	findings, err := lint.Run(app.Project.FS, lint.Config{Defs: defs})
	if err == nil {
		lintedForLaunch.Put(key, findings)
	}
	return findings, err
}

// lintForLaunch refuses to launch an app with blocking findings, checked against the
// current security definitions too: a bundle that became known-malicious, or whose
// signer was revoked, is blocked at its next launch.
func lintForLaunch(cfg configs.Config, path string, app *host.App) error {
	defs, err := currentDefs(cfg)
	if err != nil {
		return err
	}
	if defs != nil && app.Signer != "" && defs.SignerRevoked(app.Signer) {
		return badInput(fmt.Errorf("%s: its publisher's key %s is revoked by the security definitions", path, app.Signer))
	}
	findings, err := launchFindings(app, defs)
	if err != nil {
		return err
	}
	blocking := lint.Blocking(findings, blockingSeverities(cfg))
	if len(blocking) == 0 {
		return nil
	}
	var b strings.Builder
	lint.WriteText(&b, blocking)
	return badInput(fmt.Errorf("%s: %d blocking lint findings:\n%s", path, len(blocking), strings.TrimSpace(b.String())))
}

// loadInstalled loads an installed app after re-checking it: its signer is still
// trusted, and every file still matches the signed manifest.
func loadInstalled(cfg configs.Config, id string) (*host.App, func(), error) {
	none := func() {}
	reg, err := openRegistry(cfg)
	if err != nil {
		return nil, none, err
	}
	inst, _, err := reg.Verify(id)
	if err != nil {
		reg.Close()
		return nil, none, badInput(fmt.Errorf("%s: %w", id, err))
	}
	app, err := loadInstalledApp(cfg, reg, inst) // fetches subpackages through reg while it runs
	if err != nil {
		reg.Close()
		return nil, none, badInput(fmt.Errorf("%s: %w", id, err))
	}
	closeReg := func() { reg.Close() }
	app.Signer, app.Verified = inst.Signer, inst.Verified
	if inst.Verified {
		if ts, err := openTrust(cfg); err == nil {
			if t, err := ts.Check(bundle.KeyID(inst.Signer)); err == nil {
				app.Publisher = t.Key.Name
			}
		}
	}
	if err := lintForLaunch(cfg, id, app); err != nil {
		closeReg()
		return nil, none, err
	}
	return app, closeReg, nil
}

// keyAndInput reads a signing key (--key, required) and the file to sign.
func keyAndInput(verb, key, path string) (ed25519.PrivateKey, []byte, error) {
	if key == "" {
		return nil, nil, badInput(fmt.Errorf("%s: --key KEYFILE is required", verb))
	}
	priv, err := bundle.ReadPrivateKey(key)
	if err != nil {
		return nil, nil, badInput(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, badInput(err)
	}
	return priv, raw, nil
}
