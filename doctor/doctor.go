// Package doctor reports what in one mini-app the shell does not support, or supports
// only partly: every load and compile problem, lint finding, built-in component, wx/sf
// API and app.json key, each with its file, line and column. It never stops at the
// first problem. It reads and compiles; it runs nothing. Decisions are in docs/doctor.md.
package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/render/wxml"
	"github.com/sandframe/sandframe/render/wxss"
)

// Level is what an item means for the app.
type Level string

// Levels, most serious first.
const (
	// Blocking: the shell refuses to launch the app until it is fixed.
	Blocking Level = "blocking"
	// Unsupported: the app uses it and the shell does not have it; the app runs
	// without it (a call fails, a key is ignored).
	Unsupported Level = "unsupported"
	// Partly: supported with a difference the user may see (a component drawn as a
	// plain container, a warning at load).
	Partly Level = "partly"
)

var levelRank = map[Level]int{Blocking: 0, Unsupported: 1, Partly: 2}

// Kinds of item: where the check that found it looks.
const (
	KindLoad      = "load"      // app.json, pages and components as files (miniapp)
	KindAppJSON   = "app.json"  // a top-level app.json key
	KindCompile   = "compile"   // JavaScript/TypeScript, WXML or WXSS compilation
	KindTemplate  = "template"  // a WXML construct the compiler warns about
	KindStyle     = "style"     // a WXSS construct the compiler warns about
	KindComponent = "component" // a built-in component tag the runtime does not implement
	KindAPI       = "api"       // a wx/sf API the shell does not implement
	KindLint      = "lint"      // a static-analysis finding (appstore/lint)
)

// Item is one thing found at one place. Line and Col are 1-based, 0 when the item is
// about a whole file.
type Item struct {
	Level   Level  `json:"level"`
	Kind    string `json:"kind"`
	Name    string `json:"name,omitempty"` // the tag, API, key or lint rule, when there is one
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

// Counts are the number of items at each level.
type Counts struct {
	Blocking    int `json:"blocking"`
	Unsupported int `json:"unsupported"`
	Partly      int `json:"partly"`
}

// Report is everything found in one app.
type Report struct {
	Runs   bool   `json:"runs"` // no blocking item: the shell would launch it
	Items  []Item `json:"items"`
	Counts Counts `json:"counts"`
}

// Options tune the checks.
type Options struct {
	// Block are the lint severities that stop a launch (config lint.block); nil: error.
	Block []lint.Severity
}

// Check examines the mini-app in fsys. The error is only for an fsys that cannot be
// read at all, or holds no app.json (not a mini-app); everything else is an item.
func Check(fsys fs.FS, opts Options) (*Report, error) {
	raw, err := fs.ReadFile(fsys, "app.json")
	if err != nil {
		return nil, fmt.Errorf("doctor: not a mini-app: %w", err)
	}
	if opts.Block == nil {
		opts.Block = []lint.Severity{lint.SeverityError}
	}
	c := &checker{fsys: fsys, seen: map[string]bool{}}
	c.appJSON(raw)
	if proj, err := miniapp.LoadWith(fsys, miniapp.LoadOptions{KeepGoing: true}); err != nil {
		c.err(Blocking, KindLoad, err)
	} else {
		c.project(proj)
	}
	if err := c.lint(opts.Block); err != nil {
		return nil, err
	}
	return c.report(), nil
}

type checker struct {
	fsys  fs.FS
	items []Item
	seen  map[string]bool // level, file, line, col, message: each item once
	keys  map[string]bool // app.json key warnings, reported as KindAppJSON
}

func (c *checker) add(it Item) {
	if it.Line == 0 && strings.HasSuffix(it.File, ".json") {
		c.locateJSON(&it)
	}
	k := fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s", it.Level, it.File, it.Line, it.Col, it.Message)
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	c.items = append(c.items, it)
}

var (
	quotedRe = regexp.MustCompile(`"((?:[^"\\]|\\.)+)"`)
	fieldRe  = regexp.MustCompile(`^([A-Za-z][\w.\[\]-]*): `)
)

// locateJSON gives an item about a .json file without a place the place of what it
// names: the first quoted value in its message ("pages/x/x"), else the last key of the
// field it starts with (usingComponents.my-tag).
func (c *checker) locateJSON(it *Item) {
	raw, err := fs.ReadFile(c.fsys, it.File)
	if err != nil {
		return
	}
	var hints []string
	if m := quotedRe.FindStringSubmatch(it.Message); m != nil {
		// A subpackage page is written relative to its root: "pkg/a/a" is "a/a" there.
		for q := m[1]; q != ""; {
			hints = append(hints, q)
			_, q, _ = strings.Cut(q, "/")
		}
	}
	if m := fieldRe.FindStringSubmatch(it.Message); m != nil {
		f := m[1]
		if i := strings.IndexByte(f, '['); i >= 0 {
			f = f[:i]
		}
		hints = append(hints, f[strings.LastIndexByte(f, '.')+1:])
	}
	for _, h := range hints {
		if i := strings.Index(string(raw), `"`+h+`"`); i >= 0 {
			before := string(raw[:i])
			it.Line = 1 + strings.Count(before, "\n")
			it.Col = 1 + len([]rune(before[strings.LastIndexByte(before, '\n')+1:]))
			return
		}
	}
}

// diagRe is how every compiler here formats a problem: "file:line:col: msg" or "file: msg".
var diagRe = regexp.MustCompile(`^([^\s:]+\.[A-Za-z]+)(?::(\d+):(\d+))?: (.*)$`)

// located splits a "file:line:col: msg" text into an item.
func located(level Level, kind, text string) Item {
	it := Item{Level: level, Kind: kind, Message: text}
	text = strings.TrimPrefix(text, "logic: ")
	text = strings.TrimPrefix(text, "wxml: ")
	if m := diagRe.FindStringSubmatch(text); m != nil {
		it.File, it.Message = m[1], m[4]
		it.Line, _ = strconv.Atoi(m[2])
		it.Col, _ = strconv.Atoi(m[3])
	}
	return it
}

func (c *checker) err(level Level, kind string, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			c.err(level, kind, e)
		}
		return
	}
	var me *miniapp.Error
	if errors.As(err, &me) {
		msg := me.Msg
		if me.Field != "" {
			msg = me.Field + ": " + msg
		}
		c.add(Item{Level: level, Kind: kind, File: me.File, Line: me.Line, Col: me.Col, Message: msg})
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		c.add(located(level, kind, line))
	}
}

// appJSON reports the top-level keys the shell follows partly, ignores or does not know.
func (c *checker) appJSON(raw []byte) {
	c.keys = map[string]bool{}
	for _, k := range miniapp.AppKeys(raw) {
		c.keys[k.Error()] = true
		level := Partly
		if k.Support != miniapp.Partly {
			level = Unsupported
		}
		c.add(Item{Level: level, Kind: KindAppJSON, Name: k.Key, File: "app.json", Line: k.Line, Col: k.Col, Message: k.Msg})
	}
}

// project reports what loading found, then compiles every script, template and style.
func (c *checker) project(p *miniapp.Project) {
	for _, e := range p.Errors {
		c.err(Blocking, KindLoad, e)
	}
	for _, w := range p.Warnings {
		if !c.keys[w] {
			c.add(located(Partly, KindLoad, w))
		}
	}
	claims, claimWarns := p.App.Claims()
	if err := perms.CheckClaims(claims); err != nil {
		c.add(Item{Level: Blocking, Kind: KindLoad, File: "app.json", Message: err.Error()})
	}
	for _, w := range claimWarns {
		c.add(Item{Level: Partly, Kind: KindLoad, File: "app.json", Message: w})
	}
	if n := p.App.Network; n != nil {
		if err := netapi.ValidateDomains(n.Domains); err != nil {
			c.add(Item{Level: Blocking, Kind: KindLoad, File: "app.json", Message: "network.domains: " + err.Error()})
		}
	}
	c.requires(p) // across packages (subpackages.go)
	// Each entry compiles alone, so that one broken file does not hide the next. A
	// subpackage's page or component that does not compile is left out at launch
	// (host.Load), so its errors are not blocking there.
	units := []unit{{base: "app"}}
	for _, pg := range p.Pages {
		units = append(units, unit{pg.Route, pg.Sub, pg.Using, pg.HasCSS, "page"})
	}
	for _, path := range p.ComponentPaths() {
		comp := p.Components[path]
		units = append(units, unit{path, comp.Sub, comp.Using, comp.HasCSS, "[data-sf-comp]"})
	}
	for _, u := range units {
		if !miniapp.HasScript(c.fsys, u.base) {
			continue
		}
		if err := logic.Precompile(c.fsys, []string{u.base}); err != nil {
			c.unitErr(u, err)
		} else if u.scope == "[data-sf-comp]" {
			c.componentCallsPage(u.base)
		}
	}
	if miniapp.FileExists(c.fsys, "app.wxss") {
		c.style(unit{base: "app"}, "app.wxss", wxss.Options{})
	}
	for _, u := range units[1:] {
		if !miniapp.FileExists(c.fsys, u.base+".wxml") {
			continue
		}
		c.template(u)
		if u.hasCSS {
			c.style(u, u.base+".wxss", wxss.Options{Scope: u.scope, Host: u.scope != "page"})
		}
	}
}

var (
	pageCallRe = regexp.MustCompile(`(^|[^\w$.])Page\s*\(`)
	compCallRe = regexp.MustCompile(`Component\s*\(`)
)

// componentCallsPage reports a component script that calls Page() and nothing that
// could be Component() (a kit's own wrapper such as VantComponent() counts): the logic
// runtime leaves it out at launch, its tag a plain container.
func (c *checker) componentCallsPage(base string) {
	file := base + ".js"
	raw, err := fs.ReadFile(c.fsys, file)
	if err != nil {
		file = base + ".ts"
		if raw, err = fs.ReadFile(c.fsys, file); err != nil {
			return
		}
	}
	loc := pageCallRe.FindIndex(raw)
	if loc == nil || compCallRe.Match(raw) {
		return
	}
	off := loc[1] - 1
	for off > 0 && raw[off] != 'P' {
		off--
	}
	line := 1 + strings.Count(string(raw[:off]), "\n")
	col := 1 + len([]rune(string(raw[strings.LastIndex(string(raw[:off]), "\n")+1:off])))
	c.add(Item{Level: Partly, Kind: KindLoad, Name: "Page()", File: file, Line: line, Col: col,
		Message: "a component file calls Page(): the component is left out at launch, its tag a plain container that keeps its children"})
}

// unit is a page or component (or the app) as the checks compile it.
type unit struct {
	base   string // path without extension
	sub    bool   // in a subpackage: left out at launch when it does not compile
	using  map[string]string
	hasCSS bool
	scope  string
}

// unitErr reports a compile error of u: blocking, or for a subpackage's unit what
// the launch does with it.
func (c *checker) unitErr(u unit, err error) {
	if !u.sub {
		c.err(Blocking, KindCompile, err)
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		it := located(Partly, KindCompile, line)
		it.Message += "; " + u.base + " is in a subpackage and is left out"
		c.add(it)
	}
}

func (c *checker) style(u unit, file string, opts wxss.Options) {
	opts.Image = func(p string) (string, bool) {
		return "data:,", miniapp.FileExists(c.fsys, strings.TrimPrefix(p, "/"))
	}
	opts.RemoteImage = func(u string) string { return u }
	_, warns, err := wxss.Compile(c.fsys, file, opts)
	if err != nil {
		c.unitErr(u, err)
	}
	for _, d := range warns {
		c.add(Item{Level: Partly, Kind: KindStyle, File: d.File, Line: d.Line, Col: d.Col, Message: d.Msg})
	}
}

func (c *checker) template(u unit) {
	using := u.using
	tmpl, warns, err := wxml.Compile(c.fsys, u.base+".wxml")
	if err != nil {
		c.unitErr(u, err)
	}
	for _, d := range warns {
		c.add(located(Partly, KindTemplate, d.Error()))
	}
	if tmpl == nil {
		return
	}
	var walk func(nodes []*wxml.Node, file string)
	walk = func(nodes []*wxml.Node, file string) {
		for _, n := range nodes {
			f := file
			if n.F != "" {
				f = n.F
			}
			if n.T == wxml.NodeEl {
				c.tag(n.Tag, using, f, n.Ln, n.Col)
			}
			walk(n.Children, f)
			for _, b := range n.Branches {
				walk(b.Children, f)
			}
		}
	}
	walk(tmpl.Root, tmpl.File)
	keys := make([]string, 0, len(tmpl.Defs))
	for k := range tmpl.Defs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		def, _, _ := strings.Cut(k, "#")
		walk(tmpl.Defs[k], def)
	}
}

// tag reports a tag that is neither a custom component of its template nor a built-in
// the runtime implements: it renders as a plain container that keeps its children.
func (c *checker) tag(tag string, using map[string]string, file string, line, col int) {
	if _, ok := using[tag]; ok || supportedTags()[tag] {
		return
	}
	msg := "built-in component not implemented by the shell: renders as a plain container that keeps its children"
	if !wechatTags[tag] {
		msg = "not a built-in component, nor one usingComponents names here: renders as a plain container that keeps its children"
	}
	c.add(Item{Level: Partly, Kind: KindComponent, Name: "<" + tag + ">", File: file, Line: line, Col: col, Message: msg})
}

// lint runs the static analysis with the wx/sf API reads it sees.
func (c *checker) lint(block []lint.Severity) error {
	findings, err := lint.Run(c.fsys, lint.Config{APIUses: true})
	if err != nil {
		return fmt.Errorf("doctor: %w", err)
	}
	blocking := map[lint.Severity]bool{}
	for _, s := range block {
		blocking[s] = true
	}
	own := c.ownMembers()
	for _, f := range findings {
		if f.Rule == lint.RuleAPIUse {
			ns, name, _ := strings.Cut(f.Message, ".")
			if !implementedAPIs()[name] && !own[name] {
				c.add(Item{Level: Unsupported, Kind: KindAPI, Name: ns + "." + name, File: f.File, Line: f.Line, Col: f.Col,
					Message: "not implemented by the shell: a call fails with errMsg \"" + name + ":fail not supported on this platform\" (the Sync form throws)"})
			}
			continue
		}
		if f.Rule == "app/manifest" && c.appJSONBroken() {
			continue // the load already says what is wrong with app.json
		}
		level := Partly
		switch {
		case blocking[f.Severity]:
			level = Blocking
		case f.Severity == lint.SeverityInfo:
			continue
		}
		c.add(Item{Level: level, Kind: KindLint, Name: f.Rule, File: f.File, Line: f.Line, Col: f.Col, Message: f.Message})
	}
	return nil
}

// assignRe finds members an app adds to its own wx/sf (wx.lin = ..., a library's
// namespace): reading them later is not a call to a missing API.
var assignRe = regexp.MustCompile(`\b(?:wx|sf)\.([A-Za-z_$][\w$]*)\s*=[^=]`)

func (c *checker) ownMembers() map[string]bool {
	own := map[string]bool{}
	_ = fs.WalkDir(c.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".ts")) {
			return nil
		}
		if raw, err := fs.ReadFile(c.fsys, p); err == nil && len(raw) <= lint.MaxFileBytes {
			for _, m := range assignRe.FindAllSubmatch(raw, -1) {
				own[string(m[1])] = true
			}
		}
		return nil
	})
	return own
}

func (c *checker) appJSONBroken() bool {
	for _, it := range c.items {
		if it.Level == Blocking && it.Kind == KindLoad && it.File == "app.json" {
			return true
		}
	}
	return false
}

func (c *checker) report() *Report {
	sort.SliceStable(c.items, func(i, j int) bool {
		a, b := c.items[i], c.items[j]
		if a.Level != b.Level {
			return levelRank[a.Level] < levelRank[b.Level]
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Message < b.Message
	})
	r := &Report{Items: c.items}
	if r.Items == nil {
		r.Items = []Item{}
	}
	for _, it := range r.Items {
		switch it.Level {
		case Blocking:
			r.Counts.Blocking++
		case Unsupported:
			r.Counts.Unsupported++
		case Partly:
			r.Counts.Partly++
		}
	}
	r.Runs = r.Counts.Blocking == 0
	return r
}
