package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// openStorage opens every app's encrypted storage as the config places it, after
// moving what an older shell kept under bare app ids to the apps' identities (once).
func openStorage(cfg configs.Config) (*storage.Store, error) {
	st, err := storage.Open(storage.Config{
		Dir: cfg.StoragePath(), ConfigDir: cfg.Paths.Config,
		MaxKeyBytes: cfg.Storage.MaxKeyBytes, MaxAppBytes: cfg.Storage.MaxAppBytes,
	})
	if err != nil {
		return nil, err
	}
	if err := migrateIdentities(cfg, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// appNames is the help on how a command names an app.
const appNames = `APP names an app: its id names the installed app of that id (the unverified one
when none is installed); ID@unverified names an unsigned folder or bundle that declares
the id (a twin of an installed signed app is kept apart under that name); ID@KEYID the
app of that id signed by that key.`

func newStorageCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "storage",
		Short: "See, clear and re-key mini-apps' encrypted storage",
	}
	var shares *share.Store
	var cfg configs.Config
	withStore := func(f func(cmd *cobra.Command, st *storage.Store, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			var err error
			if cfg, err = loadConfig(g, nil); err != nil {
				return err
			}
			st, err := openStorage(cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			if shares, err = share.Open(st, cfg.SharesPath()); err != nil {
				return err
			}
			defer shares.Close()
			return f(cmd, st, args)
		}
	}
	var reveal bool
	ls := &cobra.Command{
		Use: "ls APP", Short: "List an app's keys and sizes (values with --reveal)", Args: cobra.ExactArgs(1),
		Long: appNames,
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, args []string) error {
			id, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			app, err := st.App(id.Key())
			if err != nil {
				return err
			}
			keys, err := app.Keys()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			if reveal {
				fmt.Fprintln(w, "KEY\tBYTES\tVALUE")
			} else {
				fmt.Fprintln(w, "KEY\tBYTES")
			}
			for _, k := range keys {
				if !reveal {
					fmt.Fprintf(w, "%q\t%d\n", k.Name, k.Size)
					continue
				}
				v, err := app.Get(k.Name)
				if err != nil {
					return fmt.Errorf("%s: %w", k.Name, err)
				}
				fmt.Fprintf(w, "%q\t%d\t%s\n", k.Name, k.Size, v)
			}
			if len(keys) == 0 {
				fmt.Fprintln(w, "(no keys)")
			}
			return w.Flush()
		}),
	}
	ls.Flags().BoolVar(&reveal, "reveal", false, "also print the values (decrypted)")
	du := &cobra.Command{
		Use: "du", Short: "Storage used by each app", Args: cobra.NoArgs,
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, _ []string) error {
			usage, err := st.Usage()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "APP\tKEYS\tBYTES")
			for _, u := range usage {
				fmt.Fprintf(w, "%s\t%d\t%d\n", u.App, u.Keys, u.Bytes)
			}
			if len(usage) == 0 {
				fmt.Fprintln(w, "(no app has stored anything)")
			}
			return w.Flush()
		}),
	}
	clear := &cobra.Command{
		Use: "clear APP", Short: "Remove an app's data, its keys and what it shared, leaving nothing behind", Args: cobra.ExactArgs(1),
		Long: appNames + `

Clearing goes through the one list of everything an app has (internal/appdata) with the
scope "data": its storage, what it shared and the consents naming it, its login key
(wx.login's pseudonym: the next login is a new one), its cached remote images. Its permission decisions and quarantine entry stay (uninstall removes those).
The cookie jars of a running shell are in its memory: the launcher's clear wipes them.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			id, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			if err := withStores(cfg, func(s *services) error {
				return s.appStores().Wipe(context.Background(), id, appdata.Data)
			}); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: storage wiped\n", id)
			return nil
		},
	}
	rotate := &cobra.Command{
		Use: "rotate-key APP", Short: "Re-encrypt an app's data under a new key", Args: cobra.ExactArgs(1),
		Long: appNames,
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, args []string) error {
			id, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			if err := st.RotateKey(id.Key()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: data re-encrypted under a new key\n", id)
			return nil
		}),
	}
	cmd.AddCommand(ls, du, clear, rotate)
	return cmd
}

func newShareCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "share",
		Short: "See and revoke which apps may read what other apps share",
	}
	var cfg configs.Config
	open := func() (*storage.Store, *share.Store, error) {
		var err error
		if cfg, err = loadConfig(g, nil); err != nil {
			return nil, nil, err
		}
		st, err := openStorage(cfg)
		if err != nil {
			return nil, nil, err
		}
		sh, err := share.Open(st, cfg.SharesPath())
		if err != nil {
			st.Close()
			return nil, nil, err
		}
		return st, sh, nil
	}
	list := &cobra.Command{
		Use: "list [APP]", Short: "List the consents, of one app or of all", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, sh, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			defer sh.Close()
			app := ""
			if len(args) == 1 {
				id, err := resolveApp(cfg, args[0])
				if err != nil {
					return err
				}
				app = id.Key()
			}
			consents, err := sh.Consents(app)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "READER\tPUBLISHER\tDECISION\tCHANGED")
			for _, c := range consents {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Reader, c.Publisher, c.Decision, c.Updated.Local().Format(time.DateTime))
			}
			if len(consents) == 0 {
				fmt.Fprintln(w, "(no consents)")
			}
			return w.Flush()
		},
	}
	revoke := &cobra.Command{
		Use: "revoke READER PUBLISHER", Short: "Stop READER reading what PUBLISHER shares (it is asked again)", Args: cobra.ExactArgs(2),
		Long: appNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, sh, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			defer sh.Close()
			reader, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			publisher, err := resolveApp(cfg, args[1])
			if err != nil {
				return err
			}
			if err := sh.SetConsent(reader, publisher, share.Denied); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s may no longer read what %s shares\n", reader, publisher)
			return nil
		},
	}
	cmd.AddCommand(list, revoke)
	return cmd
}
