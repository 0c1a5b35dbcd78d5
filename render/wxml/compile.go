package wxml

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/sandframe/sandframe/internal/textenc"
)

const (
	maxFileSize = 4 << 20 // bytes per .wxml file
	// maxNodes bounds the nodes of one template with its includes expanded: a file
	// included twice in a file included twice... would otherwise grow exponentially.
	maxNodes = 100_000
)

// Compile compiles the WXML file at the slash path file inside fsys, with everything it
// imports and includes, into a Template. Warnings never stop compilation; the first
// error does, and is a Diagnostic naming file:line:col (except when file itself cannot
// be read, which is the fs error, wrapped).
func Compile(fsys fs.FS, file string) (*Template, []Diagnostic, error) {
	if !fs.ValidPath(file) || strings.Contains(file, `\`) {
		return nil, nil, fmt.Errorf("wxml: invalid template path %q", file)
	}
	data, err := readFile(fsys, file)
	if err != nil {
		return nil, nil, fmt.Errorf("wxml: %w", err)
	}
	c := &compiler{
		fsys:   fsys,
		units:  map[string]*unit{},
		models: map[string]bool{},
		tpl: &Template{
			File:   file,
			Defs:   map[string][]*Node{},
			Scopes: map[string]map[string]string{},
		},
	}
	var root *unit
	err = func() (err error) {
		defer recoverBailout(&err)
		root = c.compileUnit(file, data)
		return nil
	}()
	if err != nil {
		return nil, c.warnings, err
	}
	c.tpl.Root = root.nodes
	c.tpl.Handlers = collectHandlers(c.tpl)
	c.tpl.DynamicHandlers = c.dynamic
	for k := range c.models {
		c.tpl.Models = append(c.tpl.Models, k)
	}
	sort.Strings(c.tpl.Models)
	return c.tpl, c.warnings, nil
}

func readFile(fsys fs.FS, file string) (string, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "", fmt.Errorf("%s is a directory", file)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxFileSize {
		return "", fmt.Errorf("%s is larger than %d bytes", file, maxFileSize)
	}
	return string(data), nil
}

type compiler struct {
	fsys     fs.FS
	tpl      *Template
	units    map[string]*unit // files compiled so far, by path
	chain    []string         // files being compiled, outermost first, to detect cycles
	size     int              // nodes so far, includes expanded
	warnings []Diagnostic
	dynamic  bool            // some handler is named by an expression
	models   map[string]bool // data keys written by model: bindings
}

// unit is one compiled file.
type unit struct {
	nodes []*Node           // its content without template definitions: what <include> inlines
	size  int               // nodes in nodes, includes expanded
	depth int               // element nesting of nodes
	own   map[string]string // templates it defines: name → def key
}

// refSite is the <import> or <include> tag that asks for a file.
type refSite struct {
	s    *source
	off  int
	verb string
}

// load returns the compiled unit for file, compiling it on first use (fresh).
func (c *compiler) load(file string, ref refSite) (u *unit, fresh bool) {
	if u, ok := c.units[file]; ok {
		return u, false
	}
	for i, f := range c.chain {
		if f == file {
			cycle := append(append([]string{}, c.chain[i:]...), file)
			ref.s.fail(ref.off, "%s cycle: %s", ref.verb, strings.Join(cycle, " → "))
		}
	}
	data, err := readFile(c.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		ref.s.fail(ref.off, "cannot %s %s: file does not exist", ref.verb, file)
	} else if err != nil {
		ref.s.fail(ref.off, "cannot %s %s: %v", ref.verb, file, err)
	}
	return c.compileUnit(file, data), true
}

func (c *compiler) compileUnit(file, text string) *unit {
	c.chain = append(c.chain, file)
	start := c.size
	dec, enc, decoded := textenc.ToUTF8([]byte(text))
	if decoded {
		text = string(dec)
	}
	s := newSource(file, text)
	fc := &fileCompiler{compiler: c, s: s, u: &unit{own: map[string]string{}}, imported: map[string]string{}}
	s.warnf = fc.warn
	if decoded && enc != textenc.UTF8 {
		// Older projects save WXML in GBK, which WeChat's tools read.
		fc.warn(0, "not UTF-8: read as %s; save the file as UTF-8", enc)
	}
	raws := parseMarkup(s)
	s.wxs = map[string]string{}
	fc.wxsTags(raws, s.wxs)
	fc.u.nodes = fc.children(raws, 0)
	fc.u.size = c.size - start

	// A file sees the templates of the files it imports directly, and its own, which
	// win over imported ones of the same name.
	scope := make(map[string]string, len(fc.imported)+len(fc.u.own))
	for name, key := range fc.imported {
		scope[name] = key
	}
	for name, key := range fc.u.own {
		scope[name] = key
	}
	c.tpl.Scopes[file] = scope
	for _, chk := range fc.checks {
		if _, ok := scope[chk.name]; !ok {
			fc.warn(chk.off, "template %q is neither defined in %s nor imported by it", chk.name, file)
		}
	}
	c.chain = c.chain[:len(c.chain)-1]
	c.units[file] = fc.u
	return fc.u
}

// fileCompiler compiles the raw nodes of one file.
type fileCompiler struct {
	*compiler
	s        *source
	u        *unit
	imported map[string]string // templates visible through <import>: name → def key
	checks   []tplCheck        // static <template is> names to look up once the scope is known
}

type tplCheck struct {
	off  int
	name string
}

func (fc *fileCompiler) warn(off int, format string, args ...any) {
	fc.warnings = append(fc.warnings, fc.s.diag(off, format, args...))
}

func (fc *fileCompiler) grow(off, n int) {
	fc.size += n
	if fc.size > maxNodes {
		fc.s.fail(off, "template too large: more than %d nodes with includes expanded", maxNodes)
	}
}

// node makes a node of type t at byte offset off.
func (fc *fileCompiler) node(t string, off int) *Node {
	fc.grow(off, 1)
	ln, col := fc.s.position(off)
	n := &Node{T: t, Ln: ln, Col: col}
	if fc.s.name != fc.tpl.File {
		n.F = fc.s.name
	}
	return n
}

type chainRole int

const (
	roleNone chainRole = iota
	roleIf
	roleElif
	roleElse
)

// children compiles sibling raw nodes at element depth depth, joining wx:if / wx:elif /
// wx:else siblings into if nodes.
func (fc *fileCompiler) children(raws []*rawNode, depth int) []*Node {
	out := []*Node{}
	var chain *Node     // the if node a following wx:elif / wx:else joins
	var afterForIf bool // the previous element had wx:for and wx:if together
	for _, r := range raws {
		if r.text {
			n := fc.node(NodeText, r.off)
			v := value(fc.s, r.off, r.end)
			n.V = &v
			out = append(out, n)
			chain, afterForIf = nil, false
			continue
		}
		switch r.tag {
		case "wxs": // compiled by wxsTags; renders nothing
			continue
		case "import":
			fc.importTag(r)
			continue
		case "include":
			out = append(out, fc.include(r, depth)...)
			chain, afterForIf = nil, false
			continue
		case "template":
			if _, ok := r.attr("name"); ok {
				fc.define(r)
				continue
			}
		}
		content, d := fc.element(r, depth+1)
		switch d.role {
		case roleElif, roleElse:
			if chain == nil {
				name := map[chainRole]string{roleElif: "wx:elif", roleElse: "wx:else"}[d.role]
				if afterForIf {
					fc.s.fail(d.roleOff, "%s follows an element with both wx:for and wx:if, where wx:if tests each item; put the loop inside a <block wx:if> to branch", name)
				}
				fc.s.fail(d.roleOff, "%s without a preceding wx:if", name)
			}
			chain.Branches = append(chain.Branches, Branch{Cond: d.cond, Children: content})
			if d.role == roleElse {
				chain = nil
			}
		case roleIf:
			n := fc.node(NodeIf, r.off)
			n.Branches = []Branch{{Cond: d.cond, Children: content}}
			out = append(out, n)
			chain = n
		default:
			out = append(out, content...)
			chain = nil
		}
		afterForIf = d.forIf
	}
	return out
}

// element compiles one element (or <block>, <template is>, <slot>) with its wx:for,
// returning the nodes and the element's place in an if chain.
func (fc *fileCompiler) element(r *rawNode, depth int) ([]*Node, directives) {
	fc.u.depth = max(fc.u.depth, depth)
	d := fc.directives(r)
	var inner []*Node
	switch r.tag {
	case "block":
		fc.ignoreAttrs(r, "<block>", true)
		kids := fc.children(r.children, depth)
		if d.list == nil && d.role == roleNone {
			frag := fc.node(NodeFrag, r.off)
			frag.Children = kids
			kids = []*Node{frag}
		}
		inner = kids
	case "template":
		inner = []*Node{fc.templateCall(r)}
	case "slot":
		inner = []*Node{fc.slot(r)}
	default:
		inner = []*Node{fc.el(r, depth)}
	}
	if d.list == nil {
		return inner, d
	}
	// wx:for applies before wx:if on the same element, as in WeChat.
	loop := fc.node(NodeFor, r.off)
	loop.List, loop.Item, loop.Index, loop.Key = d.list, d.item, d.index, d.key
	if d.role == roleIf {
		cond := fc.node(NodeIf, r.off)
		cond.Branches = []Branch{{Cond: d.cond, Children: inner}}
		inner = []*Node{cond}
		d.role, d.forIf = roleNone, true
	}
	loop.Children = inner
	return []*Node{loop}, d
}

// el compiles a plain element: attributes, dataset, marks, events, slot, children.
func (fc *fileCompiler) el(r *rawNode, depth int) *Node {
	n := fc.node(NodeEl, r.off)
	n.Tag = r.tag
	for _, a := range fc.uniqueAttrs(r) {
		if strings.HasPrefix(a.name, "wx:") {
			continue
		}
		if ev, ok := eventAttr(a.name); ok {
			if ev.Handler, ev.HV = fc.handler(a); ev.Handler != "" || ev.HV != nil {
				n.Events = append(n.Events, ev)
			}
			continue
		}
		if prop, ok := strings.CutPrefix(a.name, "change:"); ok && prop != "" {
			// A WXS property observer (change:prop="{{wxs.fn}}"), part of WeChat's WXS
			// response to events: not supported yet.
			fc.warn(a.off, "%s: a WXS property observer is not supported yet; it is ignored", a.name)
			continue
		}
		if name, ok := strings.CutPrefix(a.name, "model:"); ok && name != "" {
			v := attrValue(fc.s, a)
			if key := fc.modelKey(a, v); key != "" {
				if n.Model == nil {
					n.Model = map[string]string{}
				}
				n.Model[name] = key
			}
			setValue(&n.Attrs, name, v)
			continue
		}
		v := attrValue(fc.s, a)
		switch {
		case a.name == "slot":
			n.Slot = &v
		case strings.HasPrefix(a.name, "data-") && len(a.name) > len("data-"):
			setValue(&n.Data, datasetKey(a.name[len("data-"):]), v)
		case strings.HasPrefix(a.name, "mark:") && len(a.name) > len("mark:"):
			setValue(&n.Marks, a.name[len("mark:"):], v)
		default:
			setValue(&n.Attrs, a.name, v)
		}
	}
	n.Children = fc.children(r.children, depth)
	return n
}

func setValue(m *map[string]Value, k string, v Value) {
	if *m == nil {
		*m = map[string]Value{}
	}
	(*m)[k] = v
}

// uniqueAttrs returns r's attributes with only the last of each name, warning about
// the others.
func (fc *fileCompiler) uniqueAttrs(r *rawNode) []rawAttr {
	last := make(map[string]int, len(r.attrs))
	for i, a := range r.attrs {
		last[a.name] = i
	}
	if len(last) == len(r.attrs) {
		return r.attrs
	}
	out := make([]rawAttr, 0, len(last))
	for i, a := range r.attrs {
		if last[a.name] != i {
			if !strings.HasPrefix(a.name, "wx:") { // directives() warned already
				fc.warn(a.off, "duplicate attribute %s: the last one is used", a.name)
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// ignoreAttrs warns about the attributes of r other than keep (and other than wx:
// directives when the tag takes them).
func (fc *fileCompiler) ignoreAttrs(r *rawNode, what string, takesDirectives bool, keep ...string) {
	for _, a := range r.attrs {
		if (takesDirectives && strings.HasPrefix(a.name, "wx:")) || contains(keep, a.name) {
			continue
		}
		fc.warn(a.off, "attribute %s on %s is ignored", a.name, what)
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

// modelKey reads the data key of a two-way binding model:ATTR="{{key}}". WeChat allows
// one plain field only; anything else (text around it, a.b, an expression) binds one
// way, with a warning.
func (fc *fileCompiler) modelKey(a rawAttr, v Value) string {
	if v.X != nil && v.X.K == ExprID && isIdent(v.X.N) {
		fc.models[v.X.N] = true
		return v.X.N
	}
	fc.warn(a.off, "%s binds two ways only to one plain data field, e.g. %s=\"{{value}}\"; this one binds one way", a.name, a.name)
	return ""
}

// eventPrefixes are the event binding forms, colon forms before the bare ones.
var eventPrefixes = []struct {
	prefix              string
	catch, capture, mut bool
}{
	{"capture-catch:", true, true, false},
	{"capture-bind:", false, true, false},
	{"mut-bind:", false, false, true},
	{"catch:", true, false, false},
	{"bind:", false, false, false},
	{"capture-catch", true, true, false},
	{"capture-bind", false, true, false},
	{"mut-bind", false, false, true},
	{"catch", true, false, false},
	{"bind", false, false, false},
}

// eventAttr recognizes an event binding attribute (bindtap, catch:toggle, ...).
func eventAttr(name string) (Event, bool) {
	for _, p := range eventPrefixes {
		if typ, ok := strings.CutPrefix(name, p.prefix); ok && validEventType(typ) {
			return Event{Type: typ, Catch: p.catch, Capture: p.capture, Mut: p.mut}, true
		}
	}
	return Event{}, false
}

func validEventType(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// wxsHandlerRef matches a handler value that is a member of a WXS module itself
// ("{{wxs.onMove}}", "{{ m['fn'] }}"), not a call that computes a name.
var wxsHandlerRef = regexp.MustCompile(`^\s*\{\{\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:\.\s*[A-Za-z_$][A-Za-z0-9_$]*|\[\s*(?:'[^']*'|"[^"]*")\s*\])\s*\}\}\s*$`)

// handler reads an event attribute's handler: a static method name, or a value with
// {{…}} whose text names the method when the element is rendered (bindtap="{{name}}",
// bind:tap="on{{Kind}}"); an empty name there means no handler.
func (fc *fileCompiler) handler(a rawAttr) (string, *Value) {
	if !a.hasValue {
		fc.s.fail(a.off, "%s needs a handler method name", a.name)
	}
	v := value(fc.s, a.vstart, a.vend)
	if !v.Static() {
		if m := wxsHandlerRef.FindStringSubmatch(fc.s.text[a.vstart:a.vend]); m != nil && fc.s.wxs[m[1]] != "" {
			// WeChat's "WXS response to events": not supported yet (docs/logic.md).
			fc.warn(a.off, "%s=%q: a WXS function as an event handler (WXS response to events) is not supported yet; the binding is inert", a.name, fc.s.text[a.vstart:a.vend])
			return "", nil
		}
		fc.dynamic = true
		return "", &v
	}
	h := strings.TrimSpace(v.Str)
	if h == "" {
		fc.warn(a.off, "%s has an empty handler and is ignored", a.name)
		return "", nil
	}
	if !isIdent(h) {
		fc.s.fail(a.vstart, "event handler %q of %s is not a method name", h, a.name)
	}
	return h, nil
}

// datasetKey turns the part after "data-" into a dataset key as WeChat does: lower
// case, and "-x" becomes "X" (data-user-id → userId, data-userId → userid).
func datasetKey(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '-' && i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z' {
			b.WriteByte(s[i+1] - 'a' + 'A')
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// templateCall compiles <template is="name" data="{{...}}">.
func (fc *fileCompiler) templateCall(r *rawNode) *Node {
	n := fc.node(NodeTpl, r.off)
	n.Scope = fc.s.name
	is, ok := r.attr("is")
	if !ok {
		fc.s.fail(r.off, "<template> needs is=\"NAME\" to use a template, or name=\"NAME\" to define one")
	}
	v := attrValue(fc.s, is)
	if v.Flag || (v.Static() && strings.TrimSpace(v.Str) == "") {
		fc.s.fail(is.off, "<template is> needs a template name")
	}
	if v.Static() {
		v.Str = strings.TrimSpace(v.Str)
		fc.checks = append(fc.checks, tplCheck{off: is.vstart, name: v.Str})
	}
	n.Is = &v
	if a, ok := r.attr("data"); ok {
		n.Args = fc.templateData(a)
	}
	fc.ignoreAttrs(r, "<template is>", true, "is", "data")
	if len(r.children) > 0 {
		fc.warn(r.children[0].off, "content inside <template is> is ignored")
	}
	return n
}

// templateData parses data="{{a, b: 1, ...c}}": object properties without braces.
func (fc *fileCompiler) templateData(a rawAttr) *Expr {
	if !a.hasValue {
		fc.s.fail(a.off, "template data needs a value, e.g. data=\"{{...item}}\"")
	}
	text := fc.s.text
	start, end := a.vstart, a.vend
	for start < end && strings.IndexByte(" \t\r\n", text[start]) >= 0 {
		start++
	}
	for end > start && strings.IndexByte(" \t\r\n", text[end-1]) >= 0 {
		end--
	}
	if !strings.HasPrefix(text[start:end], "{{") || mustacheEnd(text, start+2, end) != end-2 {
		fc.s.fail(a.vstart, "template data must be one {{…}} of object properties, e.g. data=\"{{...item, index}}\"")
	}
	return parseObjectBody(fc.s, start+2, end-2)
}

// define compiles <template name="x"> into Defs; it renders nothing where it stands.
func (fc *fileCompiler) define(r *rawNode) {
	a, _ := r.attr("name")
	v := attrValue(fc.s, a)
	name := strings.TrimSpace(v.Str)
	if !v.Static() || name == "" {
		fc.s.fail(a.off, "template name must be a static, non-empty name")
	}
	if is, ok := r.attr("is"); ok {
		fc.s.fail(is.off, "<template> cannot have both name and is")
	}
	fc.ignoreAttrs(r, "<template name>", false, "name")
	if _, dup := fc.u.own[name]; dup {
		fc.warn(r.off, "template %q is defined twice in %s: the last definition is used", name, fc.s.name)
	}
	key := fc.s.name + "#" + name
	fc.tpl.Defs[key] = fc.children(r.children, 0)
	fc.u.own[name] = key
}

// slot compiles <slot> and <slot name="x"> in a component's template.
func (fc *fileCompiler) slot(r *rawNode) *Node {
	n := fc.node(NodeSlot, r.off)
	if a, ok := r.attr("name"); ok {
		v := attrValue(fc.s, a)
		switch {
		case v.Flag:
			fc.s.fail(a.off, "slot name needs a value")
		case !v.Static(): // <slot name="{{item}}">: WeChat accepts it; the name is rendered
			n.NameV = &v
		default:
			n.Name = strings.TrimSpace(v.Str)
		}
	}
	fc.ignoreAttrs(r, "<slot>", true, "name")
	if len(r.children) > 0 {
		fc.warn(r.children[0].off, "content inside <slot> is ignored: slots have no fallback content")
	}
	return n
}

// importTag makes the templates defined in another file visible in this one.
func (fc *fileCompiler) importTag(r *rawNode) {
	file := fc.srcAttr(r, "import")
	u, _ := fc.load(file, refSite{s: fc.s, off: r.off, verb: "import"})
	if len(u.own) == 0 {
		fc.warn(r.off, "<import> of %s: it defines no templates", file)
	}
	for name, key := range u.own {
		fc.imported[name] = key
	}
}

// include inlines another file's content, without its template definitions.
func (fc *fileCompiler) include(r *rawNode, depth int) []*Node {
	file := fc.srcAttr(r, "include")
	u, fresh := fc.load(file, refSite{s: fc.s, off: r.off, verb: "include"})
	if !fresh {
		fc.grow(r.off, u.size)
	}
	if depth+u.depth > maxDepth {
		fc.s.fail(r.off, "<include> of %s nests elements deeper than %d levels", file, maxDepth)
	}
	fc.u.depth = max(fc.u.depth, depth+u.depth)
	return u.nodes
}

// srcAttr resolves the src of an <import> or <include> to a path in the bundle.
func (fc *fileCompiler) srcAttr(r *rawNode, verb string) string {
	a, ok := r.attr("src")
	if !ok || !a.hasValue {
		fc.s.fail(r.off, "<%s> needs src=\"path\"", verb)
	}
	v := attrValue(fc.s, a)
	if !v.Static() {
		fc.s.fail(a.vstart, "<%s src> must be a static path, not {{…}}", verb)
	}
	file, err := resolveSrc(fc.s.name, v.Str)
	if err != nil {
		fc.s.fail(a.vstart, "<%s src>: %v", verb, err)
	}
	fc.ignoreAttrs(r, "<"+verb+">", false, "src")
	if len(r.children) > 0 {
		fc.warn(r.children[0].off, "content inside <%s> is ignored", verb)
	}
	return file
}

// resolveSrc resolves src as written in file: relative to file's folder, or to the
// bundle root when it starts with "/"; ".wxml" is added when missing.
func resolveSrc(from, src string) (string, error) {
	return resolveInBundle(from, src, func(p string) (string, error) {
		if !strings.HasSuffix(p, ".wxml") {
			p += ".wxml"
		}
		return p, nil
	})
}

// resolveInBundle resolves a path written in file from: relative to its folder, or to
// the bundle root with a leading "/"; never outside the bundle. ext fixes or checks the
// file's extension before the path is validated.
func resolveInBundle(from, src string, ext func(string) (string, error)) (string, error) {
	src = strings.TrimSpace(src)
	if src == "" {
		return "", errors.New("empty path")
	}
	if strings.Contains(src, `\`) {
		return "", fmt.Errorf("path %q must use / as separator", src)
	}
	var p string
	if strings.HasPrefix(src, "/") {
		p = path.Clean(strings.TrimLeft(src, "/"))
	} else {
		p = path.Join(path.Dir(from), src)
	}
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("path %q leaves the mini-app bundle", src)
	}
	p, err := ext(p)
	if err != nil {
		return "", err
	}
	if !fs.ValidPath(p) {
		return "", fmt.Errorf("invalid path %q", src)
	}
	return p, nil
}

// collectHandlers lists every handler bound in t, sorted and unique.
func collectHandlers(t *Template) []string {
	set := map[string]bool{}
	seen := map[*Node]bool{} // included nodes are shared; visit each once
	var walk func([]*Node)
	walk = func(ns []*Node) {
		for _, n := range ns {
			if seen[n] {
				continue
			}
			seen[n] = true
			for _, e := range n.Events {
				if e.HV == nil {
					set[e.Handler] = true
				}
			}
			walk(n.Children)
			for _, b := range n.Branches {
				walk(b.Children)
			}
		}
	}
	walk(t.Root)
	for _, body := range t.Defs {
		walk(body)
	}
	out := make([]string, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}
