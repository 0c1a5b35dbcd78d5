package monitor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/internal/privatedb"
)

// Quarantine is the persistent list of apps that broke an anomaly rule. A quarantined
// app does not start again until released (the host checks Quarantined at launch, and
// the user releases it in settings). Safe for concurrent use.
//
// Apps are named by their identity key (internal/identity: "ID@KEYID", "ID@unverified"),
// which is what the host attaches to the monitor: an unsigned twin that declares a
// signed app's id and misbehaves quarantines only itself.
type Quarantine struct {
	db   *sql.DB
	path string
}

// QuarantineEntry is one quarantined app.
type QuarantineEntry struct {
	App    string
	Reason string
	Since  time.Time
}

const quarantineSchema = `
CREATE TABLE IF NOT EXISTS quarantine (
	app    TEXT    NOT NULL PRIMARY KEY,
	reason TEXT    NOT NULL,
	since  INTEGER NOT NULL -- unix nanoseconds
) WITHOUT ROWID;`

// OpenQuarantine opens (or creates) the quarantine database at path: the directory is
// created 0700, the file 0600, journal in WAL mode.
func OpenQuarantine(path string) (*Quarantine, error) {
	db, abs, err := privatedb.Open(path, privatedb.Normal)
	if err != nil {
		return nil, fmt.Errorf("quarantine store %s: %w", abs, err)
	}
	if _, err := db.ExecContext(context.Background(), quarantineSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("quarantine store %s: create table: %w", abs, err)
	}
	return &Quarantine{db: db, path: abs}, nil
}

// Quarantine records app as quarantined for reason (a Reason* code). Quarantining it
// again replaces the reason and the time.
func (q *Quarantine) Quarantine(app, reason string) error {
	if app == "" {
		return errors.New("quarantine: empty app id")
	}
	_, err := q.db.Exec(`INSERT INTO quarantine (app, reason, since) VALUES (?, ?, ?)
		ON CONFLICT (app) DO UPDATE SET reason = excluded.reason, since = excluded.since`,
		app, reason, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("quarantine %s in %s: %w", app, q.path, err)
	}
	return nil
}

// Quarantined reports whether app is quarantined, and why. It fails closed: when the
// store cannot be read the app counts as quarantined, with the error as the reason.
func (q *Quarantine) Quarantined(app string) (reason string, ok bool) {
	err := q.db.QueryRow(`SELECT reason FROM quarantine WHERE app = ?`, app).Scan(&reason)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false
	case err != nil:
		return fmt.Sprintf("quarantine store %s unreadable: %v", q.path, err), true
	}
	return reason, true
}

// Release lets app start again. Releasing an app that is not quarantined is no error.
func (q *Quarantine) Release(app string) error {
	if _, err := q.db.Exec(`DELETE FROM quarantine WHERE app = ?`, app); err != nil {
		return fmt.Errorf("release %s in %s: %w", app, q.path, err)
	}
	return nil
}

// List returns every quarantined app, oldest first.
func (q *Quarantine) List() ([]QuarantineEntry, error) {
	rows, err := q.db.Query(`SELECT app, reason, since FROM quarantine ORDER BY since, app`)
	if err != nil {
		return nil, fmt.Errorf("list quarantine in %s: %w", q.path, err)
	}
	defer rows.Close()
	var out []QuarantineEntry
	for rows.Next() {
		var e QuarantineEntry
		var since int64
		if err := rows.Scan(&e.App, &e.Reason, &since); err != nil {
			return nil, fmt.Errorf("list quarantine in %s: %w", q.path, err)
		}
		e.Since = time.Unix(0, since)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list quarantine in %s: %w", q.path, err)
	}
	return out, nil
}

// Rekey moves the entry of from (a bare app id, kept by an older shell) to the
// identity key to; an entry to already has wins. It is the identity migration's step
// for this store.
func (q *Quarantine) Rekey(from, to string) error {
	if from == to {
		return nil
	}
	tx, err := q.db.Begin()
	if err != nil {
		return fmt.Errorf("rekey %s in %s: %w", from, q.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT OR IGNORE INTO quarantine (app, reason, since)
		SELECT ?, reason, since FROM quarantine WHERE app = ?`, to, from); err != nil {
		return fmt.Errorf("rekey %s in %s: %w", from, q.path, err)
	}
	if _, err := tx.Exec(`DELETE FROM quarantine WHERE app = ?`, from); err != nil {
		return fmt.Errorf("rekey %s in %s: %w", from, q.path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rekey %s in %s: %w", from, q.path, err)
	}
	return nil
}

// Close closes the database.
func (q *Quarantine) Close() error {
	if err := q.db.Close(); err != nil {
		return fmt.Errorf("quarantine store %s: %w", q.path, err)
	}
	return nil
}
