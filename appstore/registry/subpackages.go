package registry

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// subpackagesSchema (schema 3): the subpackages fetched into a version's directory. A
// subpackage's files live in the version directory under its root, so update, rollback
// and uninstall, which add and remove whole version directories, treat the core and its
// subpackages as one; the trigger drops the rows with their version's.
const subpackagesSchema = `
CREATE TABLE IF NOT EXISTS subpackages (
	dir       TEXT NOT NULL,   -- versions.dir
	root      TEXT NOT NULL,   -- "packageA"
	sha256    TEXT NOT NULL,   -- of the subpackage's .sfa, as the core's manifest names it
	manifest  BLOB NOT NULL,   -- the subpackage bundle's canonical manifest
	signature BLOB,            -- its signature; NULL unsigned
	installed TEXT NOT NULL,
	PRIMARY KEY (dir, root)
);
CREATE TRIGGER IF NOT EXISTS versions_subpackages AFTER DELETE ON versions
BEGIN
	DELETE FROM subpackages WHERE dir = old.dir;
END;`

// ErrNotSubpackage is wrapped when a bundle handed to InstallSubpackage is not one the
// version's core names (bundle.ErrSubpackage is wrapped too).
var ErrNotSubpackage = bundle.ErrSubpackage

// SubpackageState is what the registry knows of one installed version's subpackages.
type SubpackageState struct {
	ID, Version string
	Path        string           // the version's directory: the app's files, fetched subpackages under their roots
	Core        *bundle.Manifest // the core's manifest: Subpackages names every one
	Installed   map[string]bool  // roots fetched and installed
}

// Subpackages returns the subpackage state of the installed version of id (version ""
// means the current one; else the current or previous version of that number).
func (r *Registry) Subpackages(id, version string) (*SubpackageState, error) {
	v, err := r.findVersion(id, version)
	if err != nil {
		return nil, fmt.Errorf("subpackages of %s: %w", id, err)
	}
	m, err := bundle.ParseManifest(v.manifest)
	if err != nil {
		return nil, fmt.Errorf("subpackages of %s %s: stored manifest: %w", id, v.version, err)
	}
	st := &SubpackageState{ID: id, Version: v.version, Path: r.abs(v.dir), Core: m, Installed: map[string]bool{}}
	rows, err := r.db.Query("SELECT root FROM subpackages WHERE dir = ?", v.dir)
	if err != nil {
		return nil, fmt.Errorf("subpackages of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var root string
		if err := rows.Scan(&root); err != nil {
			return nil, err
		}
		st.Installed[root] = true
	}
	return st, rows.Err()
}

// findVersion is the current version of id (version "") or its current or previous
// version numbered version.
func (r *Registry) findVersion(id, version string) (*version, error) {
	cur, prev, err := loadApp(r.db, id)
	switch {
	case err != nil:
		return nil, err
	case cur == nil:
		return nil, ErrNotInstalled
	case version == "" || cur.version == version:
		return cur, nil
	case prev != nil && prev.version == version:
		return prev, nil
	}
	return nil, fmt.Errorf("version %s: %w", version, ErrNotInstalled)
}

// InstallSubpackage installs a subpackage bundle into the directory of the installed
// version of id numbered version ("" current). It must be one the core's signed manifest
// names: the same sha256 and size for its root, the same app, version and signer (a
// verified core's subpackage is checked against the trust store too). It is extracted
// into staging, synced, renamed into place under the version directory and recorded in
// one transaction; a crash in between leaves a directory no row names, which the next
// Open (or the next InstallSubpackage of it) removes. Installing one already installed
// is a no-op.
func (r *Registry) InstallSubpackage(id, version string, src io.ReaderAt, size int64) error {
	raw := make([]byte, size)
	if _, err := src.ReadAt(raw, 0); err != nil && !(errors.Is(err, io.EOF) && int64(len(raw)) == size) {
		return fmt.Errorf("install subpackage of %s: %w", id, err)
	}
	defer r.appLock(id)()
	v, err := r.findVersion(id, version)
	if err != nil {
		return fmt.Errorf("install subpackage of %s: %w", id, err)
	}
	core, err := bundle.ParseManifest(v.manifest)
	if err != nil {
		return fmt.Errorf("install subpackage of %s %s: stored manifest: %w", id, v.version, err)
	}
	var coreKey []byte
	if v.verified && core.Signer != "" {
		t, err := r.trust.Check(core.Signer)
		if err != nil {
			return fmt.Errorf("install subpackage of %s %s: %w", id, v.version, err)
		}
		coreKey = t.Key.Public
	}
	b, err := bundle.CheckSubpackage(core, coreKey, raw, r.limits)
	if err != nil {
		return fmt.Errorf("install subpackage: %w", err)
	}
	if v.verified {
		if _, err := r.trust.Verify(b); err != nil {
			return fmt.Errorf("install subpackage %s of %s %s: %w", b.Manifest.Root, id, v.version, err)
		}
	}
	root := b.Manifest.Root
	canon, err := b.Manifest.Canonical()
	if err != nil {
		return fmt.Errorf("install subpackage %s of %s: %w", root, id, err)
	}

	// Exclusive: one subpackage install at a time across processes too (another one's
	// directory, renamed but not yet committed, must not be taken for a leftover), and
	// no sweep meanwhile. Installs of versions wait for it briefly.
	unlock, _, err := lockDir(filepath.Join(r.dir, lockName), true, true)
	if err != nil {
		return fmt.Errorf("install subpackage %s of %s: lock: %w", root, id, err)
	}
	defer unlock()
	var n int
	if err := r.db.QueryRow("SELECT count(*) FROM subpackages WHERE dir = ? AND root = ?", v.dir, root).Scan(&n); err != nil {
		return fmt.Errorf("install subpackage %s of %s: %w", root, id, err)
	}
	if n > 0 {
		return nil // installed meanwhile
	}
	target := filepath.Join(r.abs(v.dir), filepath.FromSlash(root))
	if err := r.stageSubpackage(b, target); err != nil {
		return fmt.Errorf("install subpackage %s of %s %s: %w", root, id, v.version, err)
	}
	if err := r.commitSubpackage(core, v.dir, b, canon); err != nil {
		os.RemoveAll(target)
		return fmt.Errorf("install subpackage %s of %s %s: %w", root, id, v.version, err)
	}
	hook("sub-committed")
	r.log.Info("registry: installed subpackage", "app", id, "version", v.version, "root", root)
	return nil
}

// stageSubpackage extracts b into staging and renames its root into target, removing a
// leftover of an interrupted install first.
func (r *Registry) stageSubpackage(b *bundle.Bundle, target string) (err error) {
	staging, err := os.MkdirTemp(filepath.Join(r.dir, stagingDir), b.Manifest.AppID+"-sub-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	if err := b.Extract(staging); err != nil { // syncs every file and directory
		return err
	}
	hook("sub-extracted")
	if err := os.RemoveAll(target); err != nil { // no row names it: a crash's leftover
		return err
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(staging, filepath.FromSlash(b.Manifest.Root)), target); err != nil {
		return err
	}
	hook("sub-renamed")
	if err := syncDir(parent); err != nil {
		os.RemoveAll(target)
		return err
	}
	return nil
}

// commitSubpackage records the installed subpackage, if its version is still installed.
func (r *Registry) commitSubpackage(core *bundle.Manifest, dir string, b *bundle.Bundle, canon []byte) error {
	tx, err := r.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM versions WHERE dir = ?", dir).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("the version was removed meanwhile: %w", ErrNotInstalled)
	}
	var sig any // NULL
	if b.Signed {
		sig = b.Signature
	}
	sp := b.Manifest.Root
	if _, err := tx.Exec(`INSERT INTO subpackages (dir, root, sha256, manifest, signature, installed)
		VALUES (?, ?, ?, ?, ?, ?)`, dir, sp, core.Subpackage(sp).SHA256, canon, sig, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	hook("sub-commit")
	return tx.Commit()
}

// withSubpackages returns m with the files of v's installed subpackages added, for the
// launch check: the version directory holds exactly the core's and those files.
func (r *Registry) withSubpackages(v *version, m *bundle.Manifest) (*bundle.Manifest, error) {
	rows, err := r.db.Query("SELECT root, manifest FROM subpackages WHERE dir = ? ORDER BY root", v.dir)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := *m
	out.Files = slices.Clone(m.Files)
	for rows.Next() {
		var root string
		var raw []byte
		if err := rows.Scan(&root, &raw); err != nil {
			return nil, err
		}
		sm, err := bundle.ParseManifest(raw)
		if err != nil || sm.Root != root || m.Subpackage(root) == nil {
			return nil, fmt.Errorf("stored subpackage %s: %w (%v)", root, ErrModified, err)
		}
		out.Files = append(out.Files, sm.Files...)
	}
	return &out, rows.Err()
}

// sweepSubpackages removes subpackage directories in app's version directories that no
// row names (an install interrupted between rename and commit). The caller holds the
// exclusive directory lock.
func (r *Registry) sweepSubpackages(app string) error {
	rows, err := r.db.Query(`SELECT v.dir, v.manifest, s.root FROM versions v
		LEFT JOIN subpackages s ON s.dir = v.dir WHERE v.app = ?`, app)
	if err != nil {
		return err
	}
	type ver struct {
		m    *bundle.Manifest
		have map[string]bool
	}
	vers := map[string]*ver{}
	for rows.Next() {
		var dir string
		var raw []byte
		var root sql.NullString
		if err := rows.Scan(&dir, &raw, &root); err != nil {
			rows.Close()
			return err
		}
		v := vers[dir]
		if v == nil {
			m, err := bundle.ParseManifest(raw)
			if err != nil {
				continue // Verify reports it
			}
			v = &ver{m: m, have: map[string]bool{}}
			vers[dir] = v
		}
		if root.Valid {
			v.have[root.String] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for dir, v := range vers {
		for _, sp := range v.m.Subpackages {
			if v.have[sp.Root] {
				continue
			}
			p := filepath.Join(r.abs(dir), filepath.FromSlash(sp.Root))
			if _, err := os.Lstat(p); err == nil {
				r.log.Info("registry: removing an interrupted subpackage install", "path", p)
				if err := os.RemoveAll(p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
