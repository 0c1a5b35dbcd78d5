package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
)

func newStoreCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Publish to and serve an app catalog (static, signed files)",
		Long: `An app catalog is a folder of static files: a signed index.json and the bundles.
Any web server, CDN or object store can host it; ` + "`shell store serve`" + ` is for
development and single machines. See docs/appstore.md.`,
	}
	var key, channel string
	var rollout int
	var replace bool
	add := &cobra.Command{
		Use:   "add DIR APP.sfa --key KEYFILE",
		Short: "Publish a signed bundle (with its subpackage bundles beside it) into a catalog folder and re-sign its index",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" {
				return badInput(errors.New("store add: --key KEYFILE (the catalog's signing key) is required"))
			}
			priv, err := bundle.ReadPrivateKey(key)
			if err != nil {
				return badInput(err)
			}
			f, err := os.Open(args[1])
			if err != nil {
				return badInput(err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			// The subpackage bundles `shell pack` wrote beside the core are published with it.
			core, err := openBundleFile(args[1])
			if err != nil {
				return badInput(err)
			}
			subs, _, err := subpackageSet(nil, args[1], core, false)
			if err != nil {
				return badInput(err)
			}
			idx, err := catalog.AddSet(args[0], f, st.Size(), subs, priv, catalog.PublishOptions{Channel: channel, Rollout: rollout, Replace: replace})
			if err != nil {
				return badInput(fmt.Errorf("%s: %w", args[1], err))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: index version %d, %d apps\n", args[0], idx.Version, len(idx.Apps))
			return nil
		},
	}
	add.Flags().StringVar(&key, "key", "", "the catalog's signing key")
	add.Flags().StringVar(&channel, "channel", "", "point this channel at the release (default stable)")
	add.Flags().IntVar(&rollout, "rollout", 100, "for a channel other than stable: the percentage of machines offered it")
	add.Flags().BoolVar(&replace, "replace", false, "replace a version already published with other bytes")

	var addr string
	var public bool
	serve := &cobra.Command{
		Use:   "serve DIR --addr 127.0.0.1:PORT",
		Short: "Serve a catalog folder over HTTP (read-only)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return catalog.ServeWith(ctx, args[0], addr, catalog.ServeOptions{
				AllowNonLoopback: public,
				Listening: func(a net.Addr) {
					fmt.Fprintf(cmd.OutOrStdout(), "serving %s on http://%s/\n", args[0], a)
				},
			})
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "the address to listen on")
	serve.Flags().BoolVar(&public, "public", false, "allow a non-loopback address (put a real web server in front for a fleet)")
	cmd.AddCommand(add, serve)
	return cmd
}
