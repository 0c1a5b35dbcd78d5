package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"unicode/utf8"

	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/privatedb"
)

// AppStore is one app's storage: the wx storage API's engine. Safe for concurrent use.
type AppStore struct {
	s    *Store
	app  string
	dir  string // Dir/<dirName(app)>
	path string // dir/data.db

	mu     sync.RWMutex // held for reading by every operation, for writing to open/close db
	db     *appDB       // nil: not open (maybe absent)
	closed bool
}

// App is the app id this storage belongs to.
func (a *AppStore) App() string { return a.app }

// use runs fn with the app's database. A missing database is created when create is
// set, else fn gets nil. A database another process wiped is closed and looked up again.
func (a *AppStore) use(create bool, fn func(*appDB) error) error {
	for {
		a.mu.RLock()
		if a.closed {
			a.mu.RUnlock()
			return ErrClosed
		}
		if d := a.db; d != nil && d.current() || d == nil && !create && !exists(a.path) {
			err := fn(d)
			a.mu.RUnlock()
			return err
		}
		a.mu.RUnlock()
		if err := a.reopen(create); err != nil {
			return err
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// reopen closes a stale database and opens (creating when asked) the current one.
func (a *AppStore) reopen(create bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	if a.db != nil && !a.db.current() {
		a.db.close()
		a.db = nil
	}
	if a.db != nil || !create && !exists(a.path) {
		return nil
	}
	if create {
		if err := mkdirPrivate(a.dir); err != nil {
			return fmt.Errorf("storage: app %q: %s: %w", a.app, a.dir, err)
		}
		if err := privatedb.PrepareFile(a.path); err != nil {
			return fmt.Errorf("storage: app %q: %s: %w", a.app, a.path, err)
		}
		// The folder's and the file's entries must outlive a power cut as the rows do.
		if err := atomicfile.SyncDir(a.dir); err != nil {
			return fmt.Errorf("storage: app %q: %w", a.app, err)
		}
		if err := atomicfile.SyncDir(a.s.dir); err != nil {
			return fmt.Errorf("storage: app %q: %w", a.app, err)
		}
	}
	d, err := openAppDB(a.app, a.path, a.s.master)
	if err != nil {
		if errors.Is(err, ErrWrongMasterKey) {
			return &MasterKeyError{Where: describeKeyring(a.s.keyring), Dir: a.s.dir, App: a.app, Cause: err}
		}
		return fmt.Errorf("storage: app %q: %s: %w", a.app, a.path, err)
	}
	if err := a.s.adopt(a); err != nil {
		d.close()
		return err
	}
	a.db = d
	return nil
}

// shut closes the database for good (Store.Close).
func (a *AppStore) shut() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.db == nil {
		return nil
	}
	err := a.db.close()
	a.db = nil
	return err
}

func (a *AppStore) wrap(op string, err error) error {
	if err == nil || errors.Is(err, ErrNoKey) || errors.Is(err, ErrClosed) {
		return err
	}
	var mk *MasterKeyError
	if errors.As(err, &mk) {
		return err
	}
	return fmt.Errorf("storage: %s in app %q: %w", op, a.app, err)
}

// Set stores value (JSON as the app gave it: any JSON type) under key. The item's size
// is len(key) + len(value) in bytes; over MaxKeyBytes → ErrKeyTooLarge; a set that would
// bring the app's total over MaxAppBytes → ErrQuota. A refused set changes nothing.
func (a *AppStore) Set(key string, value json.RawMessage) error {
	if !utf8.ValidString(key) {
		return fmt.Errorf("%w: key is not valid UTF-8", ErrInvalid)
	}
	if !json.Valid(value) {
		return fmt.Errorf("%w: value is not JSON", ErrInvalid)
	}
	size := len(key) + len(value)
	if size > a.s.maxKey {
		return fmt.Errorf("%w: key name + value are %d bytes, limit %d", ErrKeyTooLarge, size, a.s.maxKey)
	}
	return a.wrap("set", a.use(true, func(d *appDB) error { return d.set(key, value, size, a.s.maxApp) }))
}

// Get returns the JSON stored under key; ErrNoKey when there is none.
func (a *AppStore) Get(key string) (json.RawMessage, error) {
	var v []byte
	err := a.use(false, func(d *appDB) error {
		if d == nil {
			return ErrNoKey
		}
		var err error
		v, err = d.get(key)
		return err
	})
	return v, a.wrap("get", err)
}

// Remove deletes key; removing an absent key succeeds.
func (a *AppStore) Remove(key string) error {
	return a.wrap("remove", a.use(false, func(d *appDB) error {
		if d == nil {
			return nil
		}
		return d.remove(key)
	}))
}

// Clear deletes every item; the app's keys stay (Store.Wipe removes those too).
func (a *AppStore) Clear() error {
	return a.wrap("clear", a.use(false, func(d *appDB) error {
		if d == nil {
			return nil
		}
		return d.clear()
	}))
}

// Keys lists every item's name and size, sorted by name (for `shell storage ls`).
func (a *AppStore) Keys() ([]KeyInfo, error) {
	var ks []KeyInfo
	err := a.use(false, func(d *appDB) error {
		if d == nil {
			return nil
		}
		var err error
		ks, _, err = d.list()
		return err
	})
	return ks, a.wrap("list", err)
}

// Info is what wx.getStorageInfo reports, in bytes. WeChat reports currentSize and
// limitSize in KB: the host converts with KB.
type Info struct {
	Keys        []string `json:"keys"` // sorted
	CurrentSize int64    `json:"currentSize"`
	LimitSize   int64    `json:"limitSize"`
}

// KB converts to WeChat's units: current rounded up (one byte stored is 1 KB, not 0),
// limit rounded down.
func (i Info) KB() (current, limit int64) {
	return (i.CurrentSize + 1023) / 1024, i.LimitSize / 1024
}

// Info lists the keys and the bytes used against the app's limit.
func (a *AppStore) Info() (Info, error) {
	info := Info{Keys: []string{}, LimitSize: a.s.maxApp}
	err := a.use(false, func(d *appDB) error {
		if d == nil {
			return nil
		}
		ks, total, err := d.list()
		for _, k := range ks {
			info.Keys = append(info.Keys, k.Name)
		}
		info.CurrentSize = total
		return err
	})
	return info, a.wrap("info", err)
}
