// Package share is the one way data crosses between mini-apps' namespaces: an app
// publishes a named value for the apps it names, and a named app reads it only after the
// user consented to that pair. Published values are kept encrypted in the publisher's
// own storage namespace (so they go when it is wiped); consents live in a small private
// database. Nothing else crosses.
//
// Publishers and readers are identities (internal/identity): an unsigned twin of a
// signed app has its own published values and its own consents, and a consent given to
// the signed app does not let the twin read.
package share

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/privatedb"
	"github.com/sandframe/sandframe/storage"
)

// Decision is the user's answer for one (reader, publisher) pair.
type Decision string

// Decisions; Ask is the absence of a row.
const (
	Ask     Decision = "ask"
	Granted Decision = "granted"
	Denied  Decision = "denied"
)

// Limits of one share.
const (
	MaxNameBytes  = 128
	MaxReaders    = 100
	MaxValueBytes = 1 << 20
)

// ErrNotShared is what a reader gets for a value that does not exist and for one not
// shared with it alike: a reader cannot learn what else a publisher shares.
var ErrNotShared = errors.New("share: nothing shared with this app under that name")

// NamespaceOf is the storage namespace holding the shares of the app whose identity
// key (or, before the identity migration, bare id) is publisher.
func NamespaceOf(publisher string) string { return publisher + "#shares" }

// entry is what is stored per published name.
type entry struct {
	To    []string        `json:"to"` // readers' app ids, as the publisher named them
	Value json.RawMessage `json:"value"`
}

// Consent is one stored decision; Reader and Publisher are identity keys.
type Consent struct {
	Reader, Publisher string
	Decision          Decision
	Updated           time.Time
}

// Store publishes, reads and remembers consents.
type Store struct {
	data *storage.Store
	db   *sql.DB
	path string
}

const schema = `
CREATE TABLE IF NOT EXISTS consents (
	reader    TEXT    NOT NULL,
	publisher TEXT    NOT NULL,
	decision  TEXT    NOT NULL CHECK (decision IN ('granted', 'denied')),
	updated   INTEGER NOT NULL,
	PRIMARY KEY (reader, publisher)
) WITHOUT ROWID;`

// Open opens the consent database at path; values go to data.
func Open(data *storage.Store, path string) (*Store, error) {
	db, abs, err := privatedb.Open(path, privatedb.Full)
	if err != nil {
		return nil, fmt.Errorf("share store %s: %w", abs, err)
	}
	if _, err := db.ExecContext(context.Background(), schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("share store %s: %w", abs, err)
	}
	return &Store{data: data, db: db, path: abs}, nil
}

// Close closes the consent database (not the storage).
func (s *Store) Close() error { return s.db.Close() }

// Publish offers value under name to the apps whose ids are in to (any identity of
// those ids may read it, each with its own consent), replacing an earlier value.
func (s *Store) Publish(publisher identity.App, name string, value json.RawMessage, to []string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if len(to) == 0 || len(to) > MaxReaders {
		return fmt.Errorf("share: to must name 1 to %d apps", MaxReaders)
	}
	for _, id := range to {
		if id == "" || id == publisher.ID {
			return fmt.Errorf("share: %q cannot be a reader", id)
		}
	}
	if len(value) == 0 || len(value) > MaxValueBytes || !json.Valid(value) {
		return fmt.Errorf("share: the value must be JSON of at most %d bytes", MaxValueBytes)
	}
	raw, err := json.Marshal(entry{To: to, Value: value})
	if err != nil {
		return err
	}
	ns, err := s.data.App(NamespaceOf(publisher.Key()))
	if err != nil {
		return err
	}
	return ns.Set(name, raw)
}

// Unpublish withdraws name.
func (s *Store) Unpublish(publisher identity.App, name string) error {
	ns, err := s.data.App(NamespaceOf(publisher.Key()))
	if err != nil {
		return err
	}
	return ns.Remove(name)
}

// Read returns what publisher shared with reader under name. It does not look at
// consent: the caller asks first (Consent, SetConsent).
func (s *Store) Read(reader, publisher identity.App, name string) (json.RawMessage, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	ns, err := s.data.App(NamespaceOf(publisher.Key()))
	if err != nil {
		return nil, err
	}
	raw, err := ns.Get(name)
	if errors.Is(err, storage.ErrNoKey) {
		return nil, ErrNotShared
	}
	if err != nil {
		return nil, err
	}
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("share: stored entry: %w", err)
	}
	if !slices.Contains(e.To, reader.ID) {
		return nil, ErrNotShared
	}
	return e.Value, nil
}

// Consent is the stored decision for the pair (Ask when none).
func (s *Store) Consent(reader, publisher identity.App) (Decision, error) {
	var d string
	err := s.db.QueryRow(`SELECT decision FROM consents WHERE reader = ? AND publisher = ?`, reader.Key(), publisher.Key()).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return Ask, nil
	}
	if err != nil {
		return "", fmt.Errorf("share store %s: %w", s.path, err)
	}
	return Decision(d), nil
}

// SetConsent stores d for the pair; Ask forgets it (the next read asks again).
func (s *Store) SetConsent(reader, publisher identity.App, d Decision) error {
	return s.setConsent(reader.Key(), publisher.Key(), d)
}

func (s *Store) setConsent(reader, publisher string, d Decision) error {
	var err error
	switch d {
	case Ask:
		_, err = s.db.Exec(`DELETE FROM consents WHERE reader = ? AND publisher = ?`, reader, publisher)
	case Granted, Denied:
		_, err = s.db.Exec(`INSERT INTO consents (reader, publisher, decision, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT (reader, publisher) DO UPDATE SET decision = excluded.decision, updated = excluded.updated`,
			reader, publisher, string(d), time.Now().UnixNano())
	default:
		return fmt.Errorf("share: unknown decision %q", d)
	}
	if err != nil {
		return fmt.Errorf("share store %s: %w", s.path, err)
	}
	return nil
}

// Consents lists the stored decisions; app "" lists all, else those naming the
// identity key app.
func (s *Store) Consents(app string) ([]Consent, error) {
	rows, err := s.db.Query(`SELECT reader, publisher, decision, updated FROM consents
		WHERE ? = '' OR reader = ? OR publisher = ? ORDER BY reader, publisher`, app, app, app)
	if err != nil {
		return nil, fmt.Errorf("share store %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var c Consent
		var d string
		var ns int64
		if err := rows.Scan(&c.Reader, &c.Publisher, &d, &ns); err != nil {
			return nil, err
		}
		c.Decision, c.Updated = Decision(d), time.Unix(0, ns)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Wipe removes everything of app: what it published and every consent naming it. The
// other identities of its id (an unsigned twin, another signer) keep theirs.
func (s *Store) Wipe(app identity.App) error {
	return s.wipe(app.Key())
}

func (s *Store) wipe(key string) error {
	if err := s.data.Wipe(NamespaceOf(key)); err != nil {
		return err
	}
	if _, err := s.db.Exec(`DELETE FROM consents WHERE reader = ? OR publisher = ?`, key, key); err != nil {
		return fmt.Errorf("share store %s: %w", s.path, err)
	}
	return nil
}

// Rekey moves the consents naming from (a bare app id, kept by an older shell) to the
// identity to; a consent already stored for to wins. Values published under from's
// namespace are moved by the storage step (storage.Store.Move of NamespaceOf). It is
// the identity migration's step for this store.
func (s *Store) Rekey(from string, to identity.App) error {
	key := to.Key()
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("share store %s: %w", s.path, err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		`UPDATE OR IGNORE consents SET reader = ? WHERE reader = ?`,
		`UPDATE OR IGNORE consents SET publisher = ? WHERE publisher = ?`,
	} {
		if _, err := tx.Exec(q, key, from); err != nil {
			return fmt.Errorf("share store %s: rekey %s: %w", s.path, from, err)
		}
	}
	if _, err := tx.Exec(`DELETE FROM consents WHERE reader = ? OR publisher = ?`, from, from); err != nil {
		return fmt.Errorf("share store %s: rekey %s: %w", s.path, from, err)
	}
	return tx.Commit()
}

// Named lists every app (identity key, or a bare id an older shell kept) that a consent
// names: what the identity migration looks at.
func (s *Store) Named() ([]string, error) {
	rows, err := s.db.Query(`SELECT reader FROM consents UNION SELECT publisher FROM consents`)
	if err != nil {
		return nil, fmt.Errorf("share store %s: %w", s.path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func checkName(name string) error {
	if name == "" || len(name) > MaxNameBytes || !utf8.ValidString(name) {
		return fmt.Errorf("share: a name is 1 to %d bytes of UTF-8", MaxNameBytes)
	}
	return nil
}
