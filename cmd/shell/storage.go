package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// openStorage opens every app's encrypted storage as the config places it.
func openStorage(cfg configs.Config) (*storage.Store, error) {
	return storage.Open(storage.Config{
		Dir: cfg.StoragePath(), ConfigDir: cfg.Paths.Config,
		MaxKeyBytes: cfg.Storage.MaxKeyBytes, MaxAppBytes: cfg.Storage.MaxAppBytes,
	})
}

func newStorageCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "storage",
		Short: "See, clear and re-key mini-apps' encrypted storage",
	}
	var shares *share.Store
	withStore := func(f func(cmd *cobra.Command, st *storage.Store, args []string) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
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
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, args []string) error {
			app, err := st.App(args[0])
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
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, args []string) error {
			if err := st.Wipe(args[0]); err != nil {
				return err
			}
			if err := shares.Wipe(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: storage wiped\n", args[0])
			return nil
		}),
	}
	rotate := &cobra.Command{
		Use: "rotate-key APP", Short: "Re-encrypt an app's data under a new key", Args: cobra.ExactArgs(1),
		RunE: withStore(func(cmd *cobra.Command, st *storage.Store, args []string) error {
			if err := st.RotateKey(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: data re-encrypted under a new key\n", args[0])
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
	open := func() (*storage.Store, *share.Store, error) {
		cfg, err := loadConfig(g, nil)
		if err != nil {
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
				app = args[0]
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
		RunE: func(cmd *cobra.Command, args []string) error {
			st, sh, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			defer sh.Close()
			if err := sh.SetConsent(args[0], args[1], share.Denied); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s may no longer read what %s shares\n", args[0], args[1])
			return nil
		},
	}
	cmd.AddCommand(list, revoke)
	return cmd
}
