package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/perms"
)

func newPermsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "perms",
		Short: "See and change what mini-apps may use",
		Long: `See and change the capabilities each mini-app was granted or denied. A change takes
effect at once, in running apps too. Decisions are kept per app and publisher (signer).`,
	}
	var signer string
	var cfg configs.Config
	open := func() (*perms.Store, perms.Policy, error) {
		var err error
		if cfg, err = loadConfig(g, nil); err != nil {
			return nil, perms.Policy{}, err
		}
		policy, err := policyOf(cfg)
		if err != nil {
			return nil, perms.Policy{}, err
		}
		st, err := perms.OpenStore(cfg.PermsPath())
		return st, policy, err
	}
	list := &cobra.Command{
		Use:   "list [APP]",
		Short: "List the decisions, of one app or of all",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, _, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			app := ""
			if len(args) == 1 {
				app, _, _ = strings.Cut(args[0], "@") // every identity of the id
			}
			grants, err := st.List(app)
			if err != nil {
				return err
			}
			sort.Slice(grants, func(i, j int) bool {
				if grants[i].App != grants[j].App {
					return grants[i].App < grants[j].App
				}
				return grants[i].Capability < grants[j].Capability
			})
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "APP\tPUBLISHER\tCAPABILITY\tDECISION\tCHANGED")
			for _, gr := range grants {
				pub := gr.Signer
				if pub == "" {
					pub = "unverified"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", gr.App, pub, gr.Capability, gr.Decision, gr.Updated.Local().Format(time.DateTime))
			}
			if len(grants) == 0 {
				fmt.Fprintln(w, "(no decisions)")
			}
			return w.Flush()
		},
	}
	set := func(use, short string, d perms.Decision) *cobra.Command {
		return &cobra.Command{
			Use: use + " APP CAPABILITY", Short: short, Args: cobra.ExactArgs(2), Long: appNames,
			RunE: func(cmd *cobra.Command, args []string) error {
				name, capability := args[0], args[1]
				if _, ok := perms.Lookup(capability); !ok {
					return badInput(fmt.Errorf("unknown capability %q (see `shell perms catalog`)", capability))
				}
				st, policy, err := open()
				if err != nil {
					return err
				}
				defer st.Close()
				id, err := resolveApp(cfg, name)
				if err != nil {
					return err
				}
				if signer != "" { // the older way to name a signer
					id = identity.Signed(id.ID, signer)
				}
				app := id.Key()
				m := perms.NewManager(perms.Config{Store: st, Policy: policy, Prompter: perms.PolicyPrompter{Policy: policy}})
				a := perms.App{ID: id.ID, Signer: id.Signer}
				if d == perms.DecisionGranted {
					err = m.Grant(a, capability)
				} else {
					err = m.Revoke(a, capability)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s %s\n", app, capability, d)
				return nil
			},
		}
	}
	reset := &cobra.Command{
		Use: "reset APP", Short: "Forget every decision of an app: it asks again", Args: cobra.ExactArgs(1), Long: appNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, _, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			id, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			if err := st.ResetIdentity(id); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: every decision forgotten\n", id)
			return nil
		},
	}
	catalog := &cobra.Command{
		Use: "catalog", Short: "List the capabilities mini-apps can ask for", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CAPABILITY\tRISK\tWHAT IT ALLOWS")
			for _, c := range perms.Catalog() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", c.Name, c.Risk, c.Description)
			}
			return w.Flush()
		},
	}
	grant := set("grant", "Grant a capability to an app", perms.DecisionGranted)
	revoke := set("revoke", "Revoke a capability: the app's next use fails without asking", perms.DecisionDenied)
	for _, c := range []*cobra.Command{grant, revoke} {
		c.Flags().StringVar(&signer, "signer", "", "the publisher key id the decision is for (default: the installed app's; or name the app ID@KEYID)")
	}
	cmd.AddCommand(list, grant, revoke, reset, catalog)
	return cmd
}

func newAuditCmd(g *globals) *cobra.Command {
	var since time.Duration
	var denied, verify bool
	var last int
	cmd := &cobra.Command{
		Use:   "audit [APP]",
		Short: "Show the audit log: every API call and every refused message",
		Long: `Show the audit log: every API call and every refused message.

Each line carries a hash chained to the line before it, across rotated files.
--verify checks the chain and names the first line changed, removed or
reordered (exit status 1); lines an older shell wrote without a hash start a
new chain, which it notes. Lines removed from the very end cannot be seen.`,
		Example: `  shell audit
  shell audit dev.sandframe.todo --since 1h --denied
  shell audit --last 50
  shell audit --verify`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if verify && (len(args) > 0 || since > 0 || denied || last > 0) {
				return badInput(errors.New("--verify checks the whole log: it takes no APP, --since, --denied or --last"))
			}
			if last < 0 {
				return badInput(fmt.Errorf("--last %d: want a count", last))
			}
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			if verify {
				return verifyAudit(cmd.OutOrStdout(), cfg.AuditPath())
			}
			f := bridge.Filter{DeniedOnly: denied, Last: last}
			if len(args) == 1 {
				f.App = args[0]
			}
			if since > 0 {
				f.Since = time.Now().Add(-since)
			}
			if last > 0 {
				entries, err := bridge.ReadAudit(cfg.AuditPath(), f)
				if err != nil {
					return err
				}
				return bridge.FormatAuditTable(cmd.OutOrStdout(), entries)
			}
			// Stream: the log can be large; rows come in file order.
			t := bridge.NewAuditTable(cmd.OutOrStdout())
			if err := bridge.ScanAudit(cfg.AuditPath(), f, func(e bridge.AuditEntry) error { t.Add(e); return nil }); err != nil {
				t.Close()
				return err
			}
			return t.Close()
		},
	}
	cmd.Flags().DurationVar(&since, "since", 0, "only entries this recent (e.g. 30m, 24h)")
	cmd.Flags().BoolVar(&denied, "denied", false, "only what the shell refused")
	cmd.Flags().IntVar(&last, "last", 0, "only the last N entries selected")
	cmd.Flags().BoolVar(&verify, "verify", false, "check the log's hash chain; exit status 1 if a line was changed, removed or reordered")
	return cmd
}

// verifyAudit prints what bridge.VerifyAudit found; a broken chain is an error (status 1).
func verifyAudit(w io.Writer, path string) error {
	rep, err := bridge.VerifyAudit(path)
	if err != nil {
		return err
	}
	for _, r := range rep.Restarts {
		fmt.Fprintf(w, "note: new chain at %s\n", r)
	}
	if rep.Break != "" {
		fmt.Fprintf(w, "BROKEN at %s: %s (%d lines checked)\n", rep.Break, rep.Reason, rep.Lines)
		return fmt.Errorf("audit log: chain broken at %s", rep.Break)
	}
	fmt.Fprintf(w, "OK: %d lines, chain intact\n", rep.Lines)
	return nil
}

func newQuarantineCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quarantine",
		Short: "See and release apps stopped for breaking the rules",
	}
	var cfg configs.Config
	open := func() (*monitor.Quarantine, error) {
		var err error
		if cfg, err = loadConfig(g, nil); err != nil {
			return nil, err
		}
		// Entries an older shell kept under bare ids move to identities first.
		st, err := openStorage(cfg)
		if err != nil {
			return nil, err
		}
		st.Close()
		return monitor.OpenQuarantine(cfg.QuarantinePath())
	}
	list := &cobra.Command{
		Use: "list", Short: "List quarantined apps", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := open()
			if err != nil {
				return err
			}
			defer q.Close()
			entries, err := q.List()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "APP\tREASON\tSINCE")
			for _, e := range entries {
				fmt.Fprintf(w, "%s\t%s\t%s\n", e.App, monitor.Describe(e.Reason), e.Since.Local().Format(time.DateTime))
			}
			if len(entries) == 0 {
				fmt.Fprintln(w, "(none)")
			}
			return w.Flush()
		},
	}
	release := &cobra.Command{
		Use: "release APP", Short: "Let a quarantined app start again", Args: cobra.ExactArgs(1), Long: appNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := open()
			if err != nil {
				return err
			}
			defer q.Close()
			id, err := resolveApp(cfg, args[0])
			if err != nil {
				return err
			}
			if err := q.Release(id.Key()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: released\n", id)
			return nil
		},
	}
	cmd.AddCommand(list, release)
	return cmd
}
