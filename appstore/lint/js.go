package lint

import (
	"errors"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
	"github.com/go-sourcemap/sourcemap"

	// The registry of host APIs, complete: api() asks perms for an API's capability,
	// which perms reads from the declarations.
	"github.com/sandframe/sandframe/internal/hostapi"
	_ "github.com/sandframe/sandframe/internal/hostapi/all"
	"github.com/sandframe/sandframe/internal/jsc"
	"github.com/sandframe/sandframe/internal/jsguard"
	"github.com/sandframe/sandframe/perms"
)

// The logic runtime wraps every module in this function (logic/modules.go), so a
// top-level return is legal there; the checks parse the file the same way.
const (
	jsPrefix = "(function (exports, require, module, __filename, __dirname) {"
	jsSuffix = "\n})"
)

// jsCheck is the state of checking one JavaScript file.
type jsCheck struct {
	*fileCheck
	w walker

	reported   map[string]bool // once-per-file findings already made (rule + key)
	hexNames   map[string]bool // distinct _0x… identifiers
	hexFirst   int             // offset of the first one
	tables     []stringTable
	frames     []*fnFrame // open functions, innermost last
	decoders   []*fnFrame // closed functions that decode strings
	iifeArgs   map[ast.Node][]string
	frameNames map[ast.Node]string // function literal → the name it is known by
}

// stringTable is a large array of string literals.
type stringTable struct {
	off     int
	holders []string // names the table is reached by: its variable, its enclosing function
	size    int
}

// fnFrame records, for one function, the names it reads and whether it decodes strings.
type fnFrame struct {
	refs    map[string]bool
	decoder bool
}

// off converts a goja index (1-based, in the wrapped source) to a byte offset in the file.
func (j *jsCheck) off(idx file.Idx) int {
	return min(max(int(idx)-1-len(jsPrefix), 0), len(j.src))
}

func (j *jsCheck) node(n ast.Node, rule, format string, args ...any) {
	j.at(j.off(n.Idx0()), rule, format, args...)
}

func (j *jsCheck) once(key string) bool {
	if j.reported[key] {
		return false
	}
	j.reported[key] = true
	return true
}

func (c *fileCheck) checkJS() {
	if off, why := jsguard.Check(c.src); off >= 0 {
		c.at(off, "js/too-complex", "%s: the JavaScript parser cannot read this safely, so nothing in the file was checked; split the code or move data to JSON", why)
		return
	}
	if jsc.IsTypeScript(c.name) {
		c.checkCompiled("", nil)
		return
	}
	wrapped := jsPrefix + c.src + jsSuffix
	prog, err := parser.ParseFile(nil, c.name, wrapped, 0, parser.WithDisableSourceMaps)
	if err != nil {
		// ES module syntax, TypeScript-free newer syntax: checked as the logic runtime
		// will run it, compiled by jsc.
		c.checkCompiled(wrapped, err)
		return
	}
	c.walkJS(prog)
}

func (c *fileCheck) walkJS(prog *ast.Program) {
	j := &jsCheck{fileCheck: c, reported: map[string]bool{}, hexNames: map[string]bool{},
		iifeArgs: map[ast.Node][]string{}, frameNames: map[ast.Node]string{}}
	j.w.pre = j.pre
	j.w.post = j.post
	j.w.walk(prog)
	j.finish()
}

// checkCompiled checks what jsc compiles the file to (what the logic runtime runs),
// reporting findings at their place in the original file through the source map.
// gojaErr is the parse error of the file as a script, if it was tried.
func (c *fileCheck) checkCompiled(wrapped string, gojaErr error) {
	out, err := jsc.Transform(c.name, []byte(c.src))
	if err != nil {
		var je *jsc.Error
		if !errors.As(err, &je) || je.Line == 0 {
			c.at(0, "js/syntax", "%v", err)
			return
		}
		if gojaErr != nil && !jsErrorAfter(je, wrapped, gojaErr) {
			c.jsSyntax(wrapped, gojaErr)
			return
		}
		c.out = append(c.out, Finding{Rule: "js/syntax", Severity: ruleSeverity("js/syntax"), File: c.name, Line: je.Line, Col: je.Col, Message: "SyntaxError: " + je.Msg})
		return
	}
	gen := &fileCheck{runner: c.runner, name: c.name, src: out.Code}
	genWrapped := jsPrefix + gen.src + jsSuffix
	prog, err := parser.ParseFile(nil, c.name, genWrapped, 0, parser.WithDisableSourceMaps)
	if err != nil {
		c.at(0, "js/syntax", "SyntaxError in the compiled form of this file: %v", err)
		return
	}
	gen.walkJS(prog)
	sm, err := sourcemap.Parse("", out.Map)
	for _, f := range gen.out {
		if f.Line > 0 && err == nil {
			if _, _, line, col, ok := sm.Source(f.Line, f.Col-1); ok {
				f.Line, f.Col = line, col+1
			}
		}
		c.out = append(c.out, f)
	}
}

// jsErrorAfter reports whether jsc's error lies after goja's: the parser that got
// further into the file says best what is wrong.
func jsErrorAfter(je *jsc.Error, wrapped string, gojaErr error) bool {
	var list parser.ErrorList
	if !errors.As(gojaErr, &list) || len(list) == 0 {
		return true
	}
	off := newLines(wrapped).offset(list[0].Position.Line, list[0].Position.Column) - len(jsPrefix)
	line, col := newLines(wrapped[len(jsPrefix):]).pos(off)
	return je.Line > line || (je.Line == line && je.Col > col)
}

// jsSyntax reports the parser's first error: later ones are usually its echoes.
func (c *fileCheck) jsSyntax(wrapped string, err error) {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		off := newLines(wrapped).offset(e.Position.Line, e.Position.Column) - len(jsPrefix)
		c.at(off, "js/syntax", "SyntaxError: %s", e.Message)
		return
	}
	c.at(0, "js/syntax", "SyntaxError: %v", err)
}

func (j *jsCheck) pre(n ast.Node) {
	switch n := n.(type) {
	case *ast.Identifier:
		j.identifier(n)
	case *ast.DotExpression:
		j.member(n, n.Left, string(n.Identifier.Name), n.Identifier.Idx, false)
	case *ast.BracketExpression:
		name, ok := staticString(n.Member)
		j.member(n, n.Left, name, n.Member.Idx0(), !ok)
	case *ast.CallExpression:
		j.call(n, n.Callee, n.ArgumentList, false)
	case *ast.NewExpression:
		j.call(n, n.Callee, n.ArgumentList, true)
	case *ast.AssignExpression:
		if at := prototypeTarget(n.Left); at != nil {
			j.node(at, "js/prototype-write", "%s: changes a prototype every other script shares; keep helpers in your own objects or modules", describeTarget(n.Left))
		}
	case *ast.UnaryExpression:
		if n.Operator == token.DELETE || n.Operator == token.INCREMENT || n.Operator == token.DECREMENT {
			if at := prototypeTarget(n.Operand); at != nil {
				j.node(at, "js/prototype-write", "%s: changes a prototype every other script shares; keep helpers in your own objects or modules", describeTarget(n.Operand))
			}
		}
	case *ast.WithStatement:
		j.node(n, "js/with", "with statement: it makes every name lookup dynamic; use the object's properties explicitly")
	case *ast.StringLiteral:
		j.stringLit(n)
	case *ast.TemplateElement:
		// goja sets a template element's Idx one character past its start.
		j.text(string(n.Parsed), j.off(n.Idx-1))
	case *ast.SwitchStatement:
		j.switchStmt(n)
	case *ast.ObjectLiteral:
		j.visitorTable(n)
	case *ast.ArrayLiteral:
		j.arrayLit(n)
	case *ast.Binding:
		j.destructure(n)
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
		j.enterFunction(n)
	}
}

func (j *jsCheck) post(n ast.Node) {
	switch n.(type) {
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
		j.leaveFunction()
	}
}

// unwrap strips optional-chaining wrappers: window?.eval is window.eval.
func unwrap(e ast.Expression) ast.Expression {
	for {
		switch x := e.(type) {
		case *ast.OptionalChain:
			e = x.Expression
		case *ast.Optional:
			e = x.Expression
		default:
			return e
		}
	}
}

// staticString is the value of a string literal or a template literal without
// substitutions.
func staticString(e ast.Expression) (string, bool) {
	switch x := unwrap(e).(type) {
	case *ast.StringLiteral:
		return string(x.Value), true
	case *ast.TemplateLiteral:
		if x.Tag == nil && len(x.Expressions) == 0 && len(x.Elements) == 1 {
			return string(x.Elements[0].Parsed), true
		}
	}
	return "", false
}

// member returns the object and the static property name of a member expression.
func member(e ast.Expression) (obj ast.Expression, name string, ok bool) {
	switch x := unwrap(e).(type) {
	case *ast.DotExpression:
		return unwrap(x.Left), string(x.Identifier.Name), true
	case *ast.BracketExpression:
		if s, ok := staticString(x.Member); ok {
			return unwrap(x.Left), s, true
		}
	}
	return nil, "", false
}

// dottedPath spells a callee as "a.b.c" when it is made of names only.
func dottedPath(e ast.Expression) string {
	switch x := unwrap(e).(type) {
	case *ast.Identifier:
		return string(x.Name)
	case *ast.DotExpression, *ast.BracketExpression:
		obj, name, ok := member(x)
		if !ok {
			return ""
		}
		if p := dottedPath(obj); p != "" {
			return p + "." + name
		}
	}
	return ""
}

// globalNames are the names of the global object in the environments code is written for.
var globalNames = map[string]bool{"window": true, "globalThis": true, "self": true, "global": true, "frames": true, "top": true, "parent": true}

// isGlobalObject reports window, globalThis, window.window, globalThis.self, ...
func isGlobalObject(e ast.Expression) bool {
	switch x := unwrap(e).(type) {
	case *ast.Identifier:
		return globalNames[string(x.Name)]
	case *ast.DotExpression, *ast.BracketExpression:
		obj, name, ok := member(x)
		return ok && globalNames[name] && isGlobalObject(obj)
	}
	return false
}

func (j *jsCheck) identifier(n *ast.Identifier) {
	name := string(n.Name)
	parent := j.w.parent(0)
	switch name {
	case "eval":
		if c, ok := parent.(*ast.CallExpression); ok && unwrap(c.Callee) == ast.Expression(n) {
			j.node(n, "js/eval", "eval runs a string as code, which mini-apps may not do: parse data with JSON.parse and write the logic as functions")
		} else {
			j.node(n, "js/eval", "eval used as a value (indirect eval runs a string as global code): remove it; parse data with JSON.parse")
		}
	case "Function":
		if !functionRefHarmless(n, parent) {
			j.node(n, "js/function-constructor", "the Function constructor compiles a string into code, which mini-apps may not do: write the function in the source")
		}
	}
	if isHexName(name) {
		if len(j.hexNames) == 0 {
			j.hexFirst = j.off(n.Idx)
		}
		j.hexNames[name] = true
	}
	if lib, ok := interpreterNames[name]; ok && j.once("interp:"+lib) {
		j.node(n, "js/interpreter", "%s looks like the %s JavaScript interpreter: mini-apps may not run code they did not ship as source", name, lib)
	}
	for _, p := range j.bannedKind(patternIdentifier) {
		if p.Value == name {
			j.banned(j.off(n.Idx), p)
		}
	}
	if len(j.frames) > 0 {
		for _, f := range j.frames {
			f.refs[name] = true
		}
	}
}

// functionRefHarmless: Function.prototype..., x instanceof Function and a declaration
// named Function are not uses of the constructor.
func functionRefHarmless(n *ast.Identifier, parent ast.Node) bool {
	switch p := parent.(type) {
	case *ast.CallExpression:
		return unwrap(p.Callee) != ast.Expression(n)
	case *ast.NewExpression:
		return unwrap(p.Callee) != ast.Expression(n)
	case *ast.DotExpression:
		return p.Left == ast.Expression(n)
	case *ast.BracketExpression:
		return p.Left == ast.Expression(n)
	case *ast.BinaryExpression:
		return p.Operator == token.INSTANCEOF && p.Right == ast.Expression(n)
	case *ast.PropertyKeyed:
		// A component property's type (properties: {onSearch: {type: Function}}), as
		// weui's components write it: a value compared, never called.
		key, ok := staticString(p.Key)
		return ok && !p.Computed && key == "type" && p.Value == ast.Expression(n)
	}
	return false
}

func (j *jsCheck) member(n ast.Expression, left ast.Expression, name string, nameIdx file.Idx, dynamic bool) {
	obj := unwrap(left)
	at := j.off(nameIdx)
	if dynamic {
		if isGlobalObject(obj) {
			j.at(at, "js/dynamic-global", "computed property of the global object: the name is only known at run time and may be eval or Function; name the property you mean")
		}
		return
	}
	switch name {
	case "eval":
		if isGlobalObject(obj) {
			j.at(at, "js/eval", "eval through the global object runs a string as code, which mini-apps may not do: parse data with JSON.parse")
		}
	case "Function":
		if isGlobalObject(obj) {
			j.at(at, "js/function-constructor", "the Function constructor through the global object compiles a string into code: write the function in the source")
		}
	case "constructor":
		if why := constructorReach(obj); why != "" {
			j.at(at, "js/constructor-access", "%s reaches the Function constructor, which compiles strings into code: use the object's own methods", why)
		}
	}
	if id, ok := obj.(*ast.Identifier); ok && (id.Name == "wx" || id.Name == "sf") {
		j.api(string(id.Name), name, at)
	}
	for _, p := range j.bannedKind(patternIdentifier) {
		if p.Value == name {
			j.banned(at, p)
		}
	}
	if j.frames != nil && (name == "fromCharCode" || name == "fromCodePoint" || name == "charCodeAt" || name == "atob") {
		j.frames[len(j.frames)-1].decoder = true
	}
}

// constructorReach says why obj.constructor would be the Function constructor (or a
// relative: AsyncFunction, GeneratorFunction), or "".
func constructorReach(obj ast.Expression) string {
	switch x := obj.(type) {
	case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
		return "a function's .constructor"
	case *ast.CallExpression:
		switch dottedPath(x.Callee) {
		case "Object.getPrototypeOf", "Reflect.getPrototypeOf":
			return "Object.getPrototypeOf(...).constructor"
		}
	}
	if _, name, ok := member(obj); ok {
		switch name {
		case "constructor":
			return "constructor.constructor"
		case "__proto__":
			return "__proto__.constructor"
		}
	}
	return ""
}

// api checks one wx.NAME / sf.NAME against the declared capabilities, and says when
// the platform answers it "not supported".
func (j *jsCheck) api(ns, name string, at int) {
	if j.apiUses {
		j.atSev(at, RuleAPIUse, SeverityInfo, "%s.%s", ns, name)
	}
	if hostapi.IsWxMethod(name) && !hostapi.Supported(name) {
		j.at(at, "js/unsupported-api", "%s.%s is not supported on this platform: it answers fail (a Sync form throws) with \"%s:fail not supported on this platform\", as a WeChat client without it does; guard it with wx.canIUse('%s') or handle the fail",
			ns, name, name, name)
	}
	capName, ok := perms.CapabilityForAPI(name)
	if !ok || j.declared[capName] {
		return
	}
	j.at(at, "js/capability", "%s.%s needs capability %s, which app.json does not declare: add \"capabilities\": {\"%s\": {\"reason\": \"...\"}} (or WeChat's \"permission\" for its scope), or the call fails at run time",
		ns, name, capName, capName)
}

// destructure checks const {getLocation} = wx.
func (j *jsCheck) destructure(b *ast.Binding) {
	id, ok := unwrap(b.Initializer).(*ast.Identifier)
	pat, isPat := b.Target.(*ast.ObjectPattern)
	if !ok || !isPat || (id.Name != "wx" && id.Name != "sf") {
		return
	}
	for _, p := range pat.Properties {
		switch p := p.(type) {
		case *ast.PropertyShort:
			j.api(string(id.Name), string(p.Name.Name), j.off(p.Name.Idx))
		case *ast.PropertyKeyed:
			if s, ok := staticString(p.Key); ok && !p.Computed {
				j.api(string(id.Name), s, j.off(p.Key.Idx0()))
			} else if k, ok := p.Key.(*ast.Identifier); ok && !p.Computed {
				j.api(string(id.Name), string(k.Name), j.off(k.Idx))
			}
		}
	}
}

var timerNames = map[string]bool{"setTimeout": true, "setInterval": true, "setImmediate": true}

func (j *jsCheck) call(n ast.Expression, callee ast.Expression, args []ast.Expression, isNew bool) {
	callee = unwrap(callee)
	path := dottedPath(callee)
	for _, p := range j.bannedKind(patternCall) {
		if path != "" && (path == p.Value || strings.HasSuffix(path, "."+p.Value)) {
			j.banned(j.off(n.Idx0()), p)
		}
	}
	if fn, ok := callee.(*ast.FunctionLiteral); ok && !isNew {
		var names []string
		for _, a := range args {
			if id, ok := unwrap(a).(*ast.Identifier); ok {
				names = append(names, string(id.Name))
			}
		}
		if len(names) > 0 {
			j.iifeArgs[fn] = names
		}
	}
	last := path[strings.LastIndexByte(path, '.')+1:]
	if isNew && last == "Interpreter" && j.once("interp:Interpreter") {
		j.node(n, "js/interpreter", "new %s(...) looks like an embedded JavaScript interpreter (JS-Interpreter, eval5): mini-apps may not run code they did not ship as source", path)
	}
	if isNew {
		return
	}
	switch {
	case timerNames[path] || (timerNames[last] && isGlobalObject(memberObj(callee))):
		if len(args) > 0 && isStringy(args[0]) {
			j.node(args[0], "js/string-timer", "%s with a string runs it as code: pass a function, e.g. %s(() => { ... }, ms)", last, last)
		}
	case path == "require":
		j.require(n, args)
	case path == "Object.setPrototypeOf" || path == "Reflect.setPrototypeOf":
		j.node(n, "js/prototype-write", "%s changes an object's prototype: create it with the prototype you need (Object.create, class extends)", path)
	case path == "Object.defineProperty" || path == "Object.defineProperties" || path == "Reflect.defineProperty" || path == "Object.assign":
		if len(args) > 0 && prototypeObject(unwrap(args[0])) {
			j.node(args[0], "js/prototype-write", "%s on %s changes a prototype every other script shares; keep helpers in your own objects or modules", path, describeTarget(args[0]))
		}
	case path == "wx.authorize" || path == "sf.authorize":
		j.authorizeScope(args)
	case last == "push" && len(args) == 1:
		// arr.push(arr.shift()): the rotation string-table obfuscators run at start-up
		if c, ok := unwrap(args[0]).(*ast.CallExpression); ok {
			if _, name, ok := member(c.Callee); ok && name == "shift" && len(j.frames) > 0 {
				j.frames[len(j.frames)-1].decoder = true
			}
		}
	}
	if (path == "atob" || path == "decodeURIComponent" || path == "unescape") && len(j.frames) > 0 {
		j.frames[len(j.frames)-1].decoder = true
	}
}

func memberObj(e ast.Expression) ast.Expression {
	obj, _, _ := member(e)
	return obj
}

// isStringy reports an argument that is certainly a string: a literal, a template, or a
// concatenation with one.
func isStringy(e ast.Expression) bool {
	switch x := unwrap(e).(type) {
	case *ast.StringLiteral, *ast.TemplateLiteral:
		return true
	case *ast.BinaryExpression:
		return x.Operator == token.PLUS && (isStringy(x.Left) || isStringy(x.Right))
	}
	return false
}

func (j *jsCheck) authorizeScope(args []ast.Expression) {
	if len(args) == 0 {
		return
	}
	obj, ok := unwrap(args[0]).(*ast.ObjectLiteral)
	if !ok {
		return
	}
	for _, p := range obj.Value {
		pk, ok := p.(*ast.PropertyKeyed)
		if !ok || pk.Computed {
			continue
		}
		key, _ := staticString(pk.Key)
		if id, ok := pk.Key.(*ast.Identifier); ok {
			key = string(id.Name)
		}
		scope, ok := staticString(pk.Value)
		if key != "scope" || !ok {
			continue
		}
		if capName, ok := perms.ScopeCapability(scope); ok && !j.declared[capName] {
			j.node(pk.Value, "js/capability", "authorize scope %s needs capability %s, which app.json does not declare: add \"permission\": {\"%s\": {\"desc\": \"...\"}} (or \"capabilities\"), or the call fails at run time", scope, capName, scope)
		}
	}
}

// require checks a require() the way the logic runtime resolves it (jsc.Resolve).
func (j *jsCheck) require(n ast.Expression, args []ast.Expression) {
	if len(args) == 0 {
		j.node(n, "js/require-dynamic", "require() without a path")
		return
	}
	req, ok := staticString(args[0])
	if !ok {
		j.node(args[0], "js/require-dynamic", "require with a computed path cannot be checked: require each module by its literal relative path")
		return
	}
	at := args[0]
	if lib, ok := interpreterModule(req); ok && j.once("interp:"+lib) {
		j.node(at, "js/interpreter", "require('%s') loads the %s JavaScript interpreter: mini-apps may not run code they did not ship as source", req, lib)
	}
	if _, err := jsc.Resolve(j.fsys, j.name, req); err != nil {
		j.node(at, "js/require", "%v: the app fails to load", err)
	}
}

// builtins are the constructors whose prototypes all scripts of a runtime share.
var builtins = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`Object Function Array String Number Boolean Symbol BigInt Date RegExp
		Error TypeError RangeError SyntaxError ReferenceError EvalError URIError AggregateError
		Promise Map Set WeakMap WeakSet WeakRef FinalizationRegistry ArrayBuffer SharedArrayBuffer
		DataView Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array
		Uint32Array Float32Array Float64Array BigInt64Array BigUint64Array Iterator`) {
		builtins[n] = true
	}
}

// prototypeObject reports Builtin.prototype, x.__proto__ and Object.getPrototypeOf(x).
func prototypeObject(e ast.Expression) bool {
	if c, ok := e.(*ast.CallExpression); ok {
		p := dottedPath(c.Callee)
		return p == "Object.getPrototypeOf" || p == "Reflect.getPrototypeOf"
	}
	obj, name, ok := member(e)
	if !ok {
		return false
	}
	if name == "__proto__" {
		return true
	}
	if id, isID := obj.(*ast.Identifier); isID && name == "prototype" && builtins[string(id.Name)] {
		return true
	}
	return prototypeObject(obj)
}

// prototypeTarget returns the node to report when assigning to e writes to a shared
// prototype (x.__proto__ = ..., Array.prototype.push = ..., [].__proto__.x = ...).
func prototypeTarget(e ast.Expression) ast.Node {
	e = unwrap(e)
	obj, name, ok := member(e)
	if !ok {
		if b, isB := e.(*ast.BracketExpression); isB && prototypeObject(unwrap(b.Left)) {
			return b.Member
		}
		return nil
	}
	var at ast.Node = e
	switch x := e.(type) {
	case *ast.DotExpression:
		at = &x.Identifier
	case *ast.BracketExpression:
		at = x.Member
	}
	if name == "__proto__" || prototypeObject(obj) {
		return at
	}
	if id, isID := obj.(*ast.Identifier); isID && name == "prototype" && builtins[string(id.Name)] {
		return at
	}
	return nil
}

func describeTarget(e ast.Expression) string {
	if p := dottedPath(e); p != "" {
		return p
	}
	if _, name, ok := member(e); ok {
		return "..." + name
	}
	return "the target"
}

func (j *jsCheck) stringLit(n *ast.StringLiteral) {
	if p, ok := j.w.parent(0).(*ast.BracketExpression); ok && p.Member == ast.Expression(n) {
		return // a property name, not text
	}
	at := j.off(n.Idx)
	j.text(string(n.Value), at)
	if esc := countEscapes(n.Literal); esc >= escapedMin && esc*2*4 >= len(n.Literal) {
		j.at(at, "js/escaped-literal", "string literal written as %d \\x/\\u escapes hides what it says: write it as plain text", esc)
	}
}

// text checks a string's value for URLs and banned substrings.
func (j *jsCheck) text(s string, at int) {
	if strings.Contains(s, "://") {
		for _, u := range findURLs(s) {
			if msg := urlProblem(u, j.domains); msg != "" {
				j.at(at, "js/url-domain", "%s", msg)
			}
		}
	}
	for _, p := range j.bannedKind(patternString) {
		if strings.Contains(s, p.Value) {
			j.banned(at, p)
		}
	}
}

// escapedMin is how many \x/\u escapes one literal needs before it counts as hidden
// text (a few escaped characters are normal: "\u00a0", "\x1b[0m").
const escapedMin = 32

// countEscapes counts \xHH and \uHHHH / \u{...} escapes in a literal's source text.
func countEscapes(lit string) int {
	n := 0
	for i := 0; i+1 < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		if c := lit[i+1]; c == 'x' || c == 'u' {
			n++
		}
		i++ // skip the escaped character, so \\x is not counted
	}
	return n
}

func isHexName(s string) bool {
	rest, ok := strings.CutPrefix(s, "_0x")
	if !ok || len(rest) < 3 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// hexNamesMin is how many distinct _0x identifiers one file needs to be reported.
const hexNamesMin = 20

func (j *jsCheck) finish() {
	if len(j.hexNames) >= hexNamesMin {
		j.at(j.hexFirst, "js/obfuscated-names", "%d generated _0x… identifiers: this file looks obfuscated; ship readable (minified is fine) source", len(j.hexNames))
	}
	for _, t := range j.tables {
		for _, f := range j.decoders {
			if hasAny(f.refs, t.holders) {
				j.at(t.off, "js/string-table", "table of %d strings read through a decoder function (%s): obfuscated code cannot be reviewed; ship readable source", t.size, strings.Join(t.holders, ", "))
				break
			}
		}
	}
}

func hasAny(set map[string]bool, names []string) bool {
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}

func (j *jsCheck) enterFunction(n ast.Node) {
	f := &fnFrame{refs: map[string]bool{}}
	for _, a := range j.iifeArgs[n] {
		f.refs[a] = true
	}
	j.frames = append(j.frames, f)
}

func (j *jsCheck) leaveFunction() {
	f := j.frames[len(j.frames)-1]
	j.frames = j.frames[:len(j.frames)-1]
	if f.decoder {
		j.decoders = append(j.decoders, f)
	}
}

// String tables: at least tableMin elements, nine in ten of them string literals.
const tableMin = 40

func (j *jsCheck) arrayLit(n *ast.ArrayLiteral) {
	if len(n.Value) < tableMin {
		return
	}
	strs := 0
	for _, v := range n.Value {
		if _, ok := v.(*ast.StringLiteral); ok {
			strs++
		}
	}
	if strs*10 < len(n.Value)*9 {
		return
	}
	var holders []string
	switch p := j.w.parent(0).(type) {
	case *ast.Binding:
		if id, ok := p.Target.(*ast.Identifier); ok {
			holders = append(holders, string(id.Name))
		}
	case *ast.AssignExpression:
		if id, ok := unwrap(p.Left).(*ast.Identifier); ok {
			holders = append(holders, string(id.Name))
		}
	}
	// The enclosing named function: newer obfuscators return the table from one.
	for i := 0; i < len(j.w.stack); i++ {
		fn, ok := j.w.parent(i).(*ast.FunctionLiteral)
		if !ok {
			continue
		}
		if fn.Name != nil {
			holders = append(holders, string(fn.Name.Name))
		}
		break
	}
	if len(holders) > 0 {
		j.tables = append(j.tables, stringTable{off: j.off(n.Idx0()), holders: holders, size: len(n.Value)})
	}
}
