// Package miniapp reads the mini-app format: app.json, page and component .json files and
// which files each page and component needs. It checks the layout and names the file and
// field of anything wrong; it compiles nothing and runs nothing.
package miniapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Project is a loaded, checked mini-app.
type Project struct {
	FS         fs.FS
	App        AppConfig
	Pages      []Page               // in app.json order; Pages[0] is the entry page
	Components map[string]Component // by path, e.g. "components/todo-item/todo-item"
	// Warnings are what WeChat accepts and the shell degrades: a usingComponents entry
	// that names no component in the bundle (WeChat's extended libraries, plugins) is
	// left out, and its tag renders as a plain container that keeps its children.
	Warnings []string
	// Packages are app.json's subpackages (both spellings), roots without slashes;
	// Pending holds the roots whose files are not there yet (LoadOptions.Fetcher said
	// not present): their pages load when LoadSubpackage is called after the fetch.
	Packages []SubPackage
	Pending  map[string]bool
	// Errors are the problems Load went on past with LoadOptions.KeepGoing (the pages
	// and components they are in are left out); without it the first one is returned.
	Errors []error

	theme     theme // app.json's themeLocation, for "@name" values in page .json files
	keepGoing bool
	// deferred: uses of components in pending subpackages, by the .json file that
	// names them: tag → the component's path as far as it resolves (subpackages.go).
	deferred map[string]map[string]string
	appUsing map[string]string
}

// LoadOptions change how Load reads an app.
type LoadOptions struct {
	// KeepGoing collects the problems of pages, components and the tab bar into
	// Project.Errors instead of stopping at the first (shell doctor). Only what leaves
	// nothing to check (no app.json, app.json not JSON, no pages) still fails Load.
	KeepGoing bool
	// Fetcher, when set, says which subpackages are present: the pages of one that is
	// not are left for LoadSubpackage (docs/subpackages.md). Nil: every one is.
	Fetcher SubpackageFetcher
}

// fail records err when going on past problems, or returns it.
func (p *Project) fail(err error) error {
	if p.keepGoing {
		p.Errors = append(p.Errors, err)
		return nil
	}
	return err
}

// AppConfig is app.json: WeChat's keys plus Sandframe's own.
type AppConfig struct {
	Pages        []string                   `json:"pages"`
	EntryPage    string                     `json:"entryPagePath,omitempty"`
	Window       map[string]any             `json:"window,omitempty"`
	TabBar       *TabBar                    `json:"tabBar,omitempty"`
	Using        map[string]string          `json:"usingComponents,omitempty"`
	ID           string                     `json:"id,omitempty"`
	Name         string                     `json:"name,omitempty"`
	Version      string                     `json:"version,omitempty"`
	Capabilities map[string]CapabilityClaim `json:"capabilities,omitempty"`
	Network      *Network                   `json:"network,omitempty"`

	// WeChat's own declarations, which count as capability claims (perms.WeChatClaims).
	Permission           map[string]ScopeDesc `json:"permission,omitempty"`
	RequiredPrivateInfos []string             `json:"requiredPrivateInfos,omitempty"`

	// WeChat's subpackages (either spelling, Project.Packages merges them) and the
	// subpackages to fetch in the background after a page shows (subpackages.go).
	SubPackages    []SubPackage           `json:"subpackages,omitempty"`
	SubPackagesAlt []SubPackage           `json:"subPackages,omitempty"`
	PreloadRule    map[string]PreloadRule `json:"preloadRule,omitempty"`
}

// ScopeDesc is one entry of WeChat's "permission": {"scope.userLocation": {"desc": "..."}}.
type ScopeDesc struct {
	Desc string `json:"desc"`
}

// CapabilityClaim is one declared capability with the reason shown to the user.
type CapabilityClaim struct {
	Reason string `json:"reason"`
}

// Network lists the domains an app may reach.
type Network struct {
	Domains []string `json:"domains"`
}

// TabBar is app.json's tabBar.
type TabBar struct {
	Color           string       `json:"color,omitempty"`
	SelectedColor   string       `json:"selectedColor,omitempty"`
	BackgroundColor string       `json:"backgroundColor,omitempty"`
	BorderStyle     string       `json:"borderStyle,omitempty"`
	Position        string       `json:"position,omitempty"`
	List            []TabBarItem `json:"list"`
}

// TabBarItem is one tab.
type TabBarItem struct {
	PagePath         string `json:"pagePath"`
	Text             string `json:"text"`
	IconPath         string `json:"iconPath,omitempty"`
	SelectedIconPath string `json:"selectedIconPath,omitempty"`
}

// Page is one page of the app.
type Page struct {
	Route  string            // "pages/index/index"
	Window map[string]any    // the page's .json, less usingComponents
	Using  map[string]string // tag → component path, app-wide ones included
	HasCSS bool
	// Sub: the page is in a subpackage. WeChat downloads those on first use, so a
	// broken one never stops the app from starting: the shell leaves it out.
	Sub bool
	// Package is the root of the subpackage the page is in, "" for the main package.
	Package string
	// Placeholders is its componentPlaceholder: tag → the tag shown until the
	// component's subpackage is loaded.
	Placeholders map[string]string
}

// Component is one custom component.
type Component struct {
	Path   string
	Using  map[string]string
	HasCSS bool
	// Generics are its abstract nodes (componentGenerics): name → the default
	// component's path, "" when it has none. The caller picks the real component with
	// generic:NAME="tag" from its own usingComponents.
	Generics map[string]string
	// StyleIsolation is its .json's styleIsolation ("isolated", "apply-shared",
	// "shared"), "" when the .json does not set it.
	StyleIsolation string
	Sub            bool // used only by subpackage pages (see Page.Sub)
	// Package and Placeholders: as Page's.
	Package      string
	Placeholders map[string]string
}

// Files of a page or component, by extension.
func (p Page) File(ext string) string      { return p.Route + ext }
func (c Component) File(ext string) string { return c.Path + ext }

// IsTab reports whether route is a tab bar page.
func (p *Project) IsTab(route string) bool {
	if p.App.TabBar == nil {
		return false
	}
	for _, it := range p.App.TabBar.List {
		if it.PagePath == route {
			return true
		}
	}
	return false
}

// Page returns the page with this route.
func (p *Project) Page(route string) (Page, bool) {
	for _, pg := range p.Pages {
		if pg.Route == route {
			return pg, true
		}
	}
	return Page{}, false
}

// EntryRoute is the page opened at launch.
func (p *Project) EntryRoute() string {
	if p.App.EntryPage != "" {
		return p.App.EntryPage
	}
	return p.Pages[0].Route
}

// ComponentPaths lists every component path, sorted.
func (p *Project) ComponentPaths() []string {
	out := make([]string, 0, len(p.Components))
	for k := range p.Components {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Routes lists the page routes in app.json order.
func (p *Project) Routes() []string {
	out := make([]string, len(p.Pages))
	for i, pg := range p.Pages {
		out[i] = pg.Route
	}
	return out
}

// Error is a problem in the mini-app's files, naming the file and, where there is one,
// the field or line.
type Error struct {
	File  string
	Line  int    // 0 when unknown
	Col   int    // 0 when unknown
	Field string // e.g. "pages[2]", "" when none
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var (
	routeRe = regexp.MustCompile(`^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$`)
	// compRe is a component path: any folder name a file system and WeChat's tools
	// accept (npm scopes "@vant", dots "dist.v2"), but never "." or ".." segments.
	compRe = regexp.MustCompile(`^[A-Za-z0-9_\-@.+~]+(/[A-Za-z0-9_\-@.+~]+)*$`)
	// tagRe is a custom component's tag: WeChat's tools accept upper case too
	// ("SearchBar", "mp-actionSheet"), though its docs ask for lower case.
	tagRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$`)
)

// builtinTags may not be used as custom component names.
var builtinTags = map[string]bool{
	"view": true, "text": true, "button": true, "input": true, "textarea": true, "checkbox": true,
	"checkbox-group": true, "radio": true, "radio-group": true, "switch": true, "label": true,
	"image": true, "icon": true, "scroll-view": true, "navigator": true, "form": true, "block": true,
	"template": true, "slot": true, "import": true, "include": true, "page": true,
}

// Load reads and checks the mini-app in fsys.
func Load(fsys fs.FS) (*Project, error) { return LoadWith(fsys, LoadOptions{}) }

// LoadWith reads and checks the mini-app in fsys with options.
func LoadWith(fsys fs.FS, opts LoadOptions) (*Project, error) {
	raw, err := fs.ReadFile(fsys, "app.json")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{File: "app.json", Msg: "missing: a mini-app directory needs an app.json"}
		}
		return nil, &Error{File: "app.json", Msg: err.Error()}
	}
	var cfg AppConfig
	if err := decodeJSON("app.json", raw, &cfg); err != nil {
		return nil, err
	}
	th, themeWarn := loadTheme(fsys, raw)
	if th != nil {
		cfg = AppConfig{}
		if err := decodeJSON("app.json", th.apply(raw), &cfg); err != nil {
			return nil, err
		}
	}
	if strings.ContainsRune(cfg.ID, '@') {
		// '@' separates an app's id from its publisher key in its identity
		// (internal/identity): an id holding one could pass for another app's identity.
		return nil, &Error{File: "app.json", Field: "id", Msg: fmt.Sprintf("%q: an app id cannot contain '@'", cfg.ID)}
	}
	if len(cfg.Pages) == 0 {
		return nil, &Error{File: "app.json", Field: "pages", Msg: "must list at least one page"}
	}
	p := &Project{FS: fsys, App: cfg, Components: map[string]Component{}, theme: th, keepGoing: opts.KeepGoing}
	if !HasScript(fsys, "app") {
		if err := p.fail(&Error{File: "app.js", Msg: "missing: every mini-app has an app.js (or app.ts) that calls App()"}); err != nil {
			return nil, err
		}
	}
	if themeWarn != "" {
		p.Warnings = append(p.Warnings, themeWarn)
	}
	for _, k := range AppKeys(raw) {
		p.Warnings = append(p.Warnings, k.Error())
	}
	appUsing, err := p.resolveUsing("app.json", "", cfg.Using)
	if err != nil {
		if err := p.fail(err); err != nil {
			return nil, err
		}
	}
	if err := p.parsePackages(opts.Fetcher, raw); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, route := range cfg.Pages {
		field := fmt.Sprintf("pages[%d]", i)
		if err := p.loadPage(route, field, false, appUsing, seen); err != nil {
			if err := p.fail(err); err != nil {
				return nil, err
			}
		}
	}
	if len(p.Pages) == 0 {
		return nil, errors.Join(p.Errors...) // KeepGoing, and no page loads: nothing runs
	}
	// Subpackage pages load after the main package's; one that cannot load is a
	// warning and is left out, as the app's main package still runs without it. The
	// pages of a subpackage whose files are not there yet load after its fetch.
	p.appUsing = appUsing
	if err := p.loadSubpackages(raw, seen); err != nil {
		return nil, err
	}
	if cfg.EntryPage != "" && !seen[strings.TrimPrefix(cfg.EntryPage, "/")] && !p.pendingRoute(strings.TrimPrefix(cfg.EntryPage, "/")) {
		if err := p.fail(&Error{File: "app.json", Field: "entryPagePath", Msg: fmt.Sprintf("%q is not in pages", cfg.EntryPage)}); err != nil {
			return nil, err
		}
		cfg.EntryPage = ""
	}
	p.App.EntryPage = strings.TrimPrefix(cfg.EntryPage, "/")
	if err := p.checkTabBar(); err != nil {
		if err := p.fail(err); err != nil {
			return nil, err
		}
		p.App.TabBar = nil
	}
	if err := p.checkPackages(raw); err != nil {
		return nil, err
	}
	return p, nil
}

// loadPage checks one page and the components it uses, and adds it to p.Pages.
// A page whose own files are broken is not added; with KeepGoing, a broken component
// it uses is recorded and left out.
func (p *Project) loadPage(route, field string, sub bool, appUsing map[string]string, seen map[string]bool) error {
	fsys := p.FS
	orig := route
	route = strings.TrimPrefix(route, "/")
	if !routeRe.MatchString(route) {
		return &Error{File: "app.json", Field: field, Msg: fmt.Sprintf("%q is not a page path like \"pages/index/index\"", orig)}
	}
	if seen[route] {
		return &Error{File: "app.json", Field: field, Msg: fmt.Sprintf("%q is listed twice", route)}
	}
	if !HasScript(fsys, route) {
		return &Error{File: "app.json", Field: field, Msg: fmt.Sprintf("page %q has no %s (or .ts)", route, route+".js")}
	}
	if !FileExists(fsys, route+".wxml") {
		return &Error{File: "app.json", Field: field, Msg: fmt.Sprintf("page %q has no %s", route, route+".wxml")}
	}
	pg := Page{Route: route, Using: map[string]string{}, HasCSS: FileExists(fsys, route+".wxss"), Sub: sub, Package: p.PackageOf(route)}
	for k, v := range appUsing {
		pg.Using[k] = v
	}
	win, using, err := readComponentJSON(fsys, route+".json", p.theme)
	if err != nil {
		return err
	}
	pg.Window = win
	pg.Placeholders = placeholders(win)
	own, err := p.resolveUsing(route+".json", path.Dir(route), using)
	if err != nil {
		return err
	}
	for k, v := range own {
		pg.Using[k] = v
	}
	before := make(map[string]bool, len(p.Components))
	for c := range p.Components {
		before[c] = true
	}
	for tag, c := range pg.Using {
		if err := p.loadComponent(c, sub, nil); err != nil {
			if err := p.fail(err); err != nil {
				// The page is left out: so are the components only it brought in.
				for c := range p.Components {
					if !before[c] {
						delete(p.Components, c)
					}
				}
				return err
			}
			delete(pg.Using, tag)
		}
	}
	seen[route] = true
	p.Pages = append(p.Pages, pg)
	return nil
}

func (p *Project) loadComponent(cpath string, sub bool, chain []string) error {
	if _, ok := p.Components[cpath]; ok {
		return nil
	}
	if !HasScript(p.FS, cpath) {
		return &Error{File: cpath + ".json", Msg: fmt.Sprintf("component %q has no %s (or .ts)", cpath, cpath+".js")}
	}
	if !FileExists(p.FS, cpath+".wxml") {
		return &Error{File: cpath + ".json", Msg: fmt.Sprintf("component %q has no %s", cpath, cpath+".wxml")}
	}
	doc, using, err := readComponentJSON(p.FS, cpath+".json", nil)
	if err != nil {
		return err
	}
	resolved, err := p.resolveUsing(cpath+".json", path.Dir(cpath), using)
	if err != nil {
		return err
	}
	generics, err := p.resolveGenerics(cpath, doc["componentGenerics"])
	if err != nil {
		return err
	}
	iso, _ := doc["styleIsolation"].(string)
	p.Components[cpath] = Component{Path: cpath, Using: resolved, HasCSS: FileExists(p.FS, cpath+".wxss"), Generics: generics, StyleIsolation: iso, Sub: sub,
		Package: p.PackageOf(cpath), Placeholders: placeholders(doc)}
	for _, c := range resolved {
		if err := p.loadComponent(c, sub, append(chain, cpath)); err != nil {
			return err
		}
	}
	for _, c := range generics {
		if c == "" {
			continue
		}
		if err := p.loadComponent(c, sub, append(chain, cpath)); err != nil {
			return err
		}
	}
	return nil
}

// resolveGenerics reads componentGenerics: {"name": true} or {"name": {"default":
// "path"}}; defaults resolve like usingComponents (a default that resolves to nothing
// is a warning, and the node renders as a plain container).
func (p *Project) resolveGenerics(cpath string, raw any) (map[string]string, error) {
	if raw == nil {
		return nil, nil
	}
	file := cpath + ".json"
	decl, ok := raw.(map[string]any)
	if !ok {
		return nil, &Error{File: file, Field: "componentGenerics", Msg: "must map generic names to true or {\"default\": path}"}
	}
	out := map[string]string{}
	defaults := map[string]string{}
	for name, v := range decl {
		if !tagRe.MatchString(name) || builtinTags[strings.ToLower(name)] {
			return nil, &Error{File: file, Field: "componentGenerics." + name, Msg: fmt.Sprintf("%q cannot name a custom component (letters, digits, dashes, underscores; not a built-in tag)", name)}
		}
		out[name] = ""
		if m, ok := v.(map[string]any); ok {
			if d, ok := m["default"].(string); ok && d != "" {
				defaults[name] = d
			}
		}
	}
	before := len(p.Warnings)
	resolved, err := p.resolveUsing(file, path.Dir(cpath), defaults)
	if err != nil {
		return nil, err
	}
	for i := before; i < len(p.Warnings); i++ { // name the field the default came from
		p.Warnings[i] = strings.Replace(p.Warnings[i], "usingComponents.", "componentGenerics.", 1)
	}
	for name, c := range resolved {
		out[name] = c
	}
	return out, nil
}

func (p *Project) checkTabBar() error {
	tb := p.App.TabBar
	if tb == nil {
		return nil
	}
	if n := len(tb.List); n < 2 || n > 5 {
		return &Error{File: "app.json", Field: "tabBar.list", Msg: fmt.Sprintf("has %d items; a tab bar has 2 to 5", n)}
	}
	for i, it := range tb.List {
		field := fmt.Sprintf("tabBar.list[%d]", i)
		it.PagePath = strings.TrimPrefix(it.PagePath, "/")
		tb.List[i].PagePath = it.PagePath
		if _, ok := p.Page(it.PagePath); !ok {
			return &Error{File: "app.json", Field: field + ".pagePath", Msg: fmt.Sprintf("%q is not in pages", it.PagePath)}
		}
		for name, icon := range map[string]string{"iconPath": it.IconPath, "selectedIconPath": it.SelectedIconPath} {
			if icon == "" {
				continue
			}
			clean, ok := BundlePath("", icon)
			if !ok || !FileExists(p.FS, clean) {
				return &Error{File: "app.json", Field: field + "." + name, Msg: fmt.Sprintf("%q is not a file in the mini-app", icon)}
			}
		}
	}
	return nil
}

// readComponentJSON reads a page's or component's optional .json, returning its keys
// other than usingComponents (a page's window settings) and its usingComponents.
func readComponentJSON(fsys fs.FS, file string, th theme) (map[string]any, map[string]string, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err == nil {
		raw = th.apply(raw)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]any{}, nil, nil
	}
	if err != nil {
		return nil, nil, &Error{File: file, Msg: err.Error()}
	}
	var doc map[string]json.RawMessage
	if err := decodeJSON(file, raw, &doc); err != nil {
		return nil, nil, err
	}
	var using map[string]string
	if u, ok := doc["usingComponents"]; ok {
		if err := json.Unmarshal(u, &using); err != nil {
			return nil, nil, &Error{File: file, Field: "usingComponents", Msg: "must map tag names to component paths"}
		}
		delete(doc, "usingComponents")
	}
	win := map[string]any{}
	for k, v := range doc {
		var x any
		_ = json.Unmarshal(v, &x)
		win[k] = x
	}
	return win, using, nil
}

// resolveUsing turns usingComponents values into bundle paths, the way WeChat resolves
// them from the .json file in dir: "/x" from the app root, "./x" and "../x" from dir,
// and a bare "x" (an npm package "mp-html", or "@vant/weapp/dist/tag/index") from the
// nearest miniprogram_npm/ first, then from dir. A path may name the component's files
// without extension, or a folder holding index.*. Nothing outside the bundle resolves.
// What resolves to nothing is a warning (Project.Warnings), never an error.
func (p *Project) resolveUsing(file, dir string, using map[string]string) (map[string]string, error) {
	fsys := p.FS
	out := map[string]string{}
	tags := make([]string, 0, len(using))
	for tag := range using {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	for _, tag := range tags {
		ref := using[tag]
		field := "usingComponents." + tag
		if !tagRe.MatchString(tag) || builtinTags[strings.ToLower(tag)] {
			return nil, &Error{File: file, Field: field, Msg: fmt.Sprintf("%q cannot name a custom component (letters, digits, dashes, underscores; not a built-in tag)", tag)}
		}
		missing := func(why string) {
			p.Warnings = append(p.Warnings, (&Error{File: file, Field: field,
				Msg: why + ": <" + tag + "> renders as a plain container"}).Error())
		}
		if strings.Contains(ref, "://") {
			missing(fmt.Sprintf("%q is a plugin component, not supported on this platform", ref))
			continue
		}
		var bases []string
		if strings.HasPrefix(ref, "/") || ref == "." || ref == ".." || strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "../") {
			clean, ok := BundlePath(dir, ref)
			if !ok {
				missing(fmt.Sprintf("%q points outside the mini-app", ref))
				continue
			}
			bases = []string{clean}
		} else {
			for d := dir; ; d = path.Dir(d) {
				if clean, ok := BundlePath(d, "miniprogram_npm/"+ref); ok {
					bases = append(bases, clean)
				}
				if d == "." || d == "" {
					break
				}
			}
			if clean, ok := BundlePath(dir, ref); ok {
				bases = append(bases, clean)
			}
		}
		found := ""
		for _, b := range bases {
			if !compRe.MatchString(b) {
				continue
			}
			for _, c := range []string{b, b + "/index"} {
				if HasScript(fsys, c) {
					found = c
					break
				}
			}
			if found != "" {
				break
			}
		}
		if found == "" && len(bases) > 0 && p.deferUse(file, tag, bases[0]) {
			continue // in a subpackage not fetched yet (subpackages.go)
		}
		if found == "" {
			if len(bases) == 0 {
				missing(fmt.Sprintf("%q points outside the mini-app", ref))
			} else {
				missing(fmt.Sprintf("component %q not found (no %s.js)", ref, bases[0]))
			}
			continue
		}
		out[tag] = found
	}
	return out, nil
}

// HasScript reports whether base.js or base.ts exists: a page's, component's or the
// app's script.
func HasScript(fsys fs.FS, base string) bool {
	return FileExists(fsys, base+".js") || FileExists(fsys, base+".ts")
}

// BundlePath resolves ref (bundle-absolute "/a/b" or relative to dir) to a clean path
// inside the bundle; ok is false when it would escape.
func BundlePath(dir, ref string) (string, bool) {
	if ref == "" || strings.Contains(ref, "\\") || strings.Contains(ref, "\x00") {
		return "", false
	}
	var joined string
	if strings.HasPrefix(ref, "/") {
		joined = ref[1:]
	} else {
		joined = path.Join(dir, ref)
	}
	// path.Join cleans; anything still climbing out starts with "..".
	clean := path.Clean(joined)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, "/") {
		return "", false
	}
	return clean, true
}

// FileExists reports whether name is a regular file in fsys.
func FileExists(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// decodeJSON decodes raw into v, turning syntax and type errors into *Error with the
// line and column.
func decodeJSON(file string, raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(raw, se.Offset)
		return &Error{File: file, Line: line, Col: col, Msg: "invalid JSON: " + se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := lineCol(raw, te.Offset)
		return &Error{File: file, Line: line, Col: col, Field: te.Field, Msg: fmt.Sprintf("expected %s, found a JSON %s", te.Type, te.Value)}
	}
	return &Error{File: file, Msg: err.Error()}
}

// lineCol turns the offset encoding/json reports (bytes read before the error) into
// the 1-based line and column of the last byte read, the one at fault.
func lineCol(raw []byte, off int64) (int, int) {
	if off > 0 {
		off--
	}
	if off > int64(len(raw)) {
		off = int64(len(raw))
	}
	line, col := 1, 1
	for _, b := range raw[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
