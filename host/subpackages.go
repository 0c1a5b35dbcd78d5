package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/render/wxss"
	"github.com/sandframe/sandframe/subpackages"
)

var _ subpackages.Host = apiHost{}

// Subpackages (docs/subpackages.md): an app opened with a miniapp.SubpackageFetcher
// (LoadFetching) starts with the subpackages that are present; the first navigation
// into another one shows a loading state, fetches it, compiles it, hands its files to
// logic and its templates to the page, and goes on; a failed fetch fails the
// navigation WeChat's way and the app keeps running. A launch into an independent
// subpackage starts without app.js and app.wxss; they load when the app leaves it.

// FetchTimeout bounds one subpackage's fetch.
var FetchTimeout = 2 * time.Minute

// preloadNetwork is what preloadRule's "network" is checked against (a seam for
// tests): netapi counts a desktop's wired link as "wifi", not metered.
var preloadNetwork = netapi.SystemNetwork

// subState guards an app whose compiled parts grow as subpackages arrive: the swap of
// Project, Pages and Components (copies are built outside the lock).
type subState struct {
	mu      sync.RWMutex
	install sync.Mutex // one install at a time: each grows the one before's project
}

// rlock read-locks a growing app; a no-op for others. defer a.rlock()().
func (a *App) rlock() func() {
	if a.subs == nil {
		return func() {}
	}
	a.subs.mu.RLock()
	return a.subs.mu.RUnlock
}

// LoadFetching loads the mini-app in fsys whose subpackages f makes present: the ones
// f says are not there yet load when first needed (Session: navigation,
// require.async, wx.loadSubpackage, preloadRule). With a nil f it is Load.
func LoadFetching(fsys fs.FS, f miniapp.SubpackageFetcher) (*App, error) {
	if f == nil {
		return Load(fsys)
	}
	// Not from the compile cache: this app's compiled parts change as it runs.
	a, err := loadWith(fsys, miniapp.LoadOptions{Fetcher: f}, nil)
	if err != nil {
		return nil, err
	}
	a.Fetcher, a.subs = f, &subState{}
	return a, nil
}

// project is the app's project as it is now.
func (a *App) project() *miniapp.Project {
	defer a.rlock()()
	return a.Project
}

// install compiles subpackage root, whose files just arrived, and swaps the grown
// project and units in. It returns the new pages and components and the owners whose
// usingComponents changed (a placeholder's component arrived).
func (a *App) install(root string) (pages, comps, owners []string, err error) {
	if a.subs == nil {
		return nil, nil, nil, errors.New("the app was not loaded with a fetcher")
	}
	a.subs.install.Lock()
	defer a.subs.install.Unlock()
	a.subs.mu.RLock()
	proj := a.Project.Clone()
	a.subs.mu.RUnlock()
	pages, comps, owners, err = proj.LoadSubpackage(root)
	if err != nil {
		return nil, nil, nil, err
	}
	grown := &App{Project: proj, Images: a.Images, Pages: map[string]*Unit{}, Components: map[string]*Unit{}}
	for _, u := range append(append([]string(nil), pages...), comps...) {
		if err := logic.Precompile(proj.FS, []string{u}); err != nil {
			proj.LeaveOut(u)
			grown.Warnings = append(grown.Warnings, fmt.Sprintf("%v; %s is in a subpackage and is left out", err, u))
		}
	}
	id := appIDOf(proj)
	remote := func(u string) string { return render.RemoteImageURL(id, u) }
	var keptPages, keptComps []string
	for _, r := range pages {
		pg, ok := proj.Page(r)
		if !ok {
			continue
		}
		scope := fmt.Sprintf("page[data-route=%q]", r)
		u, err := grown.compile(r, pg.HasCSS, wxss.Options{Scope: scope, ClassScope: pageStyleScope, Image: a.image, Font: a.font, RemoteImage: remote})
		if err != nil {
			proj.LeaveOut(r)
			grown.Warnings = append(grown.Warnings, fmt.Sprintf("%v; %s is in a subpackage and is left out", err, r))
			continue
		}
		grown.Pages[r] = u
		keptPages = append(keptPages, r)
	}
	for _, c := range comps {
		comp, ok := proj.Components[c]
		if !ok {
			continue
		}
		u, err := grown.compile(c, comp.HasCSS, grown.componentStyleOptions(c, comp.StyleIsolation == "shared"))
		if err != nil {
			proj.LeaveOut(c)
			grown.Warnings = append(grown.Warnings, fmt.Sprintf("%v; %s is in a subpackage and is left out", err, c))
			continue
		}
		u.StyleScope = componentStyleScope(c)
		grown.Components[c] = u
		keptComps = append(keptComps, c)
	}
	a.subs.mu.Lock()
	defer a.subs.mu.Unlock()
	np, nc := make(map[string]*Unit, len(a.Pages)+len(keptPages)), make(map[string]*Unit, len(a.Components)+len(keptComps))
	for k, v := range a.Pages {
		np[k] = v
	}
	for k, v := range a.Components {
		nc[k] = v
	}
	for k, v := range grown.Pages {
		np[k] = v
	}
	for k, v := range grown.Components {
		nc[k] = v
	}
	a.Project, a.Pages, a.Components = proj, np, nc
	a.Warnings = append(a.Warnings, grown.Warnings...)
	return keptPages, keptComps, owners, nil
}

// subSession is a session's state of its subpackages.
type subSession struct {
	mu      sync.Mutex
	loading map[string]*subLoad // fetches under way, by root
	// independent is the root of the independent subpackage the app started in while
	// the main package is not loaded ("" otherwise).
	independent string
	preloaded   map[string]bool // pages whose preloadRule ran
}

// subLoad is one fetch: everyone who needs the subpackage waits for the same one.
type subLoad struct {
	done        chan struct{}
	err         error
	got, total  atomic.Int64
	subscribers []func(done, total int64)
}

// prepareSubpackages sets what logic needs of the subpackages before it starts: the
// packages for require's rules, and for a launch into an independent subpackage only
// that subpackage's files without app.js. A launch into a subpackage not fetched yet
// fetches it first.
func (s *Session) prepareSubpackages(lo *logic.Options) error {
	start := s.app.Project.EntryRoute()
	if s.opts.StartPage != "" {
		raw, _, _ := strings.Cut(s.opts.StartPage, "?")
		start = strings.TrimSuffix(strings.TrimPrefix(raw, "/"), ".html")
	}
	if root, ok := s.app.project().PendingRoot(start); ok && s.app.Fetcher != nil {
		ctx, cancel := context.WithTimeout(s.ctx, FetchTimeout)
		err := s.app.Fetcher.Fetch(ctx, root, nil)
		cancel()
		if err != nil {
			return fmt.Errorf("subpackage %q of the start page: %w", root, err)
		}
		if _, _, _, err := s.app.install(root); err != nil {
			return err
		}
		s.nav.setProject(s.app.project())
		lo.Pages, lo.Components, lo.ComponentPages = s.app.Project.Routes(), s.app.Project.ComponentPaths(), componentPages(s.app.Project)
	}
	proj := s.app.project()
	for _, sp := range proj.Packages {
		lo.Subpackages = append(lo.Subpackages, logic.Subpackage{Root: sp.Root, Independent: sp.Independent, Pending: proj.Pending[sp.Root]})
	}
	if root := proj.PackageOf(start); root != "" && proj.Independent(root) {
		s.sub.independent = root
		lo.SkipApp = true
		lo.Pages, lo.Components, lo.ComponentPages = nil, nil, nil
		for _, r := range proj.Routes() {
			if proj.PackageOf(r) == root {
				lo.Pages = append(lo.Pages, r)
			}
		}
		for _, c := range proj.ComponentPaths() {
			if proj.PackageOf(c) == root {
				lo.Components = append(lo.Components, c)
			}
		}
		for _, r := range componentPages(proj) {
			if proj.PackageOf(r) == root {
				lo.ComponentPages = append(lo.ComponentPages, r)
			}
		}
		lo.Launch.Path = start
	}
	return nil
}

// unitShown reports whether the page gets a unit in init: all but, while an
// independent subpackage runs alone, those outside it.
func (s *Session) unitShown(unit string) bool {
	s.sub.mu.Lock()
	ind := s.sub.independent
	s.sub.mu.Unlock()
	return ind == "" || strings.HasPrefix(unit, ind+"/")
}

// appCSS is app.wxss, which an independent subpackage running alone does without.
func (s *Session) appCSS() string {
	if !s.unitShown("") {
		return ""
	}
	return s.app.CSS
}

// unitLoader is a logic that takes files after its start (logic.Runtime; a child
// process does not).
type unitLoader interface {
	LoadUnits(app bool, components, pages, componentPages []string) error
}

// ensureRoute makes the page a navigation goes to present before the navigator
// decides: it fetches its subpackage, or loads the main package after an
// independent launch. A failure is the navigation's "fail".
func (s *Session) ensureRoute(action, url string) error {
	if action == "navigateBack" || url == "" || IsScriptURL(url) {
		return nil
	}
	cur := ""
	if top, ok := s.nav.Top(); ok {
		cur = path.Dir(top.Route)
	}
	raw, _, _ := strings.Cut(url, "?")
	route, ok := miniapp.BundlePath(cur, raw)
	if !ok {
		return nil
	}
	route = strings.TrimSuffix(route, ".html")
	proj := s.app.project()
	if root, ok := proj.PendingRoot(route); ok && s.app.Fetcher != nil {
		if err := s.loadSubpackage(s.ctx, root, true, nil); err != nil {
			return failf("subpackage %q could not be loaded: %v", root, err)
		}
	}
	if _, ok := s.app.project().Page(route); ok && s.app.project().PackageOf(route) != s.independentRoot() {
		if err := s.loadMain(); err != nil {
			return failf("the main package could not be loaded: %v", err)
		}
	}
	return nil
}

func (s *Session) independentRoot() string {
	s.sub.mu.Lock()
	defer s.sub.mu.Unlock()
	return s.sub.independent
}

// loadMain loads app.js, the main package and the other present subpackages after a
// launch into an independent subpackage; App then launches.
func (s *Session) loadMain() error {
	s.sub.mu.Lock()
	ind := s.sub.independent
	s.sub.mu.Unlock()
	if ind == "" {
		return nil
	}
	lu, ok := s.rt.(unitLoader)
	if !ok {
		return errors.New("the app's logic runs in a child process, which cannot take files after its start")
	}
	proj := s.app.project()
	var pages, comps, compPages []string
	for _, r := range proj.Routes() {
		if proj.PackageOf(r) != ind {
			pages = append(pages, r)
		}
	}
	for _, c := range proj.ComponentPaths() {
		if proj.PackageOf(c) != ind {
			comps = append(comps, c)
		}
	}
	for _, r := range componentPages(proj) {
		if proj.PackageOf(r) != ind {
			compPages = append(compPages, r)
		}
	}
	if err := lu.LoadUnits(true, comps, pages, compPages); err != nil {
		return err
	}
	s.sub.mu.Lock()
	s.sub.independent = ""
	s.sub.mu.Unlock()
	return s.sendUnits(pages, comps, true)
}

// loadSubpackage fetches and installs root once, however many ask at once; loading
// shows the page's loading state. progress, when set, hears the fetch's progress.
func (s *Session) loadSubpackage(ctx context.Context, root string, loading bool, progress func(done, total int64)) error {
	if s.app.Fetcher == nil {
		return nil
	}
	s.sub.mu.Lock()
	if !s.app.project().Pending[root] {
		s.sub.mu.Unlock()
		return nil
	}
	if s.sub.loading == nil {
		s.sub.loading = map[string]*subLoad{}
	}
	l, running := s.sub.loading[root]
	if !running {
		l = &subLoad{done: make(chan struct{})}
		s.sub.loading[root] = l
	}
	if progress != nil {
		l.subscribers = append(l.subscribers, progress)
	}
	s.sub.mu.Unlock()
	if loading {
		s.sendUI(bridge.UI{Op: "toast", Title: "Loading", Icon: "loading", Mask: true})
		defer s.sendUI(bridge.UI{Op: "hideToast"})
	}
	if !running {
		go s.runFetch(root, l)
	}
	select {
	case <-l.done:
		return l.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Session) runFetch(root string, l *subLoad) {
	ctx, cancel := context.WithTimeout(s.ctx, FetchTimeout)
	defer cancel()
	start := time.Now()
	err := s.app.Fetcher.Fetch(ctx, root, func(done, total int64) {
		l.got.Store(done)
		l.total.Store(total)
		s.sub.mu.Lock()
		subs := make([]func(done, total int64), len(l.subscribers))
		copy(subs, l.subscribers)
		s.sub.mu.Unlock()
		for _, fn := range subs {
			fn(done, total)
		}
	})
	if err == nil {
		err = s.installSubpackage(root)
	}
	if err != nil {
		s.log.Warn("subpackage not loaded", "root", root, "err", err)
	} else {
		s.log.Info("subpackage loaded", "root", root, "took", time.Since(start).Round(time.Millisecond))
	}
	s.sub.mu.Lock()
	l.err = err
	delete(s.sub.loading, root)
	s.sub.mu.Unlock()
	close(l.done)
}

// installSubpackage compiles a fetched subpackage, gives logic its files and the page
// its templates.
func (s *Session) installSubpackage(root string) error {
	lu, ok := s.rt.(unitLoader)
	if !ok {
		return errors.New("the app's logic runs in a child process, which cannot take files after its start")
	}
	pages, comps, owners, err := s.app.install(root)
	if err != nil {
		return err
	}
	proj := s.app.project()
	s.nav.setProject(proj)
	var compPages []string
	for _, r := range pages {
		if pg, ok := proj.Page(r); ok && len(pg.Using) > 0 {
			compPages = append(compPages, r)
		}
	}
	if s.independentRoot() != "" && root != s.independentRoot() {
		// The main package is not loaded: these wait for it (loadMain loads them).
		return nil
	}
	if err := lu.LoadUnits(false, comps, pages, compPages); err != nil {
		s.nav.leaveOut(pages)
		return err
	}
	return s.sendUnits(append(pages, owners...), comps, false)
}

// unitsPayload is ui op "units": what init would have said of these pages and
// components (and app.wxss when withCSS).
type unitsPayload struct {
	CSS        *string                  `json:"css,omitempty"`
	Pages      map[string]initPage      `json:"pages"`
	Components map[string]initComponent `json:"components"`
}

func (s *Session) sendUnits(pages, comps []string, withCSS bool) error {
	proj := s.app.project()
	defs := s.rt.Definitions()
	out := unitsPayload{Pages: map[string]initPage{}, Components: map[string]initComponent{}}
	if withCSS {
		css := s.app.CSS
		out.CSS = &css
	}
	release := s.app.rlock()
	defer release()
	for _, r := range pages { // an owner whose placeholder's component arrived may be a component
		if pg, ok := proj.Page(r); ok {
			if _, compiled := s.app.Pages[r]; compiled {
				out.Pages[r] = s.initPage(pg, defs)
			}
		} else if _, ok := proj.Components[r]; ok {
			comps = append(comps, r)
		}
	}
	for _, c := range comps {
		comp, ok := proj.Components[c]
		if _, compiled := s.app.Components[c]; !ok || !compiled {
			continue
		}
		ic, err := s.initComponent(c, comp, defs)
		if err != nil {
			return err
		}
		out.Components[c] = ic
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return err
	}
	s.sendUI(bridge.UI{Op: "units", Units: raw})
	return nil
}

// afterRoute runs the preloadRule of the page a navigation opened: its packages are
// fetched in the background when the network allows.
func (s *Session) afterRoute(nav *bridge.Nav) {
	if nav == nil || nav.Open == nil || s.app.Fetcher == nil {
		return
	}
	proj := s.app.project()
	rule, ok := proj.App.PreloadRule[nav.Open.Route]
	if !ok {
		rule, ok = proj.App.PreloadRule["/"+nav.Open.Route]
	}
	if !ok {
		return
	}
	s.sub.mu.Lock()
	if s.sub.preloaded[nav.Open.Route] {
		s.sub.mu.Unlock()
		return
	}
	if s.sub.preloaded == nil {
		s.sub.preloaded = map[string]bool{}
	}
	s.sub.preloaded[nav.Open.Route] = true
	s.sub.mu.Unlock()
	net := preloadNetwork()
	if !net.Connected || (rule.Network != "all" && net.Type != "wifi") {
		s.log.Info("preloadRule skipped: network", "page", nav.Open.Route, "network", net.Type, "wants", cmpOr(rule.Network, "wifi"))
		return
	}
	for _, name := range rule.Packages {
		sp, ok := proj.Subpackage(name)
		if !ok || !proj.Pending[sp.Root] {
			continue
		}
		go func(root string) {
			if err := s.loadSubpackage(s.ctx, root, false, nil); err != nil {
				s.log.Warn("preloadRule: subpackage not fetched", "root", root, "err", err)
			}
		}(sp.Root)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// setProject gives the navigator the project after a subpackage grew it.
func (n *navigator) setProject(p *miniapp.Project) {
	n.mu.Lock()
	n.proj = p
	n.mu.Unlock()
}

// LoadSubpackage implements subpackages.Host.
func (h apiHost) LoadSubpackage(ctx context.Context, name string) (int64, int64, error) {
	s := h.s
	proj := s.app.project()
	sp, ok := proj.Subpackage(name)
	if !ok {
		return 0, 0, fmt.Errorf("subpackage %q is not in app.json", name)
	}
	var done, total int64
	err := s.loadSubpackage(ctx, sp.Root, false, func(d, t int64) { done, total = d, t })
	if err == nil && s.independentRoot() != "" && sp.Root != s.independentRoot() {
		err = s.loadMain() // its code needs the main package
	}
	return done, total, err
}

// LoadDirFetching is LoadFetching of a directory whose subpackages f installs into it
// (a catalog install): process isolation reads the app from Dir.
func LoadDirFetching(dir string, f miniapp.SubpackageFetcher) (*App, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	a, err := LoadFetching(os.DirFS(abs), f)
	if err != nil {
		return nil, err
	}
	a.Dir = abs
	return a, nil
}
