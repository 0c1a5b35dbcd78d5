package wxml

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"

	"github.com/sandframe/sandframe/internal/jsguard"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	jstoken "github.com/dop251/goja/token"
)

// WXS is compiled here, never run: goja's parser reads the ES5 subset WeChat allows,
// and the tree below (docs/template.md, "WXS") is what the render runtime interprets
// with its own evaluator under the page's CSP. Whatever WXS lacks (new, let/const,
// arrow functions, classes, regular expression literals, labels, with) is a compile
// error at its file:line:col.

// WxsModule is one compiled WXS module: an inline <wxs module> or a .wxs file.
type WxsModule struct {
	File string          `json:"file"` // the .wxs file, or the .wxml file of an inline module
	Name string          `json:"name,omitempty"`
	Ln   int             `json:"ln"`   // where the module's code starts in File
	Code json.RawMessage `json:"code"` // a "fn" node with no parameters: the module body
}

// wxsNode is one node of the WXS tree; encoding/json writes its keys sorted.
type wxsNode = map[string]any

const maxWxsModules = 256 // per template, with requires

// wxsTags compiles every <wxs> of a file (they are visible everywhere in it, wherever
// they stand, as in WeChat) and returns module name → module key.
func (fc *fileCompiler) wxsTags(raws []*rawNode, names map[string]string) {
	for _, r := range raws {
		if r.text {
			continue
		}
		if r.tag == "wxs" {
			name, key := fc.wxsTag(r)
			if prev, dup := names[name]; dup && prev != key {
				fc.warn(r.off, "WXS module %q is declared twice in %s: the last one is used", name, fc.s.name)
			}
			names[name] = key
			continue
		}
		fc.wxsTags(r.children, names)
	}
}

// wxsTag compiles one <wxs module="m" [src="x.wxs"]>code</wxs>.
func (fc *fileCompiler) wxsTag(r *rawNode) (name, key string) {
	a, ok := r.attr("module")
	if !ok || !a.hasValue {
		fc.s.fail(r.off, "<wxs> needs module=\"NAME\"")
	}
	name = strings.TrimSpace(fc.s.text[a.vstart:a.vend])
	if !isWxsModuleName(name) {
		fc.s.fail(a.vstart, "WXS module name %q must be a letter or _ followed by letters, digits or _", name)
	}
	fc.ignoreAttrs(r, "<wxs>", false, "module", "src")
	if src, ok := r.attr("src"); ok {
		v := attrValue(fc.s, src)
		if !v.Static() {
			fc.s.fail(src.vstart, "<wxs src> must be a static path, not {{…}}")
		}
		file, err := resolveWxs(fc.s.name, v.Str)
		if err != nil {
			fc.s.fail(src.vstart, "<wxs src>: %v", err)
		}
		if len(r.children) > 0 && strings.TrimSpace(fc.s.text[r.children[0].off:r.children[0].end]) != "" {
			fc.warn(r.children[0].off, "code inside <wxs src> is ignored")
		}
		fc.wxsFile(file, refSite{s: fc.s, off: src.vstart, verb: "load WXS"})
		return name, file
	}
	start, end := r.off, r.off
	if len(r.children) > 0 {
		start, end = r.children[0].off, r.children[0].end
	}
	key = fc.s.name + "#" + name
	fc.addWxs(key, &wxsUnit{s: fc.s, start: start, end: end, name: name})
	return name, key
}

func isWxsModuleName(s string) bool {
	if s == "" || !(s[0] == '_' || (s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z')) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// resolveWxs resolves a .wxs path written in file: relative to its folder, or to the
// bundle root with a leading "/".
func resolveWxs(from, src string) (string, error) {
	return resolveInBundle(from, src, func(p string) (string, error) {
		if !strings.HasSuffix(p, ".wxs") {
			return "", fmt.Errorf("%q is not a .wxs file", src)
		}
		return p, nil
	})
}

// wxsUnit is the code of one module: s.text[start:end].
type wxsUnit struct {
	s          *source
	start, end int
	name       string // inline module name, "" for a file
}

// wxsFile compiles a .wxs file (once per Compile) and the files it requires. A require
// cycle is legal: as in CommonJS, the runtime hands the second require the exports
// the module has so far.
func (c *compiler) wxsFile(file string, ref refSite) {
	if _, ok := c.tpl.Wxs[file]; ok {
		return
	}
	data, err := readFile(c.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		ref.s.fail(ref.off, "cannot %s %s: file does not exist", ref.verb, file)
	} else if err != nil {
		ref.s.fail(ref.off, "cannot %s %s: %v", ref.verb, file, err)
	}
	s := newSource(file, data)
	c.addWxs(file, &wxsUnit{s: s, start: s.bom, end: len(data)})
}

func (c *compiler) addWxs(key string, u *wxsUnit) {
	if c.tpl.Wxs == nil {
		c.tpl.Wxs = map[string]*WxsModule{}
	}
	if len(c.tpl.Wxs) >= maxWxsModules {
		u.s.fail(u.start, "more than %d WXS modules", maxWxsModules)
	}
	c.tpl.Wxs[key] = &WxsModule{} // reserve the key: a require cycle back to it stops here
	ln, _ := u.s.position(u.start)
	code := (&wxsCompiler{c: c, s: u.s}).module(u)
	raw, err := json.Marshal(code)
	if err != nil {
		u.s.fail(u.start, "WXS module cannot be encoded: %v", err)
	}
	c.tpl.Wxs[key] = &WxsModule{File: u.s.name, Name: u.name, Ln: ln, Code: raw}
}

// wxsCompiler turns goja's AST of one module into the WXS tree.
type wxsCompiler struct {
	c     *compiler
	s     *source
	fn    *wxsFn // the function being compiled
	depth int
}

// wxsFn collects what a function body declares, for hoisting.
type wxsFn struct {
	vars []string
	seen map[string]bool
	fns  []wxsNode
}

func (fn *wxsFn) declare(name string) {
	if !fn.seen[name] {
		fn.seen[name] = true
		fn.vars = append(fn.vars, name)
	}
}

// module parses s.text[start:end] and compiles it as a function body.
func (w *wxsCompiler) module(u *wxsUnit) wxsNode {
	// goja's parser has no depth limit of its own: screen the code first, as the logic
	// runtime does for JavaScript, so a hostile file cannot overflow the Go stack.
	if off, what := jsguard.Check(u.s.text[u.start:u.end]); off >= 0 {
		u.s.fail(u.start+off, "WXS code refused: %s", what)
	}
	// Parse the whole file with everything outside the code blanked (newlines kept),
	// so every offset the parser reports is an offset into the file.
	text := []byte(u.s.text)
	for i := range text {
		if (i < u.start || i >= u.end) && text[i] != '\n' {
			text[i] = ' '
		}
	}
	prog, err := parser.ParseFile(nil, u.s.name, string(text), 0, parser.WithDisableSourceMaps)
	if err != nil {
		var list parser.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			p := list[0].Position
			off := u.start
			if p.Line >= 1 && p.Line <= len(u.s.lines) {
				off = u.s.lines[p.Line-1] + max(p.Column-1, 0)
			}
			u.s.fail(off, "WXS syntax error: %s", list[0].Message)
		}
		u.s.fail(u.start, "WXS syntax error: %v", err)
	}
	fn := &wxsFn{seen: map[string]bool{}, vars: []string{}, fns: []wxsNode{}}
	body := w.function(fn, prog.Body)
	return wxsNode{"k": "fn", "ln": w.line(u.start), "params": []string{}, "vars": fn.vars, "fns": fn.fns, "body": body}
}

func (w *wxsCompiler) fail(n ast.Node, format string, args ...any) {
	w.s.fail(int(n.Idx0())-1, format, args...)
}

func (w *wxsCompiler) line(off int) int {
	ln, _ := w.s.position(off)
	return ln
}

func (w *wxsCompiler) ln(n ast.Node) int { return w.line(int(n.Idx0()) - 1) }

// function compiles a body with fn collecting its declarations.
func (w *wxsCompiler) function(fn *wxsFn, list []ast.Statement) []wxsNode {
	outer := w.fn
	w.fn = fn
	defer func() { w.fn = outer }()
	return w.stmts(list)
}

func (w *wxsCompiler) enter(n ast.Node) {
	w.depth++
	if w.depth > maxDepth {
		w.fail(n, "WXS code nested deeper than %d levels", maxDepth)
	}
}

func (w *wxsCompiler) stmts(list []ast.Statement) []wxsNode {
	out := make([]wxsNode, 0, len(list))
	for _, st := range list {
		if n := w.stmt(st); n != nil {
			out = append(out, n)
		}
	}
	return out
}

func (w *wxsCompiler) stmt(st ast.Statement) wxsNode {
	w.enter(st)
	defer func() { w.depth-- }()
	ln := w.ln(st)
	switch st := st.(type) {
	case *ast.EmptyStatement:
		return nil
	case *ast.ExpressionStatement:
		return wxsNode{"k": "expr", "ln": ln, "e": w.expr(st.Expression)}
	case *ast.VariableStatement:
		return w.varDecl(ln, st.List)
	case *ast.LexicalDeclaration:
		w.fail(st, "WXS has no %s: declare variables with var", st.Token)
	case *ast.FunctionDeclaration:
		f := st.Function
		w.fn.declare(f.Name.Name.String())
		w.fn.fns = append(w.fn.fns, wxsNode{"n": f.Name.Name.String(), "fn": w.funcLit(f)})
		return nil
	case *ast.BlockStatement:
		return wxsNode{"k": "block", "ln": ln, "body": w.stmts(st.List)}
	case *ast.IfStatement:
		n := wxsNode{"k": "if", "ln": ln, "c": w.expr(st.Test), "then": w.body(st.Consequent)}
		if st.Alternate != nil {
			n["else"] = w.body(st.Alternate)
		}
		return n
	case *ast.ForStatement:
		n := wxsNode{"k": "for", "ln": ln, "body": w.body(st.Body)}
		switch init := st.Initializer.(type) {
		case nil:
		case *ast.ForLoopInitializerExpression:
			n["init"] = wxsNode{"k": "expr", "ln": ln, "e": w.expr(init.Expression)}
		case *ast.ForLoopInitializerVarDeclList:
			n["init"] = w.varDecl(ln, init.List)
		default:
			w.fail(st, "WXS has no let/const: declare loop variables with var")
		}
		if st.Test != nil {
			n["test"] = w.expr(st.Test)
		}
		if st.Update != nil {
			n["update"] = w.expr(st.Update)
		}
		return n
	case *ast.ForInStatement:
		n := wxsNode{"k": "forin", "ln": ln, "o": w.expr(st.Source), "body": w.body(st.Body)}
		switch into := st.Into.(type) {
		case *ast.ForIntoVar:
			id, ok := into.Binding.Target.(*ast.Identifier)
			if !ok || into.Binding.Initializer != nil {
				w.fail(st, "for-in takes a plain variable in WXS")
			}
			w.fn.declare(id.Name.String())
			n["t"] = wxsNode{"k": "id", "n": id.Name.String()}
		case *ast.ForIntoExpression:
			n["t"] = w.target(into.Expression)
		default:
			w.fail(st, "WXS has no let/const: declare loop variables with var")
		}
		return n
	case *ast.ForOfStatement:
		w.fail(st, "WXS has no for-of: use for (var i = 0; i < list.length; i++)")
	case *ast.WhileStatement:
		return wxsNode{"k": "while", "ln": ln, "c": w.expr(st.Test), "body": w.body(st.Body)}
	case *ast.DoWhileStatement:
		return wxsNode{"k": "do", "ln": ln, "c": w.expr(st.Test), "body": w.body(st.Body)}
	case *ast.ReturnStatement:
		n := wxsNode{"k": "return", "ln": ln}
		if st.Argument != nil {
			n["e"] = w.expr(st.Argument)
		}
		return n
	case *ast.BranchStatement:
		if st.Label != nil {
			w.fail(st, "labels are not supported in WXS")
		}
		if st.Token == jstoken.BREAK {
			return wxsNode{"k": "break", "ln": ln}
		}
		return wxsNode{"k": "continue", "ln": ln}
	case *ast.SwitchStatement:
		cases := make([]wxsNode, 0, len(st.Body))
		for _, cs := range st.Body {
			c := wxsNode{"body": w.stmts(cs.Consequent)}
			if cs.Test != nil {
				c["t"] = w.expr(cs.Test)
			}
			cases = append(cases, c)
		}
		return wxsNode{"k": "switch", "ln": ln, "d": w.expr(st.Discriminant), "cases": cases}
	case *ast.ThrowStatement:
		return wxsNode{"k": "throw", "ln": ln, "e": w.expr(st.Argument)}
	case *ast.TryStatement:
		n := wxsNode{"k": "try", "ln": ln, "body": w.stmts(st.Body.List)}
		if st.Catch != nil {
			if st.Catch.Parameter != nil {
				id, ok := st.Catch.Parameter.(*ast.Identifier)
				if !ok {
					w.fail(st.Catch, "catch takes a plain name in WXS")
				}
				n["param"] = id.Name.String()
			}
			n["catch"] = w.stmts(st.Catch.Body.List)
		}
		if st.Finally != nil {
			n["finally"] = w.stmts(st.Finally.List)
		}
		return n
	case *ast.DebuggerStatement:
		return nil
	case *ast.LabelledStatement:
		w.fail(st, "labels are not supported in WXS")
	case *ast.WithStatement:
		w.fail(st, "with is not supported in WXS")
	case *ast.ClassDeclaration:
		w.fail(st, "WXS has no classes")
	}
	w.fail(st, "this statement is not supported in WXS")
	return nil
}

// body compiles the statement of an if or loop; a lone declaration is hoisted.
func (w *wxsCompiler) body(st ast.Statement) wxsNode {
	if n := w.stmt(st); n != nil {
		return n
	}
	return wxsNode{"k": "block", "ln": w.ln(st), "body": []wxsNode{}}
}

func (w *wxsCompiler) varDecl(ln int, list []*ast.Binding) wxsNode {
	decl := make([]wxsNode, 0, len(list))
	for _, b := range list {
		id, ok := b.Target.(*ast.Identifier)
		if !ok {
			w.fail(b.Target, "destructuring is not supported in WXS")
		}
		w.fn.declare(id.Name.String())
		d := wxsNode{"n": id.Name.String()}
		if b.Initializer != nil {
			d["v"] = w.expr(b.Initializer)
		}
		decl = append(decl, d)
	}
	return wxsNode{"k": "var", "ln": ln, "decl": decl}
}

func (w *wxsCompiler) funcLit(f *ast.FunctionLiteral) wxsNode {
	if f.Async || f.Generator {
		w.fail(f, "WXS has no async functions or generators")
	}
	params := []string{}
	if f.ParameterList.Rest != nil {
		w.fail(f.ParameterList.Rest, "rest parameters are not supported in WXS")
	}
	fn := &wxsFn{seen: map[string]bool{}, vars: []string{}, fns: []wxsNode{}}
	for _, b := range f.ParameterList.List {
		id, ok := b.Target.(*ast.Identifier)
		if !ok || b.Initializer != nil {
			w.fail(b.Target, "WXS function parameters are plain names")
		}
		params = append(params, id.Name.String())
		fn.seen[id.Name.String()] = true
	}
	body := w.function(fn, f.Body.List)
	n := wxsNode{"k": "fn", "ln": w.ln(f), "params": params, "vars": fn.vars, "fns": fn.fns, "body": body}
	if f.Name != nil {
		n["n"] = f.Name.Name.String()
	}
	return n
}

// assignOps are the compound assignments WXS has, by the operator goja reports.
var assignOps = map[jstoken.Token]string{
	jstoken.ASSIGN: "=", jstoken.PLUS: "+=", jstoken.MINUS: "-=", jstoken.MULTIPLY: "*=", jstoken.SLASH: "/=",
	jstoken.REMAINDER: "%=", jstoken.AND: "&=", jstoken.OR: "|=", jstoken.EXCLUSIVE_OR: "^=",
	jstoken.SHIFT_LEFT: "<<=", jstoken.SHIFT_RIGHT: ">>=", jstoken.UNSIGNED_SHIFT_RIGHT: ">>>=",
}

var wxsBinOps = map[jstoken.Token]bool{
	jstoken.PLUS: true, jstoken.MINUS: true, jstoken.MULTIPLY: true, jstoken.SLASH: true, jstoken.REMAINDER: true,
	jstoken.AND: true, jstoken.OR: true, jstoken.EXCLUSIVE_OR: true, jstoken.SHIFT_LEFT: true,
	jstoken.SHIFT_RIGHT: true, jstoken.UNSIGNED_SHIFT_RIGHT: true, jstoken.LOGICAL_AND: true, jstoken.LOGICAL_OR: true,
	jstoken.EQUAL: true, jstoken.STRICT_EQUAL: true, jstoken.NOT_EQUAL: true, jstoken.STRICT_NOT_EQUAL: true,
	jstoken.LESS: true, jstoken.GREATER: true, jstoken.LESS_OR_EQUAL: true, jstoken.GREATER_OR_EQUAL: true,
	jstoken.IN: true,
}

func (w *wxsCompiler) exprs(list []ast.Expression) []wxsNode {
	out := make([]wxsNode, 0, len(list))
	for _, e := range list {
		out = append(out, w.expr(e))
	}
	return out
}

func (w *wxsCompiler) expr(e ast.Expression) wxsNode {
	w.enter(e)
	defer func() { w.depth-- }()
	switch e := e.(type) {
	case *ast.NumberLiteral:
		var f float64
		switch v := e.Value.(type) {
		case int64:
			f = float64(v)
		case float64:
			f = v
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			w.fail(e, "number %s is out of range", e.Literal)
		}
		return wxsNode{"k": "lit", "v": f}
	case *ast.StringLiteral:
		return wxsNode{"k": "lit", "v": e.Value.String()}
	case *ast.BooleanLiteral:
		return wxsNode{"k": "lit", "v": e.Value}
	case *ast.NullLiteral:
		return wxsNode{"k": "lit", "v": nil}
	case *ast.Identifier:
		if e.Name == "undefined" {
			return wxsNode{"k": "undef"}
		}
		return wxsNode{"k": "id", "n": e.Name.String()}
	case *ast.ThisExpression:
		return wxsNode{"k": "undef"}
	case *ast.ArrayLiteral:
		items := make([]wxsNode, 0, len(e.Value))
		for _, it := range e.Value {
			if it == nil {
				items = append(items, wxsNode{"k": "undef"})
				continue
			}
			if _, ok := it.(*ast.SpreadElement); ok {
				w.fail(it, "spread is not supported in WXS")
			}
			items = append(items, w.expr(it))
		}
		return wxsNode{"k": "arr", "items": items}
	case *ast.ObjectLiteral:
		props := make([]wxsNode, 0, len(e.Value))
		for _, p := range e.Value {
			switch p := p.(type) {
			case *ast.PropertyKeyed:
				if p.Computed || p.Kind != ast.PropertyKindValue {
					w.fail(p, "WXS object literals take plain keys and values")
				}
				props = append(props, wxsNode{"key": w.propKey(p.Key), "v": w.expr(p.Value)})
			case *ast.PropertyShort: // {color}: WeChat's compiler accepts the shorthand
				if p.Initializer != nil {
					w.fail(p, "WXS object literals take plain keys and values")
				}
				props = append(props, wxsNode{"key": p.Name.Name.String(), "v": wxsNode{"k": "id", "n": p.Name.Name.String()}})
			default:
				w.fail(p, "WXS object literals take plain keys and values")
			}
		}
		return wxsNode{"k": "obj", "props": props}
	case *ast.FunctionLiteral:
		return w.funcLit(e)
	case *ast.DotExpression:
		return wxsNode{"k": "mem", "o": w.expr(e.Left), "p": wxsNode{"k": "lit", "v": e.Identifier.Name.String()}}
	case *ast.BracketExpression:
		return wxsNode{"k": "mem", "o": w.expr(e.Left), "p": w.expr(e.Member)}
	case *ast.CallExpression:
		if id, ok := e.Callee.(*ast.Identifier); ok && id.Name == "require" {
			return w.require(e)
		}
		return wxsNode{"k": "call", "ln": w.ln(e), "f": w.expr(e.Callee), "args": w.exprs(e.ArgumentList)}
	case *ast.UnaryExpression:
		switch e.Operator {
		case jstoken.INCREMENT, jstoken.DECREMENT:
			return wxsNode{"k": "upd", "op": e.Operator.String(), "pre": !e.Postfix, "t": w.target(e.Operand)}
		case jstoken.NOT, jstoken.MINUS, jstoken.PLUS, jstoken.BITWISE_NOT, jstoken.TYPEOF, jstoken.VOID:
			return wxsNode{"k": "un", "op": e.Operator.String(), "a": w.expr(e.Operand)}
		case jstoken.DELETE:
			return wxsNode{"k": "un", "op": "delete", "a": w.target(e.Operand)}
		}
	case *ast.BinaryExpression:
		if wxsBinOps[e.Operator] {
			return wxsNode{"k": "bin", "op": e.Operator.String(), "a": w.expr(e.Left), "b": w.expr(e.Right)}
		}
		if e.Operator == jstoken.INSTANCEOF {
			w.fail(e, "instanceof is not supported in WXS: compare x.constructor with a type name (\"Array\", \"Object\", ...)")
		}
		w.fail(e, "operator %s is not supported in WXS", e.Operator)
	case *ast.ConditionalExpression:
		return wxsNode{"k": "cond", "c": w.expr(e.Test), "a": w.expr(e.Consequent), "b": w.expr(e.Alternate)}
	case *ast.AssignExpression:
		op, ok := assignOps[e.Operator]
		if !ok {
			w.fail(e, "operator %s= is not supported in WXS", e.Operator)
		}
		return wxsNode{"k": "assign", "op": op, "t": w.target(e.Left), "v": w.expr(e.Right)}
	case *ast.SequenceExpression:
		return wxsNode{"k": "seq", "items": w.exprs(e.Sequence)}
	case *ast.RegExpLiteral:
		w.fail(e, "WXS has no regular expression literals: use getRegExp(%q, %q)", e.Pattern, e.Flags)
	case *ast.NewExpression:
		w.fail(e, "WXS has no new: use getDate(...) and getRegExp(...)")
	case *ast.ArrowFunctionLiteral:
		w.fail(e, "WXS has no arrow functions: use function")
	case *ast.TemplateLiteral:
		w.fail(e, "WXS has no template literals: join strings with +")
	case *ast.ClassLiteral:
		w.fail(e, "WXS has no classes")
	case *ast.Optional, *ast.OptionalChain:
		w.fail(e, "WXS has no optional chaining (?.)")
	}
	w.fail(e, "this expression is not supported in WXS")
	return nil
}

func (w *wxsCompiler) propKey(k ast.Expression) string {
	switch k := k.(type) {
	case *ast.StringLiteral:
		return k.Value.String()
	case *ast.Identifier:
		return k.Name.String()
	case *ast.NumberLiteral:
		switch v := k.Value.(type) {
		case int64:
			return jsNumberString(float64(v))
		case float64:
			return jsNumberString(v)
		}
	}
	w.fail(k, "WXS object keys are names, strings or numbers")
	return ""
}

// target compiles what an assignment, ++/-- or delete writes: a name or a member.
func (w *wxsCompiler) target(e ast.Expression) wxsNode {
	switch e.(type) {
	case *ast.Identifier, *ast.DotExpression, *ast.BracketExpression:
		n := w.expr(e)
		if n["k"] == "undef" {
			w.fail(e, "cannot assign to undefined")
		}
		return n
	}
	w.fail(e, "invalid assignment target in WXS")
	return nil
}

// require compiles require("./other.wxs"): a static path, resolved and compiled now.
func (w *wxsCompiler) require(e *ast.CallExpression) wxsNode {
	if len(e.ArgumentList) != 1 {
		w.fail(e, "require takes one path")
	}
	lit, ok := e.ArgumentList[0].(*ast.StringLiteral)
	if !ok {
		w.fail(e, "require takes a static path to a .wxs file")
	}
	file, err := resolveWxs(w.s.name, lit.Value.String())
	if err != nil {
		w.fail(lit, "require: %v", err)
	}
	w.c.wxsFile(file, refSite{s: w.s, off: int(lit.Idx) - 1, verb: "require"})
	return wxsNode{"k": "req", "m": file}
}
