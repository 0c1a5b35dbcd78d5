// Package privatedb opens the shell's own SQLite databases the one safe way: the
// directory 0700 and the file 0600 before SQLite touches them (SQLite gives its -wal
// and -shm files the database file's mode), a file: URI so that no character of the
// path is read as a parameter, WAL journaling and a busy timeout.
package privatedb

import (
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
		"?_journal_mode=WAL&_busy_timeout=5000&_synchronous=" + string(sync) + "&_txlock=immediate"
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
