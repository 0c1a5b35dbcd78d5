package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

const schemaVersion = 1

// One row of meta holds what the app's rows need: whose they are, which key version
// sealed them, that key wrapped by the master key, and the running total of sizes that
// the quota is checked against (kept in the same transactions as the rows it sums).
const schema = `
CREATE TABLE IF NOT EXISTS meta (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	app         TEXT    NOT NULL,
	key_version INTEGER NOT NULL,
	wrapped     BLOB    NOT NULL,
	total       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (
	h     BLOB    PRIMARY KEY, -- HMAC-SHA256(name key, key name)
	name  BLOB    NOT NULL,    -- nonce || AES-GCM(data key, key name)
	value BLOB    NOT NULL,    -- nonce || AES-GCM(data key, value JSON)
	size  INTEGER NOT NULL     -- len(key name) + len(value JSON), the quota's unit
) WITHOUT ROWID;`

// The statements of the hot paths (the benchmark's plaintext twin runs the same ones).
const (
	sqlGet    = "SELECT m.key_version, kv.value FROM meta m LEFT JOIN kv ON kv.h = ?"
	sqlMeta   = "SELECT key_version, total FROM meta"
	sqlSize   = "SELECT size FROM kv WHERE h = ?"
	sqlUpsert = "INSERT INTO kv (h, name, value, size) VALUES (?, ?, ?, ?) " +
		"ON CONFLICT (h) DO UPDATE SET name = excluded.name, value = excluded.value, size = excluded.size"
	sqlDelete = "DELETE FROM kv WHERE h = ?"
	sqlTotal  = "UPDATE meta SET total = ?"
)

// appDB is one app's open database: a single writer connection whose transactions begin
// IMMEDIATE (a read-then-write transaction in WAL mode can otherwise fail with BUSY
// instead of waiting), and a small pool of readers that never block the writer.
type appDB struct {
	app    string
	path   string
	fi     os.FileInfo // the file opened, to notice a wipe by another process
	master *masterKey
	w, r   *sql.DB
	keys   atomic.Pointer[appKeys]

	getStmt, sizeStmt, metaStmt, upsertStmt, deleteStmt, totalStmt *sql.Stmt
}

func dsn(path string, writer bool) string {
	// A file: URI so that '?' or '#' in the path cannot be read as parameters.
	d := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_busy_timeout=5000&_synchronous=FULL&_secure_delete=on"
	if writer {
		return d + "&_journal_mode=WAL&_txlock=immediate"
	}
	return d + "&_query_only=true"
}

// openAppDB opens the database at path, which must exist (prepareFile), creating the
// schema and the app's keys when it has none yet.
func openAppDB(app, path string, master *masterKey) (_ *appDB, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	d := &appDB{app: app, path: path, fi: fi, master: master}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	if d.w, err = sql.Open("sqlite3", dsn(path, true)); err != nil {
		return nil, err
	}
	d.w.SetMaxOpenConns(1)
	if err := d.init(); err != nil {
		return nil, err
	}
	if d.r, err = sql.Open("sqlite3", dsn(path, false)); err != nil {
		return nil, err
	}
	d.r.SetMaxOpenConns(4)
	d.r.SetMaxIdleConns(4)
	for _, p := range []struct {
		db   *sql.DB
		stmt **sql.Stmt
		sql  string
	}{
		{d.r, &d.getStmt, sqlGet},
		{d.w, &d.metaStmt, sqlMeta},
		{d.w, &d.sizeStmt, sqlSize},
		{d.w, &d.upsertStmt, sqlUpsert},
		{d.w, &d.deleteStmt, sqlDelete},
		{d.w, &d.totalStmt, sqlTotal},
	} {
		if *p.stmt, err = p.db.Prepare(p.sql); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return d, nil
}

func (d *appDB) init() error {
	var version int
	// The first statement that reads the file: a file that is not a database fails here.
	if err := d.w.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > schemaVersion {
		return fmt.Errorf("schema version %d is newer than this shell's (%d)", version, schemaVersion)
	}
	var mode string
	if err := d.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	tx, err := d.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(schema); err != nil {
		return fmt.Errorf("create tables: %w", err)
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	keys, err := d.loadKeys(tx)
	if errors.Is(err, sql.ErrNoRows) {
		keys, err = d.createKeys(tx)
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d.keys.Store(keys)
	return nil
}

type querier interface {
	QueryRow(query string, args ...any) *sql.Row
}

// loadKeys reads and unwraps the app's keys; sql.ErrNoRows when there are none yet.
func (d *appDB) loadKeys(q querier) (*appKeys, error) {
	var (
		app     string
		version int64
		wrapped []byte
	)
	err := q.QueryRow("SELECT app, key_version, wrapped FROM meta").Scan(&app, &version, &wrapped)
	if err != nil {
		return nil, err
	}
	if app != d.app {
		return nil, fmt.Errorf("holds the data of app %q, not %q", app, d.app)
	}
	material, err := d.master.unwrap(app, version, wrapped)
	if err != nil {
		return nil, fmt.Errorf("unwrap app key version %d: %w: %w", version, ErrWrongMasterKey, err)
	}
	return newAppKeys(app, version, material)
}

func (d *appDB) createKeys(tx *sql.Tx) (*appKeys, error) {
	var rows int
	if err := tx.QueryRow("SELECT COUNT(*) FROM kv").Scan(&rows); err != nil {
		return nil, err
	}
	if rows > 0 {
		return nil, fmt.Errorf("%d rows but no app key: %w", rows, ErrTampered)
	}
	material, err := newMaterial()
	if err != nil {
		return nil, err
	}
	wrapped, err := d.master.wrap(d.app, 1, material)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec("INSERT INTO meta (id, app, key_version, wrapped, total) VALUES (1, ?, 1, ?, 0)", d.app, wrapped); err != nil {
		return nil, fmt.Errorf("store app key: %w", err)
	}
	return newAppKeys(d.app, 1, material)
}

// current reports whether path is still the file this handle opened: another process
// (`shell storage clear`) may have wiped it, and writes to an unlinked file would vanish.
func (d *appDB) current() bool {
	fi, err := os.Stat(d.path)
	return err == nil && os.SameFile(fi, d.fi)
}

// checkpoint copies the WAL into the database and truncates it, so that page images
// from before a rotation or a clear (old ciphertexts, the old wrapped key) leave the WAL.
func (d *appDB) checkpoint() error {
	var busy, logPages, done int
	if err := d.w.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("checkpoint blocked by a reader (another process)")
	}
	return nil
}

func (d *appDB) close() error {
	var errs []error
	for _, s := range []*sql.Stmt{d.getStmt, d.sizeStmt, d.metaStmt, d.upsertStmt, d.deleteStmt, d.totalStmt} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	if d.r != nil {
		errs = append(errs, d.r.Close())
	}
	if d.w != nil {
		errs = append(errs, d.w.Close())
	}
	return errors.Join(errs...)
}

var sqlErrNoRows = sql.ErrNoRows

// openReadOnly opens a database to read it only (no schema, no key creation): for the
// master key check, which must change nothing.
func openReadOnly(app, path string, master *masterKey) (*appDB, error) {
	r, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	return &appDB{app: app, path: path, master: master, r: r}, nil
}
