// Package codecache is the on-disk level of the code cache: what the shell derives from
// a verified bundle (compiled templates and styles, JavaScript transformed from ES
// modules and TypeScript) kept under $XDG_CACHE_HOME/sandframe/code so that a launch
// after a restart skips the work. The in-memory caches (host's compiled apps, logic's
// compiled programs) sit above it.
//
// An entry is never trusted: each file carries an HMAC-SHA256 of its key and content
// under a key kept outside the cache folder (in the data folder, 0600). A file that is
// short, altered, or written under another key is removed and reported as a miss; the
// caller derives the value again from the bundle. Keys are content digests (plus the
// shell's build), so an update, whose files differ, never meets the old entries; they
// age out by LRU.
//
// Entries live in one folder per app id (code/<hash of id>/), so that an uninstall
// removes the app's entries (AppData, in the one wipe of internal/appdata); every
// instance of the app shares them. The cache is bounded: after a write that takes it
// over its size, the least recently used entries (by modification time, which a hit
// refreshes) are removed until it is at most nine tenths of the bound.
package codecache

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/identity"
)

// Format is bumped whenever what a deriver writes changes shape, so that a shell never
// reads an older shell's entries as its own (the build stamp below covers released
// builds; this covers development builds without version control stamps).
const Format = "1"

// magic starts every entry file.
const magic = "SFCC1\n"

// DefaultMaxBytes bounds the cache when the config does not.
const DefaultMaxBytes = 256 << 20

// Cache is one cache folder. Its methods are safe for concurrent use, also by several
// shell processes (writes are atomic renames; a reader sees a whole entry or none).
type Cache struct {
	dir string
	key []byte
	max int64

	mu      sync.Mutex
	size    int64 // bytes of entries, -1: not yet counted
	Corrupt func(path string, err error)
}

// Open opens (creating) the cache at dir, bounded to maxBytes (0: DefaultMaxBytes),
// with the MAC key kept at keyPath (created 0600 with 32 random bytes when absent).
func Open(dir, keyPath string, maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("code cache: %w", err)
	}
	key, err := loadKey(keyPath)
	if err != nil {
		return nil, fmt.Errorf("code cache: %w", err)
	}
	return &Cache{dir: dir, key: key, max: maxBytes, size: -1}, nil
}

func loadKey(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err == nil && len(raw) == 32 {
		return raw, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, key, 0o600); err != nil {
		return nil, err
	}
	return key, nil
}

// Dir is the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// build names this shell's build: entries of another build are other keys.
var build = sync.OnceValue(func() string {
	s := "format " + Format
	if bi, ok := debug.ReadBuildInfo(); ok {
		s += " " + bi.GoVersion + " " + bi.Main.Path + "@" + bi.Main.Version
		for _, kv := range bi.Settings {
			if kv.Key == "vcs.revision" || kv.Key == "vcs.modified" || kv.Key == "-tags" {
				s += " " + kv.Key + "=" + kv.Value
			}
		}
	}
	return s
})

// Key is the entry name for kind (what was derived: "app", "js") of content with the
// given digest, under this shell's build and version.
func Key(kind, shellVersion string, digest []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", build(), shellVersion, kind)
	h.Write(digest)
	return kind + "-" + hex.EncodeToString(h.Sum(nil))
}

// appDir is the folder of app id's entries.
func (c *Cache) appDir(app string) string {
	sum := sha256.Sum256([]byte(app))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:12]))
}

func (c *Cache) mac(name string, data []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

// Get returns the entry of app under key, or false. A corrupt entry is removed.
func (c *Cache) Get(app, key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	p := filepath.Join(c.appDir(app), key)
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	data, err := c.open(key, raw)
	if err != nil {
		c.discard(p, int64(len(raw)), err)
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // recently used
	return data, true
}

// open checks an entry file's header and MAC and returns its content.
func (c *Cache) open(key string, raw []byte) ([]byte, error) {
	rest, ok := strings.CutPrefix(string(raw), magic)
	if !ok || len(rest) < sha256.Size {
		return nil, errors.New("not a code cache entry")
	}
	sum, data := []byte(rest[:sha256.Size]), []byte(rest[sha256.Size:])
	if !hmac.Equal(sum, c.mac(key, data)) {
		return nil, errors.New("MAC mismatch: altered, truncated or written under another key")
	}
	return data, nil
}

func (c *Cache) discard(p string, n int64, why error) {
	if os.Remove(p) == nil {
		c.mu.Lock()
		if c.size >= 0 {
			c.size -= n
		}
		c.mu.Unlock()
	}
	if c.Corrupt != nil {
		c.Corrupt(p, why)
	}
}

// Put stores data as app's entry under key, then evicts what is over the bound. A
// failure to write only loses the cache entry: it is returned for logging.
func (c *Cache) Put(app, key string, data []byte) error {
	if c == nil {
		return nil
	}
	if int64(len(data)) > c.max/4 {
		return fmt.Errorf("code cache: %s: %d bytes is more than a quarter of the cache", key, len(data))
	}
	dir := c.appDir(app)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("code cache: %w", err)
	}
	file := make([]byte, 0, len(magic)+sha256.Size+len(data))
	file = append(append(append(file, magic...), c.mac(key, data)...), data...)
	p := filepath.Join(dir, key)
	old, _ := os.Stat(p)
	if err := writeFile(p, file); err != nil {
		return fmt.Errorf("code cache: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.size < 0 {
		c.size = c.count()
	} else {
		c.size += int64(len(file))
		if old != nil {
			c.size -= old.Size()
		}
	}
	if c.size > c.max {
		c.evict()
	}
	return nil
}

// writeFile writes an entry atomically; entries are derived data, so no fsync: a crash
// leaves a whole entry, none, or one whose MAC fails and that is derived again.
func writeFile(p string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

type entry struct {
	path string
	size int64
	used time.Time
}

func (c *Cache) entries() []entry {
	var out []entry
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			out = append(out, entry{p, fi.Size(), fi.ModTime()})
		}
		return nil
	})
	return out
}

func (c *Cache) count() int64 {
	var n int64
	for _, e := range c.entries() {
		n += e.size
	}
	return n
}

// evict removes least recently used entries until the cache is at most 9/10 of its
// bound. Called with c.mu held.
func (c *Cache) evict() {
	es := c.entries()
	sort.Slice(es, func(i, j int) bool { return es[i].used.Before(es[j].used) })
	var total int64
	for _, e := range es {
		total += e.size
	}
	for _, e := range es {
		if total <= c.max*9/10 {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	c.size = total
}

// Size is the bytes the cache's entries take.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = c.count()
	return c.size
}

// AppData is the cache in the one wipe (internal/appdata): an uninstall removes every
// entry of the app's id (any signer: entries are derived code, and a signer's next
// launch derives them again); clearing data or a session keeps them, as it keeps the
// installed files they come from.
func (c *Cache) AppData() appdata.Store { return wiper{c} }

type wiper struct{ c *Cache }

func (wiper) Name() string { return "code cache" }

func (w wiper) Wipe(_ context.Context, app identity.App, scope appdata.Scope) error {
	if scope != appdata.Uninstall || w.c == nil {
		return nil
	}
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	if err := os.RemoveAll(w.c.appDir(app.ID)); err != nil {
		return fmt.Errorf("code cache: %w", err)
	}
	w.c.size = -1
	return nil
}
