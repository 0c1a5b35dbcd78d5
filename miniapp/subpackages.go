package miniapp

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// PreloadRule is one entry of app.json "preloadRule": after the page it is keyed by
// shows, the shell fetches Packages (names or roots; "__APP__" is the main package)
// in the background when the network allows ("wifi", the default, or "all").
type PreloadRule struct {
	Network  string   `json:"network,omitempty"`
	Packages []string `json:"packages"`
}

// MainPackage is how preloadRule names the main package (from an independent one).
const MainPackage = "__APP__"

// parsePackages checks app.json's subpackages and notes which are not present yet;
// it runs before any page loads, so that uses across packages are known.
func (p *Project) parsePackages(fetcher SubpackageFetcher, raw []byte) error {
	subs := append(append([]SubPackage(nil), p.App.SubPackages...), p.App.SubPackagesAlt...)
	field := "subpackages"
	if len(p.App.SubPackages) == 0 {
		field = "subPackages"
	}
	names := map[string]int{}
	for i, sp := range subs {
		f := fmt.Sprintf("%s[%d]", field, i)
		sp.Root = strings.Trim(sp.Root, "/")
		line := jsonLine(raw, `"`+strings.TrimSpace(subs[i].Root)+`"`)
		switch {
		case sp.Root == "":
			if err := p.fail(&Error{File: "app.json", Line: line, Col: 1, Field: f + ".root", Msg: "missing: a subpackage needs the folder it lives in"}); err != nil {
				return err
			}
			continue
		case !compRe.MatchString(sp.Root) || strings.Contains("/"+sp.Root+"/", "/../") || strings.Contains("/"+sp.Root+"/", "/./"):
			if err := p.fail(&Error{File: "app.json", Line: line, Col: 1, Field: f + ".root", Msg: fmt.Sprintf("%q is not a folder of the mini-app", subs[i].Root)}); err != nil {
				return err
			}
			continue
		}
		bad := ""
		for _, other := range p.Packages {
			if other.Root == sp.Root || strings.HasPrefix(sp.Root+"/", other.Root+"/") || strings.HasPrefix(other.Root+"/", sp.Root+"/") {
				bad = other.Root
			}
		}
		if bad != "" {
			if err := p.fail(&Error{File: "app.json", Line: line, Col: 1, Field: f + ".root", Msg: fmt.Sprintf("%q overlaps subpackage root %q: subpackage folders may not nest", sp.Root, bad)}); err != nil {
				return err
			}
			continue
		}
		if sp.Name != "" {
			if j, dup := names[sp.Name]; dup {
				if err := p.fail(&Error{File: "app.json", Line: jsonLine(raw, `"`+sp.Name+`"`), Col: 1, Field: f + ".name", Msg: fmt.Sprintf("%q is also the name of %s[%d]", sp.Name, field, j)}); err != nil {
					return err
				}
			}
			names[sp.Name] = i
		}
		p.Packages = append(p.Packages, sp)
	}
	// A main-package page under a subpackage's root belongs to no package: WeChat's
	// tools refuse it.
	for i, route := range p.App.Pages {
		route = strings.TrimPrefix(route, "/")
		if root := p.PackageOf(route); root != "" {
			err := &Error{File: "app.json", Line: jsonLine(raw, `"`+p.App.Pages[i]+`"`), Col: 1, Field: fmt.Sprintf("pages[%d]", i),
				Msg: fmt.Sprintf("%q is inside subpackage root %q: list it in that subpackage's pages, relative to its root", route, root)}
			if err := p.fail(err); err != nil {
				return err
			}
		}
	}
	for _, sp := range p.Packages {
		if fetcher != nil && !fetcher.Present(sp.Root) {
			if p.Pending == nil {
				p.Pending = map[string]bool{}
			}
			p.Pending[sp.Root] = true
		}
	}
	return nil
}

// loadSubpackages loads the pages of every subpackage that is present.
func (p *Project) loadSubpackages(raw []byte, seen map[string]bool) error {
	for i, sp := range p.Packages {
		if !p.Pending[sp.Root] {
			p.loadPackagePages(i, seen)
		}
	}
	return p.checkPreloadRule(raw)
}

// loadPackagePages loads the pages of p.Packages[i]; one that cannot load is a warning.
func (p *Project) loadPackagePages(i int, seen map[string]bool) {
	sp := p.Packages[i]
	using := p.appUsing
	if sp.Independent {
		using = nil // the main package's app-wide components are not there
	}
	for j, pg := range sp.Pages {
		field := fmt.Sprintf("subpackages[%d].pages[%d]", i, j)
		route := sp.Root + "/" + strings.TrimPrefix(pg, "/")
		if err := p.loadPage(route, field, true, using, seen); err != nil {
			p.Warnings = append(p.Warnings, err.Error()+"; the page is left out")
		}
	}
}

// checkPreloadRule: a network other than "all" or "wifi" is an error; a rule for a
// page the app does not have, or naming a package it does not have, is a warning and
// that part of the rule is ignored.
func (p *Project) checkPreloadRule(raw []byte) error {
	pages := make([]string, 0, len(p.App.PreloadRule))
	for pg := range p.App.PreloadRule {
		pages = append(pages, pg)
	}
	sort.Strings(pages)
	for _, pg := range pages {
		rule := p.App.PreloadRule[pg]
		field := "preloadRule." + pg
		line := jsonLine(raw, `"preloadRule"`)
		if l := jsonLine(raw[min(len(raw), lineStart(raw, line)):], `"`+pg+`"`); line > 0 && l > 0 {
			line += l - 1
		}
		if rule.Network != "" && rule.Network != "all" && rule.Network != "wifi" {
			if err := p.fail(&Error{File: "app.json", Line: line, Col: 1, Field: field + ".network", Msg: fmt.Sprintf("%q: network is \"all\" or \"wifi\"", rule.Network)}); err != nil {
				return err
			}
		}
		route := strings.TrimPrefix(pg, "/")
		if !p.knownRoute(route) {
			p.Warnings = append(p.Warnings, (&Error{File: "app.json", Line: line, Col: 1, Field: field, Msg: fmt.Sprintf("%q is not a page of the app: the rule is ignored", pg)}).Error())
		}
		for _, name := range rule.Packages {
			if name == MainPackage {
				continue
			}
			if _, ok := p.Subpackage(name); !ok {
				p.Warnings = append(p.Warnings, (&Error{File: "app.json", Line: line, Col: 1, Field: field + ".packages",
					Msg: fmt.Sprintf("%q names no subpackage (by name or root): it is not preloaded", name)}).Error())
			}
		}
	}
	return nil
}

// knownRoute reports whether route is a page of the main package or of a subpackage
// (present or not).
func (p *Project) knownRoute(route string) bool {
	for _, r := range p.App.Pages {
		if strings.TrimPrefix(r, "/") == route {
			return true
		}
	}
	for _, sp := range p.Packages {
		for _, pg := range sp.Pages {
			if sp.Root+"/"+strings.TrimPrefix(pg, "/") == route {
				return true
			}
		}
	}
	return false
}

// Subpackage finds a subpackage by name or root ("shop", "/shop/").
func (p *Project) Subpackage(nameOrRoot string) (SubPackage, bool) {
	root := strings.Trim(nameOrRoot, "/")
	for _, sp := range p.Packages {
		if sp.Name == nameOrRoot || sp.Root == root {
			return sp, true
		}
	}
	return SubPackage{}, false
}

// PackageOf is the root of the subpackage holding file or route, "" for the main
// package.
func (p *Project) PackageOf(file string) string {
	file = strings.TrimPrefix(file, "/")
	for _, sp := range p.Packages {
		if strings.HasPrefix(file, sp.Root+"/") {
			return sp.Root
		}
	}
	return ""
}

// Independent reports whether root is an independent subpackage.
func (p *Project) Independent(root string) bool {
	sp, ok := p.Subpackage(root)
	return ok && root != "" && sp.Independent
}

// PendingRoot is the root of the not-yet-fetched subpackage route is a page of.
func (p *Project) PendingRoot(route string) (string, bool) {
	route = strings.TrimPrefix(route, "/")
	root := p.PackageOf(route)
	if root == "" || !p.Pending[root] {
		return "", false
	}
	sp, _ := p.Subpackage(root)
	for _, pg := range sp.Pages {
		if root+"/"+strings.TrimPrefix(pg, "/") == route {
			return root, true
		}
	}
	return "", false
}

func (p *Project) pendingRoute(route string) bool {
	_, ok := p.PendingRoot(route)
	return ok
}

// deferUse records a usingComponents entry of file that points into a subpackage not
// fetched yet; it reports false for any other path.
func (p *Project) deferUse(file, tag, base string) bool {
	root := p.PackageOf(base)
	if root == "" || !p.Pending[root] {
		return false
	}
	if p.deferred == nil {
		p.deferred = map[string]map[string]string{}
	}
	if p.deferred[file] == nil {
		p.deferred[file] = map[string]string{}
	}
	p.deferred[file][tag] = base
	return true
}

// Deferred lists the usingComponents of an owner (a page route or component path)
// whose component is in a subpackage not fetched yet: tag → path. The tag shows its
// componentPlaceholder until then.
func (p *Project) Deferred(owner string) map[string]string {
	return p.deferred[owner+".json"]
}

// LoadSubpackage loads the pages and components of a subpackage whose files have
// just arrived (SubpackageFetcher.Fetch), and gives the owners that used its
// components through a placeholder their real component. It returns the new pages
// and components, and the owners whose usingComponents changed.
func (p *Project) LoadSubpackage(root string) (pages, comps, owners []string, err error) {
	root = strings.Trim(root, "/")
	i := -1
	for j, sp := range p.Packages {
		if sp.Root == root {
			i = j
		}
	}
	if i < 0 {
		return nil, nil, nil, fmt.Errorf("no subpackage %q", root)
	}
	if !p.Pending[root] {
		return nil, nil, nil, nil
	}
	delete(p.Pending, root)
	seen := map[string]bool{}
	for _, pg := range p.Pages {
		seen[pg.Route] = true
	}
	before := map[string]bool{}
	for c := range p.Components {
		before[c] = true
	}
	n := len(p.Pages)
	p.loadPackagePages(i, seen)
	for _, pg := range p.Pages[n:] {
		pages = append(pages, pg.Route)
	}
	// Uses that waited for this subpackage resolve now.
	files := make([]string, 0, len(p.deferred))
	for f := range p.deferred {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		owner := strings.TrimSuffix(f, ".json")
		for tag, base := range p.deferred[f] {
			if p.PackageOf(base) != root {
				continue
			}
			delete(p.deferred[f], tag)
			found := ""
			for _, c := range []string{base, base + "/index"} {
				if HasScript(p.FS, c) {
					found = c
					break
				}
			}
			if found == "" || p.loadComponent(found, true, nil) != nil {
				p.Warnings = append(p.Warnings, (&Error{File: f, Field: "usingComponents." + tag, Msg: fmt.Sprintf("component %q not found in subpackage %q: <%s> keeps its placeholder", base, root, tag)}).Error())
				continue
			}
			p.setUse(owner, tag, found)
			if !contains(owners, owner) {
				owners = append(owners, owner)
			}
		}
	}
	for _, c := range p.ComponentPaths() {
		if !before[c] {
			comps = append(comps, c)
		}
	}
	if err := p.checkPackages(nil); err != nil {
		return pages, comps, owners, err
	}
	return pages, comps, owners, nil
}

func (p *Project) setUse(owner, tag, comp string) {
	for i := range p.Pages {
		if p.Pages[i].Route == owner {
			p.Pages[i].Using[tag] = comp
			return
		}
	}
	if c, ok := p.Components[owner]; ok {
		if c.Using == nil {
			c.Using = map[string]string{}
		}
		c.Using[tag] = comp
		p.Components[owner] = c
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// placeholders reads a .json's componentPlaceholder.
func placeholders(doc map[string]any) map[string]string {
	m, ok := doc["componentPlaceholder"].(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok && s != "" {
			out[k] = s
		}
	}
	return out
}

// checkPackages enforces WeChat's rules across packages for components (require's
// are enforced as modules load, logic/subpackages.go): a subpackage may use the main
// package's components and its own; the main package and other subpackages may use a
// subpackage's only through a componentPlaceholder (the placeholder renders until the
// subpackage is loaded); an independent subpackage uses nothing outside itself.
func (p *Project) checkPackages(raw []byte) error {
	type owner struct {
		name  string
		using map[string]string
		ph    map[string]string
	}
	if tb := p.App.TabBar; tb != nil && raw != nil {
		for i, it := range tb.List {
			if root := p.PackageOf(it.PagePath); root != "" {
				err := &Error{File: "app.json", Line: jsonLine(raw, `"`+it.PagePath+`"`), Col: 1, Field: fmt.Sprintf("tabBar.list[%d].pagePath", i),
					Msg: fmt.Sprintf("%q is in subpackage %q: tab bar pages are in the main package", it.PagePath, root)}
				if err := p.fail(err); err != nil {
					return err
				}
			}
		}
	}
	var owners []owner
	for _, pg := range p.Pages {
		owners = append(owners, owner{pg.Route, pg.Using, pg.Placeholders})
	}
	for _, c := range p.ComponentPaths() {
		comp := p.Components[c]
		owners = append(owners, owner{c, comp.Using, comp.Placeholders})
	}
	for _, o := range owners {
		file := o.name + ".json"
		uses := map[string]string{}
		for t, c := range o.using {
			uses[t] = c
		}
		for t, c := range p.deferred[file] {
			uses[t] = c
		}
		tags := make([]string, 0, len(uses))
		for t := range uses {
			tags = append(tags, t)
		}
		sort.Strings(tags)
		from := p.PackageOf(o.name)
		for _, tag := range tags {
			to := p.PackageOf(uses[tag])
			if err := p.crossUse(from, to, o.ph[tag] != ""); err != "" {
				src, _ := fs.ReadFile(p.FS, file)
				e := &Error{File: file, Line: jsonLine(src, `"`+tag+`"`), Col: 1, Field: "usingComponents." + tag,
					Msg: fmt.Sprintf("component %q %s", uses[tag], err)}
				if err := p.fail(e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// crossUse says what is wrong with a unit of package from using one of package to
// ("" for the main package), or "" when it is allowed.
func (p *Project) crossUse(from, to string, placeholder bool) string {
	switch {
	case from == to:
		return ""
	case p.Independent(from):
		return fmt.Sprintf("is outside independent subpackage %q, which runs without the main package and other subpackages: move it into %q", from, from)
	case to == "":
		return "" // a subpackage may use the main package
	case placeholder:
		return "" // asynchronous: its placeholder shows until the subpackage is loaded
	case from == "":
		return fmt.Sprintf("is in subpackage %q: the main package may use it only asynchronously, with a componentPlaceholder entry for the tag", to)
	default:
		return fmt.Sprintf("is in subpackage %q, another subpackage than %q: use it asynchronously, with a componentPlaceholder entry for the tag", to, from)
	}
}

// ModuleRule says what is wrong with a module of package from requiring one of
// package to, or "" when it may: the same rule as components, with require.async as
// the asynchronous way.
func ModuleRule(from, to string, fromIndependent bool) string {
	switch {
	case from == to:
		return ""
	case fromIndependent:
		return fmt.Sprintf("is outside independent subpackage %q, which runs without the main package and other subpackages", from)
	case to == "":
		return ""
	case from == "":
		return fmt.Sprintf("is in subpackage %q: the main package may load it only with require.async", to)
	default:
		return fmt.Sprintf("is in subpackage %q, another subpackage than %q: load it with require.async", to, from)
	}
}

// lineStart is the offset of 1-based line n in raw (len(raw) past the end).
func lineStart(raw []byte, n int) int {
	off := 0
	for ; n > 1; n-- {
		i := bytes.IndexByte(raw[off:], '\n')
		if i < 0 {
			return len(raw)
		}
		off += i + 1
	}
	return off
}

// jsonLine is the 1-based line of the first occurrence of needle in raw, 0 when absent.
func jsonLine(raw []byte, needle string) int {
	i := bytes.Index(raw, []byte(needle))
	if i < 0 {
		return 0
	}
	return bytes.Count(raw[:i], []byte("\n")) + 1
}

// Clone copies the project deeply enough that LoadSubpackage on the copy leaves p as
// it was (its readers need no lock): pages, components, their usingComponents, and
// the pending and deferred sets.
func (p *Project) Clone() *Project {
	out := *p
	out.Pages = make([]Page, len(p.Pages))
	for i, pg := range p.Pages {
		pg.Using = cloneMap(pg.Using)
		out.Pages[i] = pg
	}
	out.Components = make(map[string]Component, len(p.Components))
	for k, c := range p.Components {
		c.Using = cloneMap(c.Using)
		out.Components[k] = c
	}
	out.Warnings = append([]string(nil), p.Warnings...)
	out.Packages = append([]SubPackage(nil), p.Packages...)
	out.Pending = make(map[string]bool, len(p.Pending))
	for k, v := range p.Pending {
		out.Pending[k] = v
	}
	out.deferred = make(map[string]map[string]string, len(p.deferred))
	for k, m := range p.deferred {
		out.deferred[k] = cloneMap(m)
	}
	return &out
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
