package perms

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// Decision is what is known about one app's use of one capability.
type Decision string

// Decisions. Ask is never stored: it is the absence of a row.
const (
	DecisionAsk     Decision = "ask"     // nothing decided: prompt when needed
	DecisionGranted Decision = "granted" // allowed until revoked
	DecisionDenied  Decision = "denied"  // refused, without prompting, until changed in settings
	DecisionOnce    Decision = "once"    // allowed for the next single use
)

func (d Decision) valid() bool {
	switch d {
	case DecisionAsk, DecisionGranted, DecisionDenied, DecisionOnce:
		return true
	}
	return false
}

// Grant is one stored decision.
type Grant struct {
	App        string    `json:"app"`
	Signer     string    `json:"signer"` // "" for unsigned (sideloaded) apps
	Capability string    `json:"capability"`
	Decision   Decision  `json:"decision"`
	Updated    time.Time `json:"updated"`
}

// Store keeps decisions in SQLite, one row per (app, signer, capability). Several
// processes may share the file (the shell and `shell perms ...`): every read goes to the
// database, so a change made by one is seen by the others at their next read.
type Store struct {
	db   *sql.DB
	path string
	get  *sql.Stmt
	set  *sql.Stmt
	take *sql.Stmt
}

const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS grants (
	app        TEXT    NOT NULL,
	signer     TEXT    NOT NULL,
	capability TEXT    NOT NULL,
	decision   TEXT    NOT NULL CHECK (decision IN ('granted', 'denied', 'once')),
	updated    INTEGER NOT NULL, -- unix nanoseconds
	PRIMARY KEY (app, signer, capability)
) WITHOUT ROWID;`

// maxConns bounds the grant database's connection pool (OpenStore).
const maxConns = 4

// OpenStore opens (or creates) the grant database at path: the directory is created 0700,
// the file 0600 (a looser existing file is tightened), journal in WAL mode.
func OpenStore(path string) (*Store, error) {
	db, abs, err := privatedb.Open(path, privatedb.Normal)
	if err != nil {
		return nil, fmt.Errorf("grant store %s: %w", abs, err)
	}
	// A bounded pool whose connections stay open: every app's permission checks come
	// here at once, and a pool that grew to one connection per concurrent check and then
	// closed the extras left their descriptors open (SQLite keeps a closed connection's
	// file descriptor while another connection holds the file's POSIX locks): the soak's
	// 50 apps left 15 descriptors to perms.db after they stopped. No statement here needs
	// a second connection while it holds one, so four cannot deadlock.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &Store{db: db, path: abs}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("grant store %s: %w", abs, err)
	}
	return s, nil
}

func (s *Store) init() error {
	ctx := context.Background()
	var version int
	// The first statement that reads the file: a file that is not a database fails here.
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > schemaVersion {
		return fmt.Errorf("schema version %d is newer than this shell's (%d)", version, schemaVersion)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return fmt.Errorf("write schema version: %w", err)
	}
	var err error
	if s.get, err = s.db.PrepareContext(ctx,
		`SELECT decision FROM grants WHERE app = ? AND signer = ? AND capability = ?`); err != nil {
		return err
	}
	if s.set, err = s.db.PrepareContext(ctx,
		`INSERT INTO grants (app, signer, capability, decision, updated) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (app, signer, capability) DO UPDATE SET decision = excluded.decision, updated = excluded.updated`); err != nil {
		return err
	}
	if s.take, err = s.db.PrepareContext(ctx,
		`DELETE FROM grants WHERE app = ? AND signer = ? AND capability = ? AND decision = 'once'`); err != nil {
		return err
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

func checkKey(app, capability string) error {
	if app == "" {
		return errors.New("app id is empty")
	}
	if _, ok := byName[capability]; !ok {
		return fmt.Errorf("unknown capability %q", capability)
	}
	return nil
}

// Get returns the stored decision, DecisionAsk when there is none.
func (s *Store) Get(app, signer, capability string) (Decision, error) {
	if err := checkKey(app, capability); err != nil {
		return "", fmt.Errorf("grant store get: %w", err)
	}
	var d Decision
	err := s.get.QueryRow(app, signer, capability).Scan(&d)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return DecisionAsk, nil
	case err != nil:
		return "", fmt.Errorf("grant store %s: get %s %s: %w", s.path, app, capability, err)
	case !d.valid() || d == DecisionAsk:
		return "", fmt.Errorf("grant store %s: %s %s holds invalid decision %q", s.path, app, capability, d)
	}
	return d, nil
}

// Set stores a decision; DecisionAsk forgets it.
func (s *Store) Set(app, signer, capability string, d Decision) error {
	return s.setAt(app, signer, capability, d, time.Now())
}

func (s *Store) setAt(app, signer, capability string, d Decision, at time.Time) error {
	if err := checkKey(app, capability); err != nil {
		return fmt.Errorf("grant store set: %w", err)
	}
	if !d.valid() {
		return fmt.Errorf("grant store set: invalid decision %q", d)
	}
	var err error
	if d == DecisionAsk {
		_, err = s.db.Exec(`DELETE FROM grants WHERE app = ? AND signer = ? AND capability = ?`, app, signer, capability)
	} else {
		_, err = s.set.Exec(app, signer, capability, string(d), at.UnixNano())
	}
	if err != nil {
		return fmt.Errorf("grant store %s: set %s %s: %w", s.path, app, capability, err)
	}
	return nil
}

// TakeOnce consumes a "once" grant: it reports true to exactly one caller, across
// goroutines and processes, and forgets the grant.
func (s *Store) TakeOnce(app, signer, capability string) (bool, error) {
	if err := checkKey(app, capability); err != nil {
		return false, fmt.Errorf("grant store take: %w", err)
	}
	res, err := s.take.Exec(app, signer, capability)
	if err != nil {
		return false, fmt.Errorf("grant store %s: take %s %s: %w", s.path, app, capability, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("grant store %s: take %s %s: %w", s.path, app, capability, err)
	}
	return n == 1, nil
}

// List returns the stored decisions of app ("" = every app), by app, signer, capability.
func (s *Store) List(app string) ([]Grant, error) {
	q := `SELECT app, signer, capability, decision, updated FROM grants`
	var args []any
	if app != "" {
		q += ` WHERE app = ?`
		args = append(args, app)
	}
	rows, err := s.db.Query(q+` ORDER BY app, signer, capability`, args...)
	if err != nil {
		return nil, fmt.Errorf("grant store %s: list: %w", s.path, err)
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		var ns int64
		if err := rows.Scan(&g.App, &g.Signer, &g.Capability, &g.Decision, &ns); err != nil {
			return nil, fmt.Errorf("grant store %s: list: %w", s.path, err)
		}
		g.Updated = time.Unix(0, ns).UTC()
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("grant store %s: list: %w", s.path, err)
	}
	return out, nil
}

// Reset forgets every decision of app, under every signer.
func (s *Store) Reset(app string) error {
	if app == "" {
		return errors.New("grant store reset: app id is empty")
	}
	if _, err := s.db.Exec(`DELETE FROM grants WHERE app = ?`, app); err != nil {
		return fmt.Errorf("grant store %s: reset %s: %w", s.path, app, err)
	}
	return nil
}

// ResetIdentity forgets every decision of one identity of an app: the other
// identities of its id (an unsigned twin, another publisher) keep theirs.
func (s *Store) ResetIdentity(app identity.App) error {
	if app.ID == "" {
		return errors.New("grant store reset: app id is empty")
	}
	if _, err := s.db.Exec(`DELETE FROM grants WHERE app = ? AND signer = ?`, app.ID, app.Signer); err != nil {
		return fmt.Errorf("grant store %s: reset %s: %w", s.path, app.Key(), err)
	}
	return nil
}

// Rekey moves the decisions stored for app under signer from (an older shell's
// trusted publisher name, say) to app's own key id; rows already there win. It is the
// identity migration's step for this store.
func (s *Store) Rekey(app identity.App, from string) error {
	if from == app.Signer {
		return nil
	}
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("grant store %s: rekey %s: %w", s.path, app.Key(), err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT OR IGNORE INTO grants (app, signer, capability, decision, updated)
		SELECT app, ?, capability, decision, updated FROM grants WHERE app = ? AND signer = ?`, app.Signer, app.ID, from); err != nil {
		return fmt.Errorf("grant store %s: rekey %s: %w", s.path, app.Key(), err)
	}
	if _, err := tx.Exec(`DELETE FROM grants WHERE app = ? AND signer = ?`, app.ID, from); err != nil {
		return fmt.Errorf("grant store %s: rekey %s: %w", s.path, app.Key(), err)
	}
	return tx.Commit()
}

// Forget forgets app's decision about one capability, under every signer: the app is
// asked again at its next use.
func (s *Store) Forget(app, capability string) error {
	if err := checkKey(app, capability); err != nil {
		return fmt.Errorf("grant store forget: %w", err)
	}
	if _, err := s.db.Exec(`DELETE FROM grants WHERE app = ? AND capability = ?`, app, capability); err != nil {
		return fmt.Errorf("grant store %s: forget %s %s: %w", s.path, app, capability, err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.get, s.set, s.take} {
		if st != nil {
			st.Close()
		}
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("grant store %s: close: %w", s.path, err)
	}
	return nil
}
