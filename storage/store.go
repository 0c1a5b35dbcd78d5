package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/internal/atomicfile"
)

// Errors. Each is wrapped with context; test with errors.Is.
var (
	ErrNoKey          = errors.New("storage: data not found")                               // Get of an absent key
	ErrKeyTooLarge    = errors.New("storage: item exceeds the per-key limit")               // key name + value JSON > MaxKeyBytes
	ErrQuota          = errors.New("storage: app storage quota exceeded")                   // the set would pass MaxAppBytes
	ErrWrongMasterKey = errors.New("storage: the master key does not open the stored data") // see *MasterKeyError
	ErrTampered       = errors.New("storage: stored data failed authentication")            // a row altered, moved or copied
	ErrInvalid        = errors.New("storage: invalid key or value")                         // key not UTF-8, value not JSON
	ErrNoApp          = errors.New("storage: the app has no stored data")                   // RotateKey of an app with none
	ErrClosed         = errors.New("storage: closed")
)

// Defaults, as WeChat's.
const (
	DefaultMaxKeyBytes = 1 << 20  // 1 MiB per item: key name + value JSON
	DefaultMaxAppBytes = 10 << 20 // 10 MiB per app
)

// Config configures a Store. The host maps its configuration onto it.
type Config struct {
	Dir         string       // $XDG_DATA_HOME/sandframe/storage: one subfolder per app (see docs/storage.md)
	ConfigDir   string       // $XDG_CONFIG_HOME/sandframe: the master key file when there is no desktop keyring
	Keyring     Keyring      // nil: DefaultKeyring(ConfigDir) (Secret Service, else a file in ConfigDir)
	MaxKeyBytes int          // per item, key name + value JSON in bytes; 0: DefaultMaxKeyBytes
	MaxAppBytes int64        // per app, sum of items; 0: DefaultMaxAppBytes
	Logger      *slog.Logger // nil: slog.Default()
}

// Store is every app's storage under one master key. Safe for concurrent use; several
// processes (the shell and `shell storage ...`) may open the same Dir.
type Store struct {
	dir, configDir string
	maxKey         int
	maxApp         int64
	log            *slog.Logger
	keyring        Keyring
	master         *masterKey

	mu     sync.Mutex
	apps   map[string]*AppStore
	strays []*AppStore // handles that opened a database after a Wipe dropped them while another took their place
	closed bool
}

// adopt puts back a handle that opens a database after a Wipe made the Store forget
// it (its holder went on using it), so that Close closes it. The caller holds a.mu.
func (s *Store) adopt(a *AppStore) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	switch s.apps[a.app] {
	case a:
	case nil:
		s.apps[a.app] = a
	default:
		s.strays = append(s.strays, a)
	}
	return nil
}

// Open opens the storage in cfg.Dir, creating the master key on first use. When data
// exists and the master key does not open it (a replaced key file, a key missing from
// the keyring), Open returns a *MasterKeyError (errors.Is ErrWrongMasterKey) saying what
// to do, and changes nothing: no key is made, no file is touched.
func Open(cfg Config) (*Store, error) {
	if cfg.Dir == "" {
		return nil, errors.New("storage: Config.Dir is empty")
	}
	if cfg.MaxKeyBytes < 0 || cfg.MaxAppBytes < 0 {
		return nil, fmt.Errorf("storage: negative MaxKeyBytes (%d) or MaxAppBytes (%d)", cfg.MaxKeyBytes, cfg.MaxAppBytes)
	}
	if cfg.MaxKeyBytes == 0 {
		cfg.MaxKeyBytes = DefaultMaxKeyBytes
	}
	if cfg.MaxAppBytes == 0 {
		cfg.MaxAppBytes = DefaultMaxAppBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("storage: Config.Dir %s: %w", cfg.Dir, err)
	}
	if err := mkdirPrivate(dir); err != nil {
		return nil, fmt.Errorf("storage: Config.Dir %s: %w", dir, err)
	}
	s := &Store{
		dir: dir, configDir: cfg.ConfigDir, maxKey: cfg.MaxKeyBytes, maxApp: cfg.MaxAppBytes,
		log: cfg.Logger, apps: map[string]*AppStore{},
	}
	if err := s.openMaster(cfg.Keyring); err != nil {
		return nil, err
	}
	s.removeTombstones()
	return s, nil
}

// KeyringName says where the master key is: "secret-service", "file", or a custom
// keyring's name.
func (s *Store) KeyringName() string { return keyringName(s.keyring) }

// App returns appID's storage. Nothing is created on disk until its first write. The
// handle is cached (the same one for every call) and stays valid across Wipe.
func (s *Store) App(appID string) (*AppStore, error) {
	name, err := dirName(appID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	a := s.apps[appID]
	if a == nil {
		folder := filepath.Join(s.dir, name)
		a = &AppStore{s: s, app: appID, dir: folder, path: filepath.Join(folder, dbFile)}
		s.apps[appID] = a
	}
	return a, nil
}

// dbFile is the database's name inside the app's folder.
const dbFile = "data.db"

// Close closes every app's database. Later calls return ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	apps := s.apps
	strays := s.strays
	s.apps, s.strays = nil, nil
	s.mu.Unlock()
	var errs []error
	for _, a := range apps {
		errs = append(errs, a.shut())
	}
	for _, a := range strays {
		errs = append(errs, a.shut())
	}
	return errors.Join(errs...)
}

// AppUsage is one app's use of storage, for `shell storage du`.
type AppUsage struct {
	App       string `json:"app"`
	Keys      int    `json:"keys"`
	Bytes     int64  `json:"bytes"`     // the quota's count: key names + value JSON
	FileBytes int64  `json:"fileBytes"` // on disk: database, WAL and shared-memory files
}

// Usage lists every app that has a database, sorted by app id.
func (s *Store) Usage() ([]AppUsage, error) {
	apps, err := s.storedApps()
	if err != nil {
		return nil, err
	}
	out := make([]AppUsage, 0, len(apps))
	for _, app := range apps {
		a, err := s.App(app)
		if err != nil {
			return nil, err
		}
		u := AppUsage{App: app}
		err = a.use(false, func(d *appDB) error {
			if d == nil {
				return nil
			}
			var err error
			u.Keys, u.Bytes, err = d.usage()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("storage: app %q: %w", app, err)
		}
		entries, _ := os.ReadDir(a.dir)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				u.FileBytes += fi.Size()
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// storedApps lists the app ids that have a folder under Dir.
func (s *Store) storedApps() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("storage: %s: %w", s.dir, err)
	}
	var apps []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if app, ok := appFromDir(e.Name()); ok {
			apps = append(apps, app)
		}
	}
	sort.Strings(apps)
	return apps, nil
}

// Wipe removes all of appID's data and its keys: its folder (database, WAL, shared
// memory, and with them the wrapped data key) is renamed to a tombstone in one step and
// then deleted; a crash in between leaves a tombstone that the next Open deletes. The
// master key is shared and holds nothing of the app. Wiping an app with no data succeeds.
// A handle from App stays usable and starts empty; the Store itself forgets the app (a
// later App makes a new handle, which finds the folder as a wipe by another process).
func (s *Store) Wipe(appID string) error {
	a, err := s.App(appID)
	if err != nil {
		return err
	}
	defer func() {
		s.mu.Lock()
		if s.apps[appID] == a {
			delete(s.apps, appID)
		}
		s.mu.Unlock()
	}()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db != nil {
		if err := a.db.close(); err != nil {
			s.log.Warn("storage: close before wipe", "app", appID, "err", err)
		}
		a.db = nil
	}
	tomb := filepath.Join(s.dir, tombstonePrefix+randomSuffix())
	switch err := os.Rename(a.dir, tomb); {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("storage: wipe %q: %w", appID, err)
	}
	if err := atomicfile.SyncDir(s.dir); err != nil {
		return fmt.Errorf("storage: wipe %q: %w", appID, err)
	}
	if err := os.RemoveAll(tomb); err != nil {
		return fmt.Errorf("storage: wipe %q: remove %s: %w", appID, tomb, err)
	}
	if err := atomicfile.SyncDir(s.dir); err != nil {
		return fmt.Errorf("storage: wipe %q: %w", appID, err)
	}
	s.log.Info("storage: app wiped", "app", appID)
	return nil
}

// tombstonePrefix names a wiped app's folder between its rename and its removal. It
// starts with '.', which no app folder does.
const tombstonePrefix = ".wipe-"

// removeTombstones finishes wipes that a crash interrupted.
func (s *Store) removeTombstones() {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tombstonePrefix) {
			if err := os.RemoveAll(filepath.Join(s.dir, e.Name())); err != nil {
				s.log.Warn("storage: remove an interrupted wipe's leftovers", "path", e.Name(), "err", err)
			}
		}
	}
}

// RotateKey re-encrypts appID's data under new random keys in one transaction; the old
// wrapped key is overwritten and, with the WAL truncated after the commit, gone from
// disk. ErrNoApp when the app has no data.
func (s *Store) RotateKey(appID string) error {
	a, err := s.App(appID)
	if err != nil {
		return err
	}
	err = a.use(false, func(d *appDB) error {
		if d == nil {
			return ErrNoApp
		}
		if err := d.rotate(); err != nil {
			return err
		}
		// The commit is what matters; a reader in another process can hold the WAL, and
		// then the old pages leave it at the next checkpoint instead.
		if err := d.checkpoint(); err != nil {
			s.log.Warn("storage: WAL not truncated after key rotation", "app", appID, "err", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: rotate key of %q: %w", appID, err)
	}
	s.log.Info("storage: app key rotated", "app", appID)
	return nil
}
