package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// Uninstall removes the app: its rows (one transaction), then every version's files,
// then Config.OnUninstall wipes what the host keeps for it. When OnUninstall fails the
// app is already gone from Get and List, the wipe stays pending and the error is
// returned; calling Uninstall again (or installing the app again) finishes the wipe.
func (r *Registry) Uninstall(id string) error {
	if err := bundle.ValidAppID(id); err != nil { // id names a directory to remove
		return fmt.Errorf("uninstall %q: %w", id, err)
	}
	defer r.appLock(id)()
	tx, err := r.db.Begin()
	if err != nil {
		return fmt.Errorf("uninstall %s: %w", id, err)
	}
	defer tx.Rollback()
	var installed, pending bool
	if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM apps WHERE id = ?),
		EXISTS (SELECT 1 FROM wipes WHERE id = ?)`, id, id).Scan(&installed, &pending); err != nil {
		return fmt.Errorf("uninstall %s: %w", id, err)
	}
	if !installed && !pending {
		return fmt.Errorf("uninstall %s: %w", id, ErrNotInstalled)
	}
	// The identities whose data the wipe removes: every signer the app was installed
	// under. The pin goes with the data: a later install of the id, by anyone, starts a
	// new app with nothing of this one's.
	signers, err := wipeSigners(tx, id)
	if err != nil {
		return fmt.Errorf("uninstall %s: %w", id, err)
	}
	for _, st := range []struct {
		q    string
		args []any
	}{
		{"DELETE FROM versions WHERE app = ?", []any{id}},
		{"DELETE FROM apps WHERE id = ?", []any{id}},
		{"DELETE FROM pins WHERE app = ?", []any{id}},
		{`INSERT INTO wipes (id, since, identities) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET identities = excluded.identities`, []any{id, time.Now().UTC().Format(time.RFC3339Nano), signers}},
	} {
		if _, err := tx.Exec(st.q, st.args...); err != nil {
			return fmt.Errorf("uninstall %s: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("uninstall %s: %w", id, err)
	}
	if err := r.finishWipe(id); err != nil {
		return fmt.Errorf("uninstall %s: %w", id, err)
	}
	r.log.Info("registry: uninstalled", "app", id)
	return nil
}

// wipeSigners is the JSON list of the signers id was installed under (its versions',
// its pin's, and those of a wipe still pending), "" for unsigned.
func wipeSigners(tx *sql.Tx, id string) (string, error) {
	rows, err := tx.Query(`SELECT signer FROM versions WHERE app = ? UNION SELECT signer FROM pins WHERE app = ?`, id, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var signers []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		signers = append(signers, s)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	var pending string
	if err := tx.QueryRow("SELECT identities FROM wipes WHERE id = ?", id).Scan(&pending); err == nil && pending != "" {
		var more []string
		if json.Unmarshal([]byte(pending), &more) == nil {
			signers = append(signers, more...)
		}
	}
	slices.Sort(signers)
	raw, err := json.Marshal(slices.Compact(signers))
	return string(raw), err
}

// finishWipe completes a pending uninstall of id, if there is one: the files, then
// OnUninstall, then the pending mark. The caller holds the app's lock.
func (r *Registry) finishWipe(id string) error {
	var pending sql.NullString
	switch err := r.db.QueryRow("SELECT identities FROM wipes WHERE id = ?", id).Scan(&pending); {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	var signers []string
	if pending.String != "" {
		if err := json.Unmarshal([]byte(pending.String), &signers); err != nil {
			return fmt.Errorf("pending wipe: %w", err)
		}
	}
	if len(signers) == 0 {
		// A wipe left pending by a shell before identities: its data, kept under the bare
		// id, is what the identity migration moved to the unverified namespace.
		signers = []string{""}
	}
	apps := make([]identity.App, len(signers))
	for i, s := range signers {
		apps[i] = identity.Signed(id, s)
	}
	unlock, _, err := lockDir(filepath.Join(r.dir, lockName), true, true)
	if err != nil {
		return fmt.Errorf("lock %s: %w", r.dir, err)
	}
	err = r.sweep(id) // no row names any of its versions now
	unlock()
	if err != nil {
		return fmt.Errorf("removing files: %w", err)
	}
	if r.onUninstall != nil {
		if err := r.onUninstall(apps); err != nil {
			return fmt.Errorf("wiping the app's data (retried by the next uninstall): %w", err)
		}
	}
	if _, err := r.db.Exec("DELETE FROM wipes WHERE id = ?", id); err != nil {
		return err
	}
	// secure_delete zeroed the rows; Scrub leaves no copy of them in the WAL or an
	// index page either, so the file no longer names the app.
	busy, err := privatedb.Scrub(context.Background(), r.db)
	if err != nil {
		return fmt.Errorf("scrubbing the registry: %w", err)
	}
	if busy {
		r.log.Warn("registry: another process reads the registry; its WAL is emptied at a later checkpoint", "app", id)
	}
	return nil
}

// Rollback makes the previous version current again and removes the newer one's
// files. It goes back once: afterwards there is no previous version until the next
// install. It refuses when the previous version's signer has since been revoked (or,
// for a verified install, is no longer trusted) and when its files no longer match
// their manifest. Being deliberate, a rollback needs no AllowDowngrade.
func (r *Registry) Rollback(id string) (*Installed, error) {
	if err := bundle.ValidAppID(id); err != nil {
		return nil, fmt.Errorf("rollback %q: %w", id, err)
	}
	defer r.appLock(id)()
	cur, prev, err := loadApp(r.db, id)
	switch {
	case err != nil:
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	case cur == nil:
		return nil, fmt.Errorf("rollback %s: %w", id, ErrNotInstalled)
	case prev == nil:
		return nil, fmt.Errorf("rollback %s (%s): %w", id, cur.version, ErrNoPrevious)
	}
	if _, _, err := r.check(prev); err != nil {
		return nil, fmt.Errorf("rollback %s to %s: %w", id, prev.version, err)
	}
	switch pin, err := loadPin(r.db, id); {
	case err != nil:
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	case pin != "" && prev.signer != pin:
		return nil, fmt.Errorf("rollback %s to %s: it is %s, and %s is pinned to key %s: %w",
			id, prev.version, describeSigner(prev.signer), id, pin, ErrSignerChanged)
	}

	tx, err := r.db.Begin()
	if err != nil {
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	}
	defer tx.Rollback()
	var curDir string
	var prevDir sql.NullString
	if err := tx.QueryRow("SELECT current, previous FROM apps WHERE id = ?", id).Scan(&curDir, &prevDir); err != nil ||
		curDir != cur.dir || prevDir.String != prev.dir {
		// Another process changed the app since it was read.
		return nil, fmt.Errorf("rollback %s: the app changed meanwhile, try again (%v)", id, err)
	}
	if _, err := tx.Exec("UPDATE apps SET current = ?, previous = NULL WHERE id = ?", prev.dir, id); err != nil {
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	}
	if _, err := tx.Exec("DELETE FROM versions WHERE dir = ?", cur.dir); err != nil {
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("rollback %s: %w", id, err)
	}
	r.removeDirs([]string{cur.dir})
	r.log.Info("registry: rolled back", "app", id, "from", cur.version, "to", prev.version)
	return r.Get(id)
}

// Verify is the launch check of an installed app: its signer is not revoked and, for a
// verified install, still trusted, with the stored signature holding for the trusted
// key; and its directory holds exactly the files of its manifest, every one re-hashed.
// The Installed it returns says Verified as of now (a sideloaded app whose signer has
// since been trusted counts as verified). The manifest is returned for further checks
// (security definitions list digests of known-malicious files).
func (r *Registry) Verify(id string) (*Installed, *bundle.Manifest, error) {
	cur, _, err := loadApp(r.db, id)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("verify %s: %w", id, err)
	case cur == nil:
		return nil, nil, fmt.Errorf("verify %s: %w", id, ErrNotInstalled)
	}
	m, verified, err := r.check(cur)
	if err != nil {
		return nil, nil, fmt.Errorf("verify %s %s: %w", id, cur.version, err)
	}
	in, err := r.Get(id)
	if err != nil {
		return nil, nil, err
	}
	if in.Path != r.abs(cur.dir) {
		return nil, nil, fmt.Errorf("verify %s: the app changed meanwhile, try again", id)
	}
	in.Verified = verified
	return in, m, nil
}

// check verifies one installed version: its manifest row, its signer's standing and
// signature, its files.
func (r *Registry) check(v *version) (*bundle.Manifest, bool, error) {
	m, err := bundle.ParseManifest(v.manifest)
	if err != nil {
		return nil, false, fmt.Errorf("stored manifest: %w", err)
	}
	if m.AppID != v.app || m.Version != v.version || string(m.Signer) != v.signer {
		return nil, false, fmt.Errorf("stored manifest names %s %s signed by %q: %w", m.AppID, m.Version, m.Signer, ErrModified)
	}
	verified := false
	if m.Signer != "" {
		t, err := r.trust.Check(m.Signer)
		if err != nil {
			return nil, false, err
		}
		switch {
		case t.Status == trust.Revoked:
			return nil, false, fmt.Errorf("signer %s: %w: %s", m.Signer, trust.ErrRevoked, t.Key.Reason)
		case t.Status == trust.Trusted:
			if !verifySignature(t.Key.Public, v.manifest, v.signature) {
				return nil, false, fmt.Errorf("signer %s: %w", m.Signer, bundle.ErrSignature)
			}
			verified = true
		case v.verified:
			return nil, false, fmt.Errorf("signer %s: %w", m.Signer, trust.ErrUntrusted)
		}
	}
	files, err := r.withSubpackages(v, m)
	if err != nil {
		return nil, false, err
	}
	if err := verifyDir(r.abs(v.dir), files); err != nil {
		return nil, false, err
	}
	return m, verified, nil
}
