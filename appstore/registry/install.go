package registry

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
)

// InstallOptions says what an install may do beyond the safe default.
type InstallOptions struct {
	AllowDowngrade bool // install over a newer version (--allow-downgrade)
	// Sideload lets an unsigned bundle, or one signed by a key the trust store does not
	// hold, be installed; it is recorded as unverified. A revoked signer is refused anyway.
	Sideload bool
	// AllowSignerChange lets a bundle not signed by the key the app id is pinned to
	// (signed by another key, or unsigned) be installed: the app's data is wiped first
	// (OnUninstall, for every identity it had), the pin moves to the new signer, and no
	// rollback to the old publisher's version is kept. Without it that is refused
	// (ErrSignerChanged), so that nobody takes over a publisher's app id and its data
	// with an "update", directly or through an unsigned sideload in between.
	AllowSignerChange bool
	// OnSignerChange, when set, is told about an allowed signer change after the old
	// identities' data was wiped (the CLI writes the audit line).
	OnSignerChange func(old []identity.App, next identity.App)
	Source         string // where the bundle came from (a path, a catalog URL, "bundled"); recorded
}

// Install verifies the bundle and installs it as the app's current version; the version
// it replaces is kept for Rollback. It refuses, writing nothing: a bundle bundle.Open
// refuses; an unsigned or untrusted bundle unless o.Sideload; a revoked signer, always; a
// minShell newer than Config.ShellVersion; a lower version than the installed one unless
// o.AllowDowngrade; another signer than the installed version's unless
// o.AllowSignerChange. Installing the installed version again replaces its files (a
// repair) and keeps the previous version.
func (r *Registry) Install(src io.ReaderAt, size int64, o InstallOptions) (*Installed, error) {
	b, err := bundle.Open(src, size, r.limits)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	m := b.Manifest
	if m.Root != "" {
		return nil, fmt.Errorf("install: %s %s: %w: this is the bundle of subpackage %q; install the app's core bundle (its subpackages are fetched or installed with it)",
			m.AppID, m.Version, bundle.ErrSubpackage, m.Root)
	}
	verified, err := r.checkTrust(b, o.Sideload)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	if err := r.checkShell(m); err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	canon, err := m.Canonical()
	if err != nil {
		return nil, fmt.Errorf("install %s %s: %w", m.AppID, m.Version, err)
	}
	next := &version{
		app: m.AppID, version: m.Version, signer: string(m.Signer), verified: verified,
		installed: time.Now().UTC(), source: o.Source, manifest: canon, signature: b.Signature,
	}

	defer r.appLock(m.AppID)()
	if err := r.finishWipe(m.AppID); err != nil {
		return nil, fmt.Errorf("install %s: %w", m.AppID, err)
	}
	// Refuse before writing anything; the transaction decides again on what it reads.
	cur, prev, err := loadApp(r.db, m.AppID)
	if err != nil {
		return nil, fmt.Errorf("install %s: registry: %w", m.AppID, err)
	}
	pin, err := loadPin(r.db, m.AppID)
	if err != nil {
		return nil, fmt.Errorf("install %s: registry: %w", m.AppID, err)
	}
	p, err := plan(cur, prev, next, pin, o)
	if err != nil {
		return nil, fmt.Errorf("install: %w", err)
	}
	if p.change {
		if err := r.wipeOld(m.AppID, cur, prev, pin, next, o); err != nil {
			return nil, fmt.Errorf("install %s: %w", m.AppID, err)
		}
	}

	hook("verified")
	unlock, _, err := lockDir(filepath.Join(r.dir, lockName), false, true)
	if err != nil {
		return nil, fmt.Errorf("install %s: lock %s: %w", m.AppID, r.dir, err)
	}
	defer unlock()
	if next.dir, err = r.stage(b); err != nil {
		return nil, fmt.Errorf("install %s %s: %w", m.AppID, m.Version, err)
	}
	drop, err := r.commit(next, o)
	if err != nil {
		os.RemoveAll(r.abs(next.dir)) // no row names it: the next Open would remove it too
		return nil, fmt.Errorf("install %s %s: %w", m.AppID, m.Version, err)
	}
	hook("committed")
	r.removeDirs(drop)
	r.log.Info("registry: installed", "app", m.AppID, "version", m.Version, "signer", m.Signer,
		"verified", verified, "source", o.Source)
	return r.Get(m.AppID)
}

// checkTrust decides whether b may be installed and whether it counts as verified.
func (r *Registry) checkTrust(b *bundle.Bundle, sideload bool) (verified bool, err error) {
	_, err = r.trust.Verify(b)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, trust.ErrRevoked):
		return false, err // known bad: not even on purpose
	case !sideload:
		return false, fmt.Errorf("%w (only a sideload may install it, unverified)", err)
	case errors.Is(err, bundle.ErrUnsigned), errors.Is(err, trust.ErrUntrusted):
		return false, nil
	default: // an unreadable store, a key that only shares a trusted key's id: refuse
		return false, err
	}
}

func (r *Registry) checkShell(m *bundle.Manifest) error {
	if r.shell == nil {
		return nil
	}
	min, err := bundle.ParseVersion(m.MinShell)
	if err != nil {
		return fmt.Errorf("%s %s: minShell: %w", m.AppID, m.Version, err)
	}
	if min.Compare(*r.shell) > 0 {
		return fmt.Errorf("%s %s needs shell %s or newer: %w", m.AppID, m.Version, m.MinShell, ErrShellTooOld)
	}
	return nil
}

// installPlan is what installing a version does: which version becomes the previous
// one, which version directories are dropped, and whether the signer changes.
type installPlan struct {
	prev   *version
	drop   []string
	change bool // next is not signed by the pinned key: allowed only with AllowSignerChange
}

// plan decides what installing next over the app's current and previous versions does,
// given the key the id is pinned to ("" none).
func plan(cur, prev, next *version, pin string, o InstallOptions) (installPlan, error) {
	change := pin != "" && next.signer != pin ||
		cur != nil && cur.signer != "" && next.signer != "" && cur.signer != next.signer
	if change && !o.AllowSignerChange {
		was := pin
		if was == "" {
			was = cur.signer
		}
		return installPlan{}, fmt.Errorf("%s was installed signed by key %s, and %s %s is %s: %w "+
			"(only --allow-signer-change installs it, and it first wipes the app's data and permission decisions)",
			next.app, was, next.app, next.version, describeSigner(next.signer), ErrSignerChanged)
	}
	if cur == nil {
		return installPlan{change: change}, nil
	}
	c, err := bundle.CompareVersions(next.version, cur.version)
	if err != nil {
		return installPlan{}, fmt.Errorf("%s: %w", next.app, err)
	}
	if c < 0 && !o.AllowDowngrade {
		return installPlan{}, fmt.Errorf("%s %s is older than the installed %s: %w", next.app, next.version, cur.version, ErrDowngrade)
	}
	if change { // no rollback to another publisher's version
		drop := []string{cur.dir}
		if prev != nil {
			drop = append(drop, prev.dir)
		}
		return installPlan{drop: drop, change: true}, nil
	}
	if c == 0 { // a repair: new files for the same version; the rollback target stays
		return installPlan{prev: prev, drop: []string{cur.dir}}, nil
	}
	var drop []string
	if prev != nil {
		drop = []string{prev.dir}
	}
	return installPlan{prev: cur, drop: drop}, nil
}

func describeSigner(signer string) string {
	if signer == "" {
		return "unsigned"
	}
	return "signed by key " + signer
}

// loadPin is the key id is pinned to, "" none.
func loadPin(q queryer, id string) (string, error) {
	var signer string
	err := q.QueryRow("SELECT signer FROM pins WHERE app = ?", id).Scan(&signer)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return signer, err
}

// identitiesOf lists the identities an app had: the pinned signer's and its versions'.
func identitiesOf(id, pin string, vs ...*version) []identity.App {
	var out []identity.App
	add := func(signer string) {
		a := identity.Signed(id, signer)
		for _, b := range out {
			if b == a {
				return
			}
		}
		out = append(out, a)
	}
	if pin != "" {
		add(pin)
	}
	for _, v := range vs {
		if v != nil {
			add(v.signer)
		}
	}
	return out
}

// wipeOld wipes the data of the identities an app had before an allowed signer change,
// and reports the change. A failed wipe refuses the install.
func (r *Registry) wipeOld(id string, cur, prev *version, pin string, next *version, o InstallOptions) error {
	old := identitiesOf(id, pin, cur, prev)
	if r.onUninstall != nil {
		if err := r.onUninstall(old); err != nil {
			return fmt.Errorf("wiping the app's data before the signer change: %w", err)
		}
	}
	nextID := identity.Signed(id, next.signer)
	r.log.Warn("registry: signer changed: the app's data and decisions were wiped", "app", id,
		"from", pin, "to", next.signer)
	if o.OnSignerChange != nil {
		o.OnSignerChange(old, nextID)
	}
	return nil
}

// stage extracts b into a staging directory, syncs it and renames it to its final
// version directory, returning that relative to Dir. No row names it yet.
func (r *Registry) stage(b *bundle.Bundle) (rel string, err error) {
	m := b.Manifest
	staging, err := os.MkdirTemp(filepath.Join(r.dir, stagingDir), m.AppID+"-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(staging)
		}
	}()
	if err = b.Extract(staging); err != nil { // syncs every file and directory
		return "", err
	}
	hook("extracted")
	appDir := filepath.Join(r.dir, m.AppID)
	switch err = os.Mkdir(appDir, 0o700); {
	case err == nil:
		if err = syncDir(r.dir); err != nil {
			return "", err
		}
	case errors.Is(err, fs.ErrExist):
	default:
		return "", err
	}
	nonce := make([]byte, 6)
	rand.Read(nonce)
	// The nonce lets a repair of the same version sit beside the directory it replaces.
	rel = m.AppID + "/" + m.Version + "_" + hex.EncodeToString(nonce)
	final := r.abs(rel)
	if err = os.Rename(staging, final); err != nil {
		return "", err
	}
	hook("renamed")
	// The rename reaches the disk before the transaction that names it commits.
	if err = syncDir(appDir); err != nil {
		os.RemoveAll(final)
		return "", err
	}
	return rel, nil
}

// commit switches the app's rows to next in one transaction.
func (r *Registry) commit(next *version, o InstallOptions) (drop []string, err error) {
	tx, err := r.db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cur, prev, err := loadApp(tx, next.app)
	if err != nil {
		return nil, err
	}
	pin, err := loadPin(tx, next.app)
	if err != nil {
		return nil, err
	}
	p, err := plan(cur, prev, next, pin, o)
	if err != nil {
		return nil, err
	}
	newPrev, drop := p.prev, p.drop
	if next.signer != "" { // an unsigned install never moves the pin
		if _, err := tx.Exec(`INSERT INTO pins (app, signer) VALUES (?, ?)
			ON CONFLICT (app) DO UPDATE SET signer = excluded.signer`, next.app, next.signer); err != nil {
			return nil, err
		}
	}
	if _, err := tx.Exec(`INSERT INTO versions
		(dir, app, version, signer, verified, installed, source, manifest, signature)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		next.dir, next.app, next.version, next.signer, next.verified,
		next.installed.Format(time.RFC3339Nano), next.source, next.manifest, next.signature); err != nil {
		return nil, err
	}
	var prevDir any // NULL
	if newPrev != nil {
		prevDir = newPrev.dir
	}
	if _, err := tx.Exec(`INSERT INTO apps (id, current, previous) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET current = excluded.current, previous = excluded.previous`,
		next.app, next.dir, prevDir); err != nil {
		return nil, err
	}
	for _, d := range drop {
		if _, err := tx.Exec("DELETE FROM versions WHERE dir = ?", d); err != nil {
			return nil, err
		}
	}
	hook("commit")
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return drop, nil
}

// removeDirs removes version directories no row names any more. A failure only leaves
// a leftover, which the next Open removes.
func (r *Registry) removeDirs(rels []string) {
	for _, rel := range rels {
		if err := os.RemoveAll(r.abs(rel)); err != nil {
			r.log.Warn("registry: removing an old version", "path", r.abs(rel), "err", err)
		}
	}
}
