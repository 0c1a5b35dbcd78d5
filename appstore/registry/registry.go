// Package registry is the install registry: which version of each mini-app is installed,
// where its verified files are, who signed them, and the one previous version kept for
// rollback.
//
// The SQLite database is the single source of truth. Files live in Config.Dir, one
// directory per installed version ("<app id>/<version>_<nonce>"); a directory no row
// names is a leftover of a crash and is removed at the next Open. An install extracts
// into a staging directory, syncs it, renames it into place and only then switches the
// rows in one transaction, so a crash at any point leaves the old or the new version
// installed, never a mix.
package registry

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// Errors. Every error of the registry that is about one of these wraps it (errors.Is).
// Refusals by the bundle reader and the trust store wrap theirs (bundle.ErrDigest,
// trust.ErrUntrusted, trust.ErrRevoked, bundle.ErrUnsigned, ...).
var (
	ErrNotInstalled  = errors.New("app not installed")
	ErrDowngrade     = errors.New("downgrade refused")
	ErrSignerChanged = errors.New("signed by another publisher than the installed version")
	ErrShellTooOld   = errors.New("app needs a newer shell")
	ErrNoPrevious    = errors.New("no previous version to roll back to")
	ErrModified      = errors.New("installed files do not match their manifest")
)

// Names inside Config.Dir that are not app directories. Both start with a dot, which no
// app id does.
const (
	stagingDir = ".staging"
	lockName   = ".lock"
)

// Config configures a Registry. The lead maps the shell's config onto it.
type Config struct {
	Dir    string        // $XDG_DATA_HOME/sandframe/apps: one folder per installed version
	DB     string        // path of the SQLite registry
	Trust  *trust.Store  // required: who may sign what is installed
	Limits bundle.Limits // what bundle.Open accepts; zero fields take their defaults
	// ShellVersion is this shell's semver; a bundle whose minShell is newer is refused.
	// "": minShell is not checked.
	ShellVersion string
	// OnUninstall wipes what the host keeps for an app outside the registry (storage,
	// grants, shares), for every identity the registry had installed it under (its
	// current and previous versions' signers). It runs after the app's files and rows are
	// gone; when it fails the wipe stays pending and is retried by the next Uninstall or
	// Install of the app. An install that changes the signer (AllowSignerChange) wipes
	// the old identities through it too, before anything is installed.
	OnUninstall func(apps []identity.App) error
	Logger      *slog.Logger // nil: slog.Default()
}

// Installed is an installed app: the version that runs, and the one kept for rollback.
type Installed struct {
	ID, Version string
	Signer      string // key id of the signer; "" for an unsigned bundle
	// Verified is false for a sideloaded bundle (unsigned, or signed by an untrusted
	// key): the shell shows it as "unverified" wherever it names it.
	Verified  bool
	Path      string    // the version's directory (absolute)
	Installed time.Time // when this version was installed (UTC)
	Previous  *Previous // the version Rollback returns to; nil when there is none
	Source    string    // where the bundle came from, as InstallOptions.Source said
}

// Previous is the version kept on disk for rollback.
type Previous struct {
	Version, Signer string
	Verified        bool
	Path            string
	Installed       time.Time
	Source          string
}

// Registry is the install registry. Safe for concurrent use, also by several processes
// sharing Dir and DB.
type Registry struct {
	dir         string
	db          *sql.DB
	trust       *trust.Store
	limits      bundle.Limits
	shell       *bundle.Version
	onUninstall func([]identity.App) error
	log         *slog.Logger

	mu    sync.Mutex
	locks map[string]*sync.Mutex // per app: one install, rollback or uninstall at a time
}

// testHook, when set (by the crash test's child), is called at each step of an install.
var testHook func(step string)

func hook(step string) {
	if testHook != nil {
		testHook(step)
	}
}

// Open opens (creating when needed) the registry, and removes what crashed installs
// left behind: staging directories, and version directories no row names.
func Open(cfg Config) (*Registry, error) {
	if cfg.Dir == "" {
		return nil, errors.New("registry: Config.Dir is empty")
	}
	if cfg.Trust == nil {
		return nil, errors.New("registry: Config.Trust is nil")
	}
	r := &Registry{
		trust: cfg.Trust, limits: cfg.Limits, onUninstall: cfg.OnUninstall,
		log: cfg.Logger, locks: map[string]*sync.Mutex{},
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if cfg.ShellVersion != "" {
		v, err := bundle.ParseVersion(cfg.ShellVersion)
		if err != nil {
			return nil, fmt.Errorf("registry: Config.ShellVersion: %w", err)
		}
		r.shell = &v
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("registry: Config.Dir: %w", err)
	}
	r.dir = dir
	if err := os.MkdirAll(filepath.Join(dir, stagingDir), 0o700); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	db, dbPath, err := privatedb.Open(cfg.DB, privatedb.Full) // FULL: a switch that is lost on power loss could point at a directory already removed
	if err != nil {
		return nil, fmt.Errorf("registry: database %s: %w", cfg.DB, err)
	}
	r.db = db
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("registry: database %s: %w", dbPath, err)
	}
	if err := r.cleanup(); err != nil {
		db.Close()
		return nil, fmt.Errorf("registry: cleaning %s: %w", dir, err)
	}
	return r, nil
}

// Close closes the database.
func (r *Registry) Close() error { return r.db.Close() }

// schemaVersion is PRAGMA user_version of the layout below. 2 added pins and
// wipes.identities; 3 added subpackages.
const schemaVersion = 3

const schema = `
CREATE TABLE IF NOT EXISTS versions (
	dir       TEXT PRIMARY KEY, -- relative to Config.Dir: "<app id>/<version>_<nonce>"
	app       TEXT NOT NULL,
	version   TEXT NOT NULL,
	signer    TEXT NOT NULL,    -- key id; "" unsigned
	verified  INTEGER NOT NULL, -- 0: sideloaded
	installed TEXT NOT NULL,    -- RFC 3339, UTC
	source    TEXT NOT NULL,
	manifest  BLOB NOT NULL,    -- the canonical manifest: what Verify re-hashes against
	signature BLOB              -- its 64-byte ed25519 signature; NULL unsigned
);
CREATE INDEX IF NOT EXISTS versions_app ON versions(app);
CREATE TABLE IF NOT EXISTS apps (
	id       TEXT PRIMARY KEY,
	current  TEXT NOT NULL, -- versions.dir
	previous TEXT           -- versions.dir kept for rollback
);
CREATE TABLE IF NOT EXISTS wipes ( -- uninstalls whose OnUninstall has not succeeded yet
	id    TEXT PRIMARY KEY,
	since TEXT NOT NULL,
	identities TEXT NOT NULL DEFAULT '' -- the signers to wipe, JSON: ["<key id>", ""] ("" unsigned)
);
CREATE TABLE IF NOT EXISTS pins ( -- the key an id was last installed signed by; see docs/appstore.md
	app    TEXT PRIMARY KEY,
	signer TEXT NOT NULL
);` + subpackagesSchema

// migrateV1 brings a version-1 registry to 2: wipes gets its identities, and every
// installed app that has a signed version is pinned to its signer (the current
// version's, else the previous one's: an A -> unsigned sideload made by an older shell
// stays pinned to A).
const migrateV1 = `
ALTER TABLE wipes ADD COLUMN identities TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS pins (
	app    TEXT PRIMARY KEY,
	signer TEXT NOT NULL
);
INSERT OR IGNORE INTO pins (app, signer)
	SELECT a.id, v.signer FROM apps a JOIN versions v ON v.dir = a.current WHERE v.signer != '';
INSERT OR IGNORE INTO pins (app, signer)
	SELECT a.id, v.signer FROM apps a JOIN versions v ON v.dir = a.previous WHERE v.signer != '';`

func migrate(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	switch {
	case v == schemaVersion:
		return nil
	case v > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this shell's (%d)", v, schemaVersion)
	case v == 1 || v == 2:
		if v == 1 {
			if _, err := tx.Exec(migrateV1); err != nil {
				return fmt.Errorf("migrate from version 1: %w", err)
			}
		}
		if _, err := tx.Exec(subpackagesSchema); err != nil {
			return fmt.Errorf("migrate from version %d: %w", v, err)
		}
	default:
		if _, err := tx.Exec(schema); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// appLock serializes the operations on one app within this process.
func (r *Registry) appLock(id string) func() {
	r.mu.Lock()
	l := r.locks[id]
	if l == nil {
		l = &sync.Mutex{}
		r.locks[id] = l
	}
	r.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Pin is the key id the app id is pinned to (the key it was last installed signed by),
// "" when none: an install not signed by it needs AllowSignerChange.
func (r *Registry) Pin(id string) (string, error) {
	pin, err := loadPin(r.db, id)
	if err != nil {
		return "", fmt.Errorf("registry: pin of %s: %w", id, err)
	}
	return pin, nil
}

// Get returns the installed app id, or an error wrapping ErrNotInstalled.
func (r *Registry) Get(id string) (*Installed, error) {
	list, err := r.query("WHERE a.id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("registry: get %s: %w", id, err)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s: %w", id, ErrNotInstalled)
	}
	return &list[0], nil
}

// List returns every installed app, by id.
func (r *Registry) List() ([]Installed, error) {
	list, err := r.query("")
	if err != nil {
		return nil, fmt.Errorf("registry: list: %w", err)
	}
	return list, nil
}

// query reads apps with one statement, so that each row is one consistent snapshot.
func (r *Registry) query(where string, args ...any) ([]Installed, error) {
	rows, err := r.db.Query(`SELECT a.id,
		c.dir, c.version, c.signer, c.verified, c.installed, c.source,
		p.dir, p.version, p.signer, p.verified, p.installed, p.source
		FROM apps a JOIN versions c ON c.dir = a.current
		LEFT JOIN versions p ON p.dir = a.previous `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Installed
	for rows.Next() {
		var in Installed
		var dir, installed string
		var pDir, pVersion, pSigner, pInstalled, pSource sql.NullString
		var pVerified sql.NullBool
		if err := rows.Scan(&in.ID, &dir, &in.Version, &in.Signer, &in.Verified, &installed, &in.Source,
			&pDir, &pVersion, &pSigner, &pVerified, &pInstalled, &pSource); err != nil {
			return nil, err
		}
		in.Path = r.abs(dir)
		if in.Installed, err = time.Parse(time.RFC3339Nano, installed); err != nil {
			return nil, fmt.Errorf("%s: installed: %w", in.ID, err)
		}
		if pDir.Valid {
			p := &Previous{Version: pVersion.String, Signer: pSigner.String, Verified: pVerified.Bool,
				Path: r.abs(pDir.String), Source: pSource.String}
			if p.Installed, err = time.Parse(time.RFC3339Nano, pInstalled.String); err != nil {
				return nil, fmt.Errorf("%s: previous installed: %w", in.ID, err)
			}
			in.Previous = p
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// abs turns a versions.dir into a path.
func (r *Registry) abs(rel string) string { return filepath.Join(r.dir, filepath.FromSlash(rel)) }

// version is one row of versions.
type version struct {
	dir, app, version, signer string
	verified                  bool
	installed                 time.Time
	source                    string
	manifest, signature       []byte
}

type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

// loadApp reads the app's current and previous versions; cur is nil when the app is not
// installed.
func loadApp(q queryer, id string) (cur, prev *version, err error) {
	var curDir string
	var prevDir sql.NullString
	err = q.QueryRow("SELECT current, previous FROM apps WHERE id = ?", id).Scan(&curDir, &prevDir)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if cur, err = loadVersion(q, curDir); err != nil {
		return nil, nil, err
	}
	if prevDir.Valid {
		if prev, err = loadVersion(q, prevDir.String); err != nil {
			return nil, nil, err
		}
	}
	return cur, prev, nil
}

func loadVersion(q queryer, dir string) (*version, error) {
	v := &version{dir: dir}
	var installed string
	err := q.QueryRow(`SELECT app, version, signer, verified, installed, source, manifest, signature
		FROM versions WHERE dir = ?`, dir).Scan(&v.app, &v.version, &v.signer, &v.verified, &installed,
		&v.source, &v.manifest, &v.signature)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", dir, err)
	}
	if v.installed, err = time.Parse(time.RFC3339Nano, installed); err != nil {
		return nil, fmt.Errorf("version %s: installed: %w", dir, err)
	}
	return v, nil
}

// cleanup removes staging directories and every version directory no row names. It
// runs only when no install (in any process) is between renaming its directory into
// place and committing; otherwise it is left to the next Open.
func (r *Registry) cleanup() error {
	unlock, ok, err := lockDir(filepath.Join(r.dir, lockName), true, false)
	if err != nil {
		return err
	}
	if !ok {
		r.log.Info("registry: an install is running; leftovers are removed at the next open", "dir", r.dir)
		return nil
	}
	defer unlock()
	staging := filepath.Join(r.dir, stagingDir)
	ents, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	for _, e := range ents {
		r.log.Info("registry: removing an interrupted install", "dir", filepath.Join(staging, e.Name()))
		if err := os.RemoveAll(filepath.Join(staging, e.Name())); err != nil {
			return err
		}
	}
	ents, err = os.ReadDir(r.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		name := e.Name()
		if name == stagingDir || name == lockName {
			continue
		}
		if !e.IsDir() || bundle.ValidAppID(name) != nil {
			r.log.Warn("registry: not an app directory; left alone", "path", filepath.Join(r.dir, name))
			continue
		}
		if err := r.sweep(name); err != nil {
			return err
		}
		if err := r.sweepSubpackages(name); err != nil {
			return err
		}
	}
	return nil
}

// sweep removes the app's version directories that no row names, and the app's
// directory when nothing is left in it. The caller holds the exclusive directory lock.
func (r *Registry) sweep(app string) error {
	appDir := filepath.Join(r.dir, app)
	ents, err := os.ReadDir(appDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	rows, err := r.db.Query("SELECT dir FROM versions WHERE app = ?", app)
	if err != nil {
		return err
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return err
		}
		keep[d] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	left := 0
	for _, e := range ents {
		if keep[app+"/"+e.Name()] {
			left++
			continue
		}
		p := filepath.Join(appDir, e.Name())
		r.log.Info("registry: removing a version no longer installed", "path", p)
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	if left == 0 {
		if err := os.Remove(appDir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// syncDir makes a directory's entries (a rename, a new child) durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
