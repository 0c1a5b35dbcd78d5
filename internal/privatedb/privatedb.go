// Package privatedb opens the shell's own SQLite databases the one safe way: the
// directory 0700 and the file 0600 before SQLite touches them (SQLite gives its -wal
// and -shm files the database file's mode), a file: URI so that no character of the
// path is read as a parameter, WAL journaling, a busy timeout, and secure_delete, so
// that a deleted row is zeroed rather than left in a free page (an uninstalled app's id
// must not be readable in the file afterwards: see Scrub).
package privatedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3" // the sqlite3 driver
)

// Sync is SQLite's synchronous setting.
type Sync string

// Synchronous settings: Normal is safe against crashes of the process in WAL mode;
// Full also survives power loss for the last transactions.
const (
	Normal Sync = "NORMAL"
	Full   Sync = "FULL"
)

// Open opens (or creates) the database at path and returns it with path made absolute.
func Open(path string, sync Sync) (*sql.DB, string, error) {
	if path == "" {
		return nil, "", errors.New("empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, path, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, abs, err
	}
	if err := PrepareFile(abs); err != nil {
		return nil, abs, err
	}
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?_journal_mode=WAL&_busy_timeout=5000&_synchronous=" + string(sync) + "&_txlock=immediate&_secure_delete=on"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, abs, err
	}
	return db, abs, nil
}

// PrepareFile creates a database file 0600 before SQLite opens it (SQLite gives its -wal
// and -shm files the database file's mode), and tightens a looser existing one.
func PrepareFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a regular file")
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return f.Chmod(0o600)
	}
	return nil
}

// Scrub leaves nothing of deleted rows in the database's files: VACUUM rebuilds the
// file (secure_delete zeroes a deleted cell, but an index's interior page can keep a
// copy of a deleted key as a divider), and a TRUNCATE checkpoint moves the WAL into the
// file and empties it (the WAL still holds the pages as they were before the delete).
// A reader in another process can hold the WAL back; then busy is true and the next
// checkpoint finishes the job.
func Scrub(ctx context.Context, db *sql.DB) (busy bool, err error) {
	if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
		return false, fmt.Errorf("vacuum: %w", err)
	}
	var b, logged, moved int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&b, &logged, &moved); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return b != 0, nil
}
