package host

import (
	"crypto/sha256"
	"encoding/json"
	"sync/atomic"

	"github.com/sandframe/sandframe/internal/codecache"
	"github.com/sandframe/sandframe/logic"
)

// The code cache has two levels: compiled apps and modules in memory (compiled here,
// logic's programs), and on disk (internal/codecache) what can be kept there: each
// app's compiled templates and styles (an entry per bundle digest) and each ES module
// or TypeScript file's transform (an entry per file digest). A launch after a restart
// reads them instead of compiling; goja still compiles the JavaScript it runs (its
// programs cannot be stored). docs/performance.md, "Launch, cache and memory".

// diskLevel is the disk cache with the shell version its keys carry.
type diskLevel struct {
	c       *codecache.Cache
	version string
}

var diskCache atomic.Pointer[diskLevel]

// diskHits counts apps restored from the disk level (tests, benchmarks).
var diskHits atomic.Int64

// SetDiskCache makes every later Load read and fill c (nil: no disk level).
// shellVersion is part of every key: another shell's entries are other keys.
func SetDiskCache(c *codecache.Cache, shellVersion string) {
	if c == nil {
		diskCache.Store(nil)
		return
	}
	diskCache.Store(&diskLevel{c: c, version: shellVersion})
}

func disk() *diskLevel { return diskCache.Load() }

// diskApp is what an app's entry holds: everything load derives from the bundle beyond
// what miniapp.Load reads (cheap) and the images (data: URLs of the bundle's files).
type diskApp struct {
	Pages      map[string]*Unit `json:"pages"`
	Components map[string]*Unit `json:"components"`
	CSS        string           `json:"css"`
	Warnings   []string         `json:"warnings"`
	LeftOut    []string         `json:"leftOut"`
}

func (d *diskLevel) appKey(key [sha256.Size]byte) string {
	return codecache.Key("app", d.version, key[:])
}

// restore fills a's compiled parts from its disk entry and reports whether there was
// a usable one. An entry that does not decode is a miss (the MAC already held, so it
// is one written by another build of the same format: compiled again, overwritten).
func (d *diskLevel) restore(a *App, key [sha256.Size]byte) bool {
	if d == nil {
		return false
	}
	raw, ok := d.c.Get(appIDOf(a.Project), d.appKey(key))
	if !ok {
		return false
	}
	var e diskApp
	if err := json.Unmarshal(raw, &e); err != nil || e.Pages == nil || e.Components == nil {
		return false
	}
	for _, m := range []map[string]*Unit{e.Pages, e.Components} {
		for _, u := range m {
			if u == nil || u.Template == nil {
				return false // checked before anything of a is touched: a miss compiles
			}
			if u.Handlers == nil {
				u.Handlers = map[string]bool{}
			}
		}
	}
	for _, u := range e.LeftOut {
		if a.Project.LeaveOut(u) {
			delete(a.Pages, u)
		}
	}
	a.leftOut = e.LeftOut
	a.Pages, a.Components, a.CSS, a.Warnings = e.Pages, e.Components, e.CSS, e.Warnings
	diskHits.Add(1)
	return true
}

// store writes a's compiled parts as its disk entry.
func (d *diskLevel) store(a *App, key [sha256.Size]byte) {
	if d == nil {
		return
	}
	// JSON, the form the templates already round-trip through (wxml/json.go): gob
	// would be faster to decode but turns empty lists into null, which the page reads.
	raw, err := json.Marshal(diskApp{Pages: a.Pages, Components: a.Components, CSS: a.CSS, Warnings: a.Warnings, LeftOut: a.leftOut})
	if err != nil {
		return
	}
	_ = d.c.Put(appIDOf(a.Project), d.appKey(key), raw) // a cache that cannot be written only costs the next launch
}

// transforms is the disk level for app's ES module / TypeScript transforms.
func (d *diskLevel) transforms(app string) logic.TransformCache {
	if d == nil {
		return nil
	}
	return &jsTransforms{d: d, app: app}
}

// jsTransforms implements logic.TransformCache on the disk cache, in app's folder.
type jsTransforms struct {
	d   *diskLevel
	app string
}

func (t *jsTransforms) key(file string, src []byte) string {
	h := sha256.New()
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write(src)
	return codecache.Key("js", t.d.version, h.Sum(nil))
}

func (t *jsTransforms) Get(file string, src []byte) ([]byte, bool) {
	return t.d.c.Get(t.app, t.key(file, src))
}

func (t *jsTransforms) Put(file string, src []byte, out []byte) {
	_ = t.d.c.Put(t.app, t.key(file, src), out)
}
