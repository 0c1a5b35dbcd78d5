package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/atomicfile"
)

// maxDefsDownload bounds a definitions download.
const maxDefsDownload = 8 << 20

// currentDefs is the newest verified definitions this shell has, or nil.
func currentDefs(cfg configs.Config) (*lint.Definitions, error) {
	raw, err := os.ReadFile(cfg.DefsPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d, _, err := verifyDefs(cfg, raw)
	if err != nil {
		return nil, fmt.Errorf("security definitions %s: %w (run shell defs update)", cfg.DefsPath(), err)
	}
	return d, nil
}

// verifyDefs checks raw against every trusted, unrevoked key.
func verifyDefs(cfg configs.Config, raw []byte) (*lint.Definitions, trust.Key, error) {
	ts, err := openTrust(cfg)
	if err != nil {
		return nil, trust.Key{}, err
	}
	keys, err := ts.List()
	if err != nil {
		return nil, trust.Key{}, err
	}
	var last error = errors.New("no trusted key to check them with")
	for _, k := range keys {
		if k.Revoked || k.Public == nil {
			continue
		}
		d, err := lint.ParseDefinitions(raw, k.Public)
		if err == nil {
			return d, k, nil
		}
		last = err
	}
	return nil, trust.Key{}, fmt.Errorf("not signed by a trusted key: %w", last)
}

func newDefsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "defs",
		Short: "Security definitions: known-malicious files, banned patterns, revoked signers",
	}
	update := &cobra.Command{
		Use: "update --catalog URL", Short: "Fetch newer signed definitions from a catalog", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			base, _ := cmd.Flags().GetString("catalog")
			if base == "" {
				return badInput(errors.New("defs update: --catalog URL is required"))
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+"/defs.json", nil)
			if err != nil {
				return badInput(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("defs update: %s answered %s", base, resp.Status)
			}
			raw, err := io.ReadAll(io.LimitReader(resp.Body, maxDefsDownload+1))
			if err != nil {
				return err
			}
			if len(raw) > maxDefsDownload {
				return fmt.Errorf("defs update: larger than %d bytes", maxDefsDownload)
			}
			d, k, err := verifyDefs(cfg, raw)
			if err != nil {
				return fmt.Errorf("defs update: %w", err)
			}
			cur, err := currentDefs(cfg)
			if err != nil {
				return err
			}
			if cur != nil {
				if err := d.Supersedes(cur); err != nil {
					fmt.Fprintf(cmd.OutOrStdout(), "definitions %d are current (%v)\n", cur.Version, err)
					return nil
				}
			}
			if err := os.MkdirAll(cfg.Paths.Data, 0o700); err != nil {
				return err
			}
			if err := atomicfile.Write(cfg.DefsPath(), raw, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "definitions %d (signed by %s): %d malicious digests, %d banned patterns, %d revoked signers\n",
				d.Version, k.Name, len(d.MaliciousSHA256), len(d.BannedPatterns), len(d.RevokedSigners))
			return nil
		},
	}
	update.Flags().String("catalog", "", "the catalog to fetch defs.json from")
	var key, out string
	sign := &cobra.Command{
		Use: "sign SOURCE.json --key KEYFILE -o defs.json", Short: "Sign definitions for a catalog (publishers)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, raw, err := keyAndInput("defs sign", key, args[0])
			if err != nil {
				return err
			}
			var d lint.Definitions
			if err := json.Unmarshal(raw, &d); err != nil {
				return badInput(fmt.Errorf("%s: %w", args[0], err))
			}
			if d.Issued.IsZero() {
				d.Issued = time.Now().UTC().Truncate(time.Second)
			}
			signed, err := lint.SignDefinitions(d, priv)
			if err != nil {
				return badInput(err)
			}
			return atomicfile.Write(out, signed, 0o644)
		},
	}
	sign.Flags().StringVar(&key, "key", "", "the signing key (a key the shells trust)")
	sign.Flags().StringVarP(&out, "out", "o", "defs.json", "where to write the signed definitions")
	show := &cobra.Command{
		Use: "show", Short: "Show the definitions in force", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			d, err := currentDefs(cfg)
			if err != nil {
				return err
			}
			if d == nil {
				fmt.Fprintln(cmd.OutOrStdout(), "no security definitions yet (shell defs update --catalog URL)")
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "version %d, issued %s: %d malicious digests, %d banned patterns, %d revoked signers\n",
				d.Version, d.Issued.Format(time.DateTime), len(d.MaliciousSHA256), len(d.BannedPatterns), len(d.RevokedSigners))
			return nil
		},
	}
	cmd.AddCommand(update, sign, show)
	return cmd
}
