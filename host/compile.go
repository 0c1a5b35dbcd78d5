package host

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/internal/lru"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/render/wxml"
	"github.com/sandframe/sandframe/render/wxss"
)

// Image limits: images travel to the page as data: URLs inside init.
const (
	maxImageBytes      = 2 << 20
	maxTotalImageBytes = 24 << 20
)

// imageTypes are the bundle files the page may show, by extension.
var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

// fontTypes are the bundle files an @font-face may use, by extension. Fonts reach the
// page as data: URLs inside the compiled CSS (the CSP's font-src is data: only).
var fontTypes = map[string]string{
	".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
}

// maxFontBytes bounds one font: it is inlined, base64, into CSS capped at 4 MiB.
const maxFontBytes = 1 << 20

// Unit is one compiled page or component.
type Unit struct {
	Template *wxml.Template
	CSS      string
	Handlers map[string]bool
	// StyleScope is the token its class rules are confined to ("p" for pages and
	// app.wxss, one per component): WeChat's style isolation, docs/render-runtime.md.
	StyleScope string
}

// pageStyleScope is the style scope of app.wxss and every page's WXSS.
const pageStyleScope = "p"

// componentStyleScope is a component's style scope: short, stable, one per path.
func componentStyleScope(path string) string {
	sum := sha256.Sum256([]byte(path))
	return fmt.Sprintf("c%x", sum[:4])
}

// App is a mini-app loaded and compiled, ready to run: nothing in it is known to be
// broken.
type App struct {
	Dir        string // the directory it was loaded from (LoadDir), "" otherwise
	Signer     string // the publisher key id of a signed bundle, "" when unsigned
	Publisher  string // the name the user trusts that key under
	Verified   bool   // signed by a trusted, unrevoked key
	Project    *miniapp.Project
	Pages      map[string]*Unit // by route
	Components map[string]*Unit // by path
	CSS        string           // app.wxss
	Images     map[string]string
	Warnings   []string
	// Fetcher makes its subpackages present (LoadFetching); nil: all are.
	Fetcher miniapp.SubpackageFetcher
	subs    *subState // set by LoadFetching: the compiled parts grow as subpackages arrive

	leftOut []string // subpackage units left out (the disk cache replays them)

	// Digest is the digest of every file's path and content as loaded (the compile
	// cache's key); zero for an app whose files grow as subpackages arrive.
	Digest [sha256.Size]byte
}

// Identity is the app as every store keys it: its id with the key that signed it, or
// the id marked unverified when no key did (a folder, an unsigned bundle). An app.json
// without an id runs as "unnamed".
func (a *App) Identity() identity.App {
	return identity.Signed(appIDOf(a.Project), a.Signer)
}

// LoadDir loads the mini-app in directory dir.
func LoadDir(dir string) (*App, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	a, err := Load(os.DirFS(abs))
	if err != nil {
		return nil, err
	}
	a.Dir = abs
	return a, nil
}

// compiled caches compiled apps by the digest of every file: all instances of the same
// bundle (windows, restarts, kiosk sessions) share its templates, styles and images.
var compiled = lru.New[[sha256.Size]byte, *App](64)

// ClearCompileCache empties the compiled-app cache (benchmarks measure cold launches).
func ClearCompileCache() { compiled.Clear() }

// Load reads, checks and compiles the mini-app in fsys, or takes what an identical app
// compiled to from the cache.
func Load(fsys fs.FS) (*App, error) {
	key, err := digestFS(fsys)
	if err != nil {
		return nil, err
	}
	if a, ok := compiled.Get(key); ok {
		return a.instance(fsys), nil
	}
	a, err := load(fsys, key)
	if err != nil {
		return nil, err
	}
	compiled.Put(key, a)
	return a.instance(fsys), nil
}

// instance is a copy of a compiled app for one launch: the compiled parts are shared
// (read-only), the per-launch fields are its own.
func (a *App) instance(fsys fs.FS) *App {
	proj := *a.Project
	proj.FS = fsys
	out := *a
	out.Project = &proj
	out.Dir, out.Signer, out.Publisher, out.Verified = "", "", "", false
	return &out
}

// digestFS hashes every file's path and content, in order.
func digestFS(fsys fs.FS) ([sha256.Size]byte, error) {
	var key [sha256.Size]byte
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(raw))
		h.Write(raw)
		return nil
	})
	if err != nil {
		return key, fmt.Errorf("read the mini-app: %w", err)
	}
	h.Sum(key[:0])
	return key, nil
}

// load reads, checks and compiles the mini-app in fsys. Errors name the file and, where
// there is one, the line and column.
func load(fsys fs.FS, key [sha256.Size]byte) (*App, error) {
	return loadWith(fsys, miniapp.LoadOptions{}, &key)
}

// loadWith is load with options; key, the digest of every file, names the app's entry
// in the disk level of the code cache (nil: not cached there, for an app whose files
// grow as subpackages arrive).
func loadWith(fsys fs.FS, lo miniapp.LoadOptions, key *[sha256.Size]byte) (*App, error) {
	proj, err := miniapp.LoadWith(fsys, lo)
	if err != nil {
		return nil, err
	}
	if err := perms.CheckClaims(claimsOf(proj.App.Capabilities)); err != nil {
		return nil, fmt.Errorf("app.json: %w", err)
	}
	_, claimWarns := proj.App.Claims()
	claimWarns = append(append([]string(nil), proj.Warnings...), claimWarns...)
	if n := proj.App.Network; n != nil {
		if err := netapi.ValidateDomains(n.Domains); err != nil {
			return nil, fmt.Errorf("app.json: network.domains: %w", err)
		}
	}
	a := &App{Project: proj, Pages: map[string]*Unit{}, Components: map[string]*Unit{}, Warnings: claimWarns}
	if key != nil {
		a.Digest = *key
	}
	// ES modules and TypeScript compile here (and are cached for every launch). A
	// subpackage's page or component that does not compile is left out with a warning.
	entries := []string{"app"}
	var subs []string
	for _, pg := range proj.Pages {
		if pg.Sub {
			subs = append(subs, pg.Route)
		} else {
			entries = append(entries, pg.Route)
		}
	}
	for _, c := range proj.ComponentPaths() {
		if proj.Components[c].Sub {
			subs = append(subs, c)
		} else {
			entries = append(entries, c)
		}
	}
	// The disk level of the code cache (diskcache.go; nil: none). Module transforms
	// are keyed by their source, so an app fetching subpackages uses them too.
	dl := disk()
	tc := dl.transforms(appIDOf(proj))
	if err := logic.PrecompileCached(fsys, entries, tc); err != nil {
		return nil, err
	}
	for _, u := range subs {
		if err := logic.PrecompileCached(fsys, []string{u}, tc); err != nil {
			a.leaveOut(u, err)
		}
	}
	if err := a.loadImages(); err != nil {
		return nil, err
	}
	if key != nil && dl.restore(a, *key) {
		return a, nil
	}
	// Remote url()s name the app: its session serves them (the id is in app.json,
	// so apps that share a compile-cache entry share it).
	id := appIDOf(proj)
	remote := func(u string) string { return render.RemoteImageURL(id, u) }
	if miniapp.FileExists(fsys, "app.wxss") {
		css, warns, err := wxss.Compile(fsys, "app.wxss", wxss.Options{ClassScope: pageStyleScope, Image: a.image, Font: a.font, RemoteImage: remote})
		if err != nil {
			return nil, err
		}
		a.CSS = css
		a.warn(warns)
	}
	for _, pg := range append([]miniapp.Page(nil), proj.Pages...) {
		scope := fmt.Sprintf("page[data-route=%q]", pg.Route)
		u, err := a.compile(pg.Route, pg.HasCSS, wxss.Options{Scope: scope, ClassScope: pageStyleScope, Image: a.image, Font: a.font, RemoteImage: remote})
		if err != nil {
			if a.leaveOut(pg.Route, err) {
				continue
			}
			return nil, err
		}
		a.Pages[pg.Route] = u
	}
	for _, c := range proj.ComponentPaths() {
		comp := proj.Components[c]
		u, err := a.compile(c, comp.HasCSS, a.componentStyleOptions(c, comp.StyleIsolation == "shared"))
		if err != nil {
			if a.leaveOut(c, err) {
				continue
			}
			return nil, err
		}
		u.StyleScope = componentStyleScope(c) // its elements carry their own scope, whatever its rules use
		a.Components[c] = u
	}
	if key != nil {
		dl.store(a, *key)
	}
	return a, nil
}

// componentStyleOptions says how component c's WXSS compiles. A styleIsolation
// "shared" component's rules style the page and every component that takes the
// page's rules (apply-shared, shared): they carry the page's scope and leave its
// subtree (docs/render-runtime.md, "Style isolation").
func (a *App) componentStyleOptions(c string, shared bool) wxss.Options {
	id := appIDOf(a.Project)
	opts := wxss.Options{Scope: fmt.Sprintf("[data-sf-comp=%q]", c), Host: true, ClassScope: componentStyleScope(c),
		Image: a.image, Font: a.font, RemoteImage: func(u string) string { return render.RemoteImageURL(id, u) }}
	if shared {
		opts.Shared, opts.ClassScope = true, pageStyleScope
	}
	return opts
}

// componentCSS compiles component c's WXSS for the other isolation than its .json
// chose, when options in its JS (known once logic ran) choose otherwise.
func (a *App) componentCSS(c string, shared bool) (string, error) {
	comp, ok := a.Project.Components[c]
	if !ok || !comp.HasCSS {
		return "", nil
	}
	css, _, err := wxss.Compile(a.Project.FS, c+".wxss", a.componentStyleOptions(c, shared))
	return css, err
}

// leaveOut drops a subpackage page or component that does not compile, with a
// warning: WeChat would only fail when it is opened. It reports false for a unit of
// the main package, whose errors stop the launch.
func (a *App) leaveOut(unit string, err error) bool {
	if !a.Project.LeaveOut(unit) {
		return false
	}
	delete(a.Pages, unit)
	a.leftOut = append(a.leftOut, unit)
	a.Warnings = append(a.Warnings, fmt.Sprintf("%v; %s is in a subpackage and is left out", err, unit))
	return true
}

func (a *App) compile(base string, hasCSS bool, opts wxss.Options) (*Unit, error) {
	tmpl, warns, err := wxml.Compile(a.Project.FS, base+".wxml")
	if err != nil {
		return nil, err
	}
	for _, w := range warns {
		a.Warnings = append(a.Warnings, w.Error())
	}
	u := &Unit{Template: tmpl, Handlers: map[string]bool{}, StyleScope: opts.ClassScope}
	for _, h := range tmpl.Handlers {
		u.Handlers[h] = true
	}
	for _, k := range tmpl.Models {
		u.Handlers[bridge.ModelKey(k)] = true
	}
	if tmpl.DynamicHandlers {
		u.Handlers[bridge.AnyMethod] = true
	}
	if hasCSS {
		css, warns, err := wxss.Compile(a.Project.FS, base+".wxss", opts)
		if err != nil {
			return nil, err
		}
		u.CSS = css
		a.warn(warns)
	}
	return u, nil
}

func (a *App) warn(ds []wxss.Diagnostic) {
	for _, d := range ds {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg))
	}
}

// loadImages turns every image in the bundle into a data: URL, the only kind of image
// the page's CSP lets in.
func (a *App) loadImages() error {
	a.Images = map[string]string{}
	total := 0
	var files []string
	err := fs.WalkDir(a.Project.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if _, ok := imageTypes[strings.ToLower(path.Ext(p))]; ok {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("images: %w", err)
	}
	sort.Strings(files)
	for _, p := range files {
		raw, err := fs.ReadFile(a.Project.FS, p)
		if err != nil {
			return fmt.Errorf("image %s: %w", p, err)
		}
		if len(raw) > maxImageBytes || total+len(raw) > maxTotalImageBytes {
			a.Warnings = append(a.Warnings, fmt.Sprintf("%s: image left out: larger than %d bytes, or the app's images exceed %d bytes", p, maxImageBytes, maxTotalImageBytes))
			continue
		}
		total += len(raw)
		typ := imageTypes[strings.ToLower(path.Ext(p))]
		if typ == "" {
			typ = mime.TypeByExtension(path.Ext(p))
		}
		a.Images[p] = "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(raw)
	}
	return nil
}

// image resolves a bundle path for the WXSS compiler.
func (a *App) image(p string) (string, bool) {
	u, ok := a.Images[strings.TrimPrefix(p, "/")]
	return u, ok
}

// font resolves a bundle font for the WXSS compiler's @font-face: read when a style
// names it, as a data: URL.
func (a *App) font(p string) (string, bool) {
	typ, ok := fontTypes[strings.ToLower(path.Ext(p))]
	if !ok {
		return "", false
	}
	raw, err := fs.ReadFile(a.Project.FS, strings.TrimPrefix(p, "/"))
	if err != nil {
		return "", false
	}
	if len(raw) > maxFontBytes {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%s: font left out: larger than %d bytes", p, maxFontBytes))
		return "", false
	}
	return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(raw), true
}

// PageHandlers implements bridge.HandlerIndex.
func (a *App) PageHandlers(route string) (map[string]bool, bool) {
	defer a.rlock()()
	u, ok := a.Pages[route]
	if !ok {
		return nil, false
	}
	return u.Handlers, true
}

// ComponentHandlers implements bridge.HandlerIndex.
func (a *App) ComponentHandlers(is string) (map[string]bool, bool) {
	defer a.rlock()()
	u, ok := a.Components[is]
	if !ok {
		return nil, false
	}
	return u.Handlers, true
}

// Uses implements bridge.HandlerIndex. A component with abstract nodes
// (componentGenerics) may hold any component of the app there: its caller chose one of
// its own usingComponents with generic:NAME, which only the page knows.
func (a *App) Uses(owner, is string) bool {
	defer a.rlock()()
	var using map[string]string
	if pg, ok := a.Project.Page(owner); ok {
		using = pg.Using
	} else if c, ok := a.Project.Components[owner]; ok {
		using = c.Using
		if len(c.Generics) > 0 {
			if _, known := a.Project.Components[is]; known {
				return true
			}
		}
	}
	for _, p := range using {
		if p == is {
			return true
		}
	}
	return false
}
