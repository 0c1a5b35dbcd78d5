package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// installedSigner is identity.Resolver's look-up: the signer of the installed app id.
func installedSigner(cfg configs.Config) func(id string) (string, bool, error) {
	return func(id string) (string, bool, error) {
		if bundle.ValidAppID(id) != nil {
			return "", false, nil // not an id anything can be installed under
		}
		reg, err := openRegistryWith(cfg, nil)
		if err != nil {
			return "", false, err
		}
		defer reg.Close()
		in, err := reg.Get(id)
		if errors.Is(err, registry.ErrNotInstalled) {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		return in.Signer, true, nil
	}
}

// resolveApp is the app a person names on the command line: "ID" the installed app of
// that id (else the unverified one), "ID@unverified" an unsigned twin, "ID@KEYID" the
// app of that id signed by that key.
func resolveApp(cfg configs.Config, name string) (identity.App, error) {
	a, err := identity.Resolver{Installed: installedSigner(cfg)}.Resolve(name)
	if err != nil {
		return a, badInput(err)
	}
	return a, nil
}

// identities is the resolver the host uses when an app names another by id.
func identities(cfg configs.Config) func(id string) identity.App {
	look := installedSigner(cfg)
	return func(id string) identity.App {
		if signer, ok, err := look(id); err == nil && ok {
			return identity.Signed(id, signer)
		}
		return identity.Unverified(id)
	}
}

// isTwin reports whether app claims the id of another app: the one its bare id names
// (the installed app of that id), signed by another key or unsigned.
func isTwin(cfg configs.Config, app identity.App) bool {
	return identities(cfg)(app.ID) != app
}

// isolationFor is the isolation mode of app: a per-app entry of the config names the
// app its id resolves to, so a twin gets the default for unverified apps instead.
func isolationFor(cfg configs.Config, app identity.App, verified bool) string {
	if isTwin(cfg, app) {
		return cfg.IsolationOf("", false)
	}
	return cfg.IsolationOf(app.ID, verified)
}

// warnTwin says so when the app about to run claims the id of an installed app signed
// by another key (or is unsigned): it runs as a separate, unverified app, with its own
// data, and sees nothing of the installed one.
func warnTwin(cfg configs.Config, log *slog.Logger, app *host.App) {
	me := app.Identity()
	signer, ok, err := installedSigner(cfg)(me.ID)
	if err != nil || !ok || signer == "" || signer == me.Signer {
		return
	}
	log.Warn("this app claims the id of an installed app signed by another publisher: it runs as a separate app, "+
		"with its own data, and sees nothing of the installed one",
		"app", me.Key(), "installed", identity.Signed(me.ID, signer).Key())
}

// auditSignerChange writes the audit line of an allowed signer change.
func auditSignerChange(cfg configs.Config, stderr io.Writer, old []identity.App, next identity.App) {
	keys := make([]string, len(old))
	for i, a := range old {
		keys[i] = a.Key()
	}
	reason := fmt.Sprintf("signer changed (--allow-signer-change): wiped the data and decisions of %s; now %s",
		strings.Join(keys, ", "), next.Key())
	fmt.Fprintf(stderr, "%s: %s\n", next.ID, reason)
	audit, err := bridge.OpenAuditLog(bridge.AuditConfig{Path: cfg.AuditPath(), MaxSizeMB: cfg.Audit.MaxSizeMB, MaxBackups: cfg.Audit.Backups})
	if err != nil {
		fmt.Fprintf(stderr, "warning: audit log: %v\n", err)
		return
	}
	defer audit.Close()
	audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: next.Key(), Kind: "install", Decision: "signer-changed", Reason: reason})
}

// identityMigrated marks, in the data folder, that the stores are keyed by identity;
// identityMigrating that a migration started (and, found at the next start, crashed).
const (
	identityMigrated  = "identity-migrated"
	identityMigrating = "identity-migrating"
)

// migrateIdentities moves what an older shell kept under bare app ids (storage
// namespaces, published shares, share consents, quarantine entries) to the app's
// identity: the installed app's (the registry knows its signer), else the unverified
// one; and permission decisions kept under a trusted publisher's name to its key id.
// It runs once (a marker file records it); a crash part way runs it again, and every
// step is idempotent.
//
// Before it, no store held an identity key: a name that looks like a signed identity
// ("ID@KEYID") was an unsigned folder's id chosen to pass for one (app ids may no longer
// hold an '@'). Such a name goes to the unverified namespace of that whole name, so it
// plants nothing in the signed app's data or standing. Resuming after a crash, keyed
// names are the migration's own and stay.
func migrateIdentities(cfg configs.Config, st *storage.Store) error {
	marker := filepath.Join(cfg.Paths.Data, identityMigrated)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	progress := filepath.Join(cfg.Paths.Data, identityMigrating)
	_, err := os.Stat(progress)
	resuming := err == nil
	if !resuming {
		if err := atomicfile.Write(progress, []byte("1\n"), 0o600); err != nil {
			return fmt.Errorf("moving stored data to app identities: %w", err)
		}
	}
	if err := doMigrateIdentities(cfg, st, resuming); err != nil {
		return fmt.Errorf("moving stored data to app identities: %w", err)
	}
	if err := atomicfile.Write(marker, []byte("1\n"), 0o600); err != nil {
		return err
	}
	return os.Remove(progress)
}

// plantsFirst orders names so that those that look like identities are moved away
// before bare ids are moved into the identities they name.
func plantsFirst(names []string) []string {
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int {
		ka, kb := strings.Contains(a, "@"), strings.Contains(b, "@")
		switch {
		case ka == kb:
			return 0
		case ka:
			return -1
		}
		return 1
	})
	return out
}

func doMigrateIdentities(cfg configs.Config, st *storage.Store, resuming bool) error {
	reg, err := openRegistryWith(cfg, nil)
	if err != nil {
		return err
	}
	defer reg.Close()
	installed, err := reg.List()
	if err != nil {
		return err
	}
	// target is where what an older shell kept under name goes; ok false: it stays.
	target := func(name string) (to identity.App, ok bool) {
		if a, err := identity.Parse(name); err == nil {
			if resuming || !a.IsSigned() {
				return a, false
			}
			return identity.Unverified(name), true // a plant: see above
		}
		for _, in := range installed {
			if in.ID == name {
				return identity.Signed(name, in.Signer), true
			}
		}
		return identity.Unverified(name), true
	}
	names, err := st.Stored()
	if err != nil {
		return err
	}
	for _, name := range plantsFirst(names) {
		if login.IsNamespace(name) {
			continue // login keys came with identity keys: never a bare id's
		}
		base, shares := strings.CutSuffix(name, "#shares")
		to, ok := target(base)
		if !ok {
			continue
		}
		dst := to.Key()
		if shares {
			dst = share.NamespaceOf(dst)
		}
		if err := st.Move(name, dst); err != nil {
			return err
		}
	}
	sh, err := share.Open(st, cfg.SharesPath())
	if err != nil {
		return err
	}
	defer sh.Close()
	named, err := sh.Named()
	if err != nil {
		return err
	}
	for _, name := range plantsFirst(named) {
		if to, ok := target(name); ok {
			if err := sh.Rekey(name, to); err != nil {
				return err
			}
		}
	}
	q, err := monitor.OpenQuarantine(cfg.QuarantinePath())
	if err != nil {
		return err
	}
	defer q.Close()
	entries, err := q.List()
	if err != nil {
		return err
	}
	apps := make([]string, len(entries))
	for i, e := range entries {
		apps[i] = e.App
	}
	for _, app := range plantsFirst(apps) {
		if to, ok := target(app); ok {
			if err := q.Rekey(app, to.Key()); err != nil {
				return err
			}
		}
	}
	// An older shell kept a verified app's decisions under its publisher's name.
	ts, err := openTrust(cfg)
	if err != nil {
		return err
	}
	var ps *perms.Store
	defer func() {
		if ps != nil {
			ps.Close()
		}
	}()
	for _, in := range installed {
		if in.Signer == "" {
			continue
		}
		t, err := ts.Check(bundle.KeyID(in.Signer))
		if err != nil || t.Key.Name == "" {
			continue
		}
		if ps == nil {
			if ps, err = perms.OpenStore(cfg.PermsPath()); err != nil {
				return err
			}
		}
		if err := ps.Rekey(identity.Signed(in.ID, in.Signer), t.Key.Name); err != nil {
			return err
		}
	}
	return nil
}
