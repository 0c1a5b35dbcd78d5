package wxml

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDepth bounds the nesting of elements and of expressions, so that hostile input can
// neither exhaust the compiler's stack nor the render runtime's.
const maxDepth = 256

// ParseExpr parses one WXML expression, the text between {{ and }}. Errors are
// Diagnostics whose line and column point into src.
func ParseExpr(src string) (e *Expr, err error) {
	s := newSource("", src)
	defer recoverBailout(&err)
	return parseExprRange(s, 0, len(src)), nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokStr
	tokIdent
	tokPunct
)

type token struct {
	kind tokKind
	off  int    // byte offset in the file
	text string // ident or punct text
	num  float64
	str  string // decoded string literal
}

// puncts are the JavaScript punctuators, longest first, so that the lexer takes whole
// operators and the parser can name the unsupported ones precisely.
var puncts = []string{
	">>>=", "===", "!==", "**=", "<<=", ">>=", ">>>", "...", "&&=", "||=", "??=",
	"==", "!=", "<=", ">=", "&&", "||", "??", "?.", "=>", "++", "--", "+=", "-=", "*=", "/=",
	"%=", "&=", "|=", "^=", "**", "<<", ">>",
	"+", "-", "*", "/", "%", "<", ">", "!", "=", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}",
	"&", "|", "^", "~", ";", "#", "@",
}

// punctsByByte lists the punctuators by their first byte, longest first.
var punctsByByte = func() (t [256][]string) {
	for _, p := range puncts {
		t[p[0]] = append(t[p[0]], p)
	}
	return t
}()

// binPrec is the JavaScript precedence of the supported binary operators.
var binPrec = map[string]int{
	"||": 1, "&&": 2,
	"==": 3, "!=": 3, "===": 3, "!==": 3,
	"<": 4, ">": 4, "<=": 4, ">=": 4, "in": 4,
	"+": 5, "-": 5,
	"*": 6, "/": 6, "%": 6,
}

type exprParser struct {
	s     *source
	pos   int // next byte to lex
	end   int // end of the expression text
	tok   token
	depth int
}

// parseExprRange parses the expression in s.text[start:end]; errors bail out with the
// position of the offending token in the file.
func parseExprRange(s *source, start, end int) *Expr {
	p := &exprParser{s: s, pos: start, end: end}
	p.next()
	if p.tok.kind == tokEOF {
		s.fail(start, "empty expression")
	}
	e := p.expr()
	p.expectEOF()
	p.checkDepth(e, start)
	return e
}

// parseObjectBody parses template data: the properties of an object literal written
// without its braces ("a, b: 1, ...c"), as <template is data> takes them.
func parseObjectBody(s *source, start, end int) *Expr {
	p := &exprParser{s: s, pos: start, end: end}
	p.next()
	e := &Expr{K: ExprObj, Props: p.props(start, "")}
	p.checkDepth(e, start)
	return e
}

func (p *exprParser) fail(off int, format string, args ...any) { p.s.fail(off, format, args...) }

func (p *exprParser) checkDepth(e *Expr, off int) {
	if exprDepth(e) > maxDepth {
		p.fail(off, "expression nested deeper than %d levels", maxDepth)
	}
}

func exprDepth(e *Expr) int {
	if e == nil {
		return 0
	}
	d := max(exprDepth(e.A), exprDepth(e.B), exprDepth(e.C), exprDepth(e.O), exprDepth(e.P))
	for _, it := range e.Items {
		d = max(d, exprDepth(it))
	}
	for _, pr := range e.Props {
		d = max(d, exprDepth(pr.V), exprDepth(pr.Spread))
	}
	return d + 1
}

// enter guards the parser's own recursion; expr and unary are on every recursive path.
func (p *exprParser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok.off, "expression nested deeper than %d levels", maxDepth)
	}
}

func (p *exprParser) leave() { p.depth-- }

func (p *exprParser) is(text string) bool {
	return (p.tok.kind == tokPunct || p.tok.kind == tokIdent) && p.tok.text == text
}

func (p *exprParser) expect(text string) {
	if !p.is(text) {
		p.fail(p.tok.off, "expected %s, found %s", text, p.describe())
	}
	p.next()
}

func (p *exprParser) expectEOF() {
	if p.tok.kind != tokEOF {
		p.rejectOperator()
		if p.is(",") {
			p.fail(p.tok.off, "unexpected \",\": a WXML expression is a single value")
		}
		p.fail(p.tok.off, "unexpected %s after expression", p.describe())
	}
}

func (p *exprParser) describe() string {
	switch p.tok.kind {
	case tokEOF:
		return "end of expression"
	case tokNum:
		return "number " + strconv.FormatFloat(p.tok.num, 'g', -1, 64)
	case tokStr:
		return "string " + strconv.Quote(p.tok.str)
	}
	return strconv.Quote(p.tok.text)
}

func (p *exprParser) expr() *Expr {
	p.enter()
	defer p.leave()
	c := p.binary(1)
	if !p.is("?") {
		return c
	}
	p.next()
	a := p.expr()
	p.expect(":")
	b := p.expr()
	return &Expr{K: ExprCond, C: c, A: a, B: b}
}

func (p *exprParser) binary(minPrec int) *Expr {
	left := p.unary()
	for n := 0; ; n++ {
		p.rejectOperator()
		if p.tok.kind != tokPunct && !p.is("in") {
			return left
		}
		op := p.tok.text
		prec, ok := binPrec[op]
		if !ok || prec < minPrec {
			return left
		}
		if n >= maxDepth { // a+a+a... nests to the left; stop before building it all
			p.fail(p.tok.off, "expression nested deeper than %d levels", maxDepth)
		}
		p.next()
		right := p.binary(prec + 1)
		left = &Expr{K: ExprBin, Op: op, A: left, B: right}
	}
}

// rejectOperator fails on JavaScript operators that WXML does not have, with a message
// that says what is wrong instead of a bare "unexpected token".
func (p *exprParser) rejectOperator() {
	t := p.tok
	if t.kind == tokIdent && (t.text == "instanceof") {
		p.fail(t.off, "operator instanceof is not supported in WXML expressions")
	}
	if t.kind != tokPunct {
		return
	}
	switch t.text {
	case "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??=":
		p.fail(t.off, "assignment (%s) is not allowed in WXML expressions", t.text)
	case "++", "--":
		p.fail(t.off, "%s is not allowed in WXML expressions", t.text)
	case "(":
		p.fail(t.off, "WXML expressions cannot call functions")
	case "=>":
		p.fail(t.off, "WXML expressions cannot define functions")
	case "?.":
		p.fail(t.off, "optional chaining (?.) is not supported in WXML expressions")
	case "&", "|", "^", "<<", ">>", ">>>", "**", "??":
		p.fail(t.off, "operator %s is not supported in WXML expressions", t.text)
	case ";":
		p.fail(t.off, "WXML expressions cannot contain statements (;)")
	}
}

func (p *exprParser) unary() *Expr {
	t := p.tok
	var op string
	switch {
	case t.kind == tokPunct && (t.text == "!" || t.text == "-" || t.text == "+"):
		op = t.text
	case p.is("typeof"):
		op = "typeof"
	case t.kind == tokPunct && (t.text == "~"):
		p.fail(t.off, "operator ~ is not supported in WXML expressions")
	case p.is("void") || p.is("delete") || p.is("await") || p.is("yield"):
		p.fail(t.off, "operator %s is not supported in WXML expressions", t.text)
	case t.kind == tokPunct && (t.text == "++" || t.text == "--"):
		p.fail(t.off, "%s is not allowed in WXML expressions", t.text)
	default:
		return p.postfix()
	}
	p.enter()
	defer p.leave()
	p.next()
	a := p.unary()
	// -1 is a literal to the reader; keep it one in the output too.
	if op == "-" && a.K == ExprLit {
		if f, ok := a.V.(float64); ok {
			return &Expr{K: ExprLit, V: -f}
		}
	}
	return &Expr{K: ExprUn, Op: op, A: a}
}

func (p *exprParser) postfix() *Expr {
	e := p.primary()
	for n := 0; ; n++ {
		if n >= maxDepth {
			p.fail(p.tok.off, "expression nested deeper than %d levels", maxDepth)
		}
		switch {
		case p.is("."):
			p.next()
			if p.tok.kind != tokIdent {
				p.fail(p.tok.off, "expected a property name after \".\", found %s", p.describe())
			}
			e = &Expr{K: ExprMem, O: e, P: &Expr{K: ExprLit, V: p.tok.text}}
			p.next()
		case p.is("["):
			p.next()
			idx := p.expr()
			p.expect("]")
			e = &Expr{K: ExprMem, O: e, P: idx}
		case p.is("("):
			if !wxsRooted(e) {
				p.fail(p.tok.off, "WXML expressions can call only functions of WXS modules")
			}
			e = &Expr{K: ExprCall, O: e, Items: p.args()}
		default:
			return e
		}
	}
}

// wxsRooted reports whether e reads from a WXS module: m.f, m["f"], m.a.b, m.f(x).g.
func wxsRooted(e *Expr) bool {
	for {
		switch e.K {
		case ExprWxs:
			return true
		case ExprMem, ExprCall:
			e = e.O
		default:
			return false
		}
	}
}

// args parses a call's argument list, from "(" to ")".
func (p *exprParser) args() []*Expr {
	open := p.tok.off
	p.next()
	args := []*Expr{}
	for !p.is(")") {
		if p.tok.kind == tokEOF {
			p.fail(open, "unclosed (")
		}
		if p.is("...") {
			p.fail(p.tok.off, "spread arguments are not supported in WXML expressions")
		}
		args = append(args, p.expr())
		if !p.is(",") {
			break
		}
		p.next()
	}
	if p.tok.kind == tokEOF {
		p.fail(open, "unclosed (")
	}
	p.expect(")")
	return args
}

func (p *exprParser) primary() *Expr {
	t := p.tok
	switch t.kind {
	case tokEOF:
		p.fail(t.off, "unexpected end of expression")
	case tokNum:
		p.next()
		return &Expr{K: ExprLit, V: t.num}
	case tokStr:
		p.next()
		return &Expr{K: ExprLit, V: t.str}
	case tokIdent:
		return p.identifier()
	}
	switch t.text {
	case "(":
		p.next()
		if p.is(")") {
			p.fail(p.tok.off, "unexpected \")\": empty parentheses")
		}
		e := p.expr()
		p.expect(")")
		return e
	case "[":
		return p.array()
	case "{":
		p.next()
		return &Expr{K: ExprObj, Props: p.props(t.off, "}")}
	case "/", "/=":
		p.fail(t.off, "regular expressions are not supported in WXML expressions")
	}
	p.rejectOperator()
	p.fail(t.off, "unexpected %s", p.describe())
	return nil
}

func (p *exprParser) identifier() *Expr {
	t := p.tok
	switch t.text {
	case "true", "false":
		p.next()
		return &Expr{K: ExprLit, V: t.text == "true"}
	case "null":
		p.next()
		return &Expr{K: ExprLit, V: nil}
	case "undefined":
		p.next()
		return &Expr{K: ExprUndef}
	case "new":
		p.fail(t.off, "new is not allowed in WXML expressions")
	case "function":
		p.fail(t.off, "WXML expressions cannot define functions or classes")
	case "this", "super":
		// tdesign names a WXS module "this" (<wxs module="this">), and WeChat resolves
		// {{this.f(x)}} to it; without such a module there is no `this` in WXML.
		if m, ok := p.s.wxs[t.text]; ok {
			p.next()
			return &Expr{K: ExprWxs, M: m}
		}
		p.fail(t.off, "%s is not available in WXML expressions", t.text)
	case "instanceof", "typeof", "void", "delete":
		p.fail(t.off, "unexpected keyword %s", t.text)
	}
	// Any other reserved word is a data key here, as WeChat accepts it ({{switch}},
	// {{default}}, {{class}}): expressions have no statements for it to start. So is
	// `in` where an operand stands ({{ in }}, a property of wux components): the
	// operator only ever follows an operand.
	p.next()
	if m, ok := p.s.wxs[t.text]; ok {
		return &Expr{K: ExprWxs, M: m}
	}
	return &Expr{K: ExprID, N: t.text}
}

func (p *exprParser) array() *Expr {
	open := p.tok.off
	p.next()
	e := &Expr{K: ExprArr, Items: []*Expr{}}
	for !p.is("]") {
		switch {
		case p.tok.kind == tokEOF:
			p.fail(open, "unclosed [")
		case p.is(","):
			p.fail(p.tok.off, "empty array element")
		case p.is("..."):
			p.next()
			e.Items = append(e.Items, &Expr{K: ExprSpread, A: p.expr()})
		default:
			e.Items = append(e.Items, p.expr())
		}
		if !p.is(",") {
			break
		}
		p.next()
	}
	if p.tok.kind == tokEOF {
		p.fail(open, "unclosed [")
	}
	p.expect("]")
	return e
}

// props parses object properties up to the closing token ("}" or "" for the end of
// the expression, as in template data).
func (p *exprParser) props(open int, closing string) []Prop {
	props := []Prop{}
	done := func() bool {
		if closing == "" {
			return p.tok.kind == tokEOF
		}
		return p.is(closing)
	}
	for !done() {
		t := p.tok
		switch {
		case t.kind == tokEOF:
			p.fail(open, "unclosed {")
		case p.is("..."):
			p.next()
			props = append(props, Prop{Spread: p.expr()})
		case p.is("["):
			p.fail(t.off, "computed property names are not supported in WXML expressions")
		case t.kind == tokIdent || t.kind == tokStr || t.kind == tokNum:
			key := t.text
			if t.kind == tokStr {
				key = t.str
			} else if t.kind == tokNum {
				key = jsNumberString(t.num)
			}
			p.next()
			if p.is(":") {
				p.next()
				props = append(props, Prop{Key: key, V: p.expr()})
				break
			}
			if p.is("(") {
				p.fail(p.tok.off, "WXML expressions cannot define functions")
			}
			// {a} is shorthand for {a: a}; only a plain name can be one.
			if t.kind != tokIdent {
				p.fail(p.tok.off, "expected \":\" after property %s", strconv.Quote(key))
			}
			props = append(props, Prop{Key: key, V: p.shorthand(t)})
		default:
			p.rejectOperator()
			p.fail(t.off, "expected a property name, found %s", p.describe())
		}
		if !p.is(",") {
			break
		}
		p.next()
	}
	if closing != "" {
		if p.tok.kind == tokEOF {
			p.fail(open, "unclosed {")
		}
		p.expect(closing)
	} else {
		p.expectEOF()
	}
	return props
}

func (p *exprParser) shorthand(t token) *Expr {
	switch t.text {
	case "true", "false", "null", "undefined", "new", "function", "this", "super",
		"instanceof", "typeof", "void", "delete":
		p.fail(t.off, "%s cannot be a shorthand property", t.text)
	}
	if m, ok := p.s.wxs[t.text]; ok {
		return &Expr{K: ExprWxs, M: m}
	}
	return &Expr{K: ExprID, N: t.text}
}

// jsNumberString formats a number the way JavaScript turns it into a property key.
func jsNumberString(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// next lexes the next token into p.tok.
func (p *exprParser) next() {
	s := p.s.text
	for p.pos < p.end {
		c := s[p.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			p.pos++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[p.pos:p.end])
			if unicode.IsSpace(r) {
				p.pos += n
				continue
			}
		}
		break
	}
	start := p.pos
	if p.pos >= p.end {
		p.tok = token{kind: tokEOF, off: p.end}
		return
	}
	c := s[p.pos]
	switch {
	case isDigit(c) || (c == '.' && p.pos+1 < p.end && isDigit(s[p.pos+1])):
		p.tok = token{kind: tokNum, off: start, num: p.number()}
	case c == '"' || c == '\'':
		p.tok = token{kind: tokStr, off: start, str: p.str()}
	case c == '`':
		p.fail(start, "template literals are not supported in WXML expressions")
	case isIdentStart(s, p.pos):
		p.pos = identEnd(s, p.pos, p.end)
		p.tok = token{kind: tokIdent, off: start, text: s[start:p.pos]}
	default:
		for _, pu := range punctsByByte[c] {
			if strings.HasPrefix(s[p.pos:p.end], pu) {
				// "a?.5:1" is a conditional, not optional chaining.
				if pu == "?." && p.pos+2 < p.end && isDigit(s[p.pos+2]) {
					continue
				}
				p.pos += len(pu)
				p.tok = token{kind: tokPunct, off: start, text: pu}
				return
			}
		}
		r, _ := utf8.DecodeRuneInString(s[p.pos:p.end])
		p.fail(start, "unexpected character %q", r)
	}
}

func (p *exprParser) number() float64 {
	s, start := p.s.text, p.pos
	var f float64
	if s[p.pos] == '0' && p.pos+1 < p.end && strings.ContainsRune("xXoObB", rune(s[p.pos+1])) {
		base := map[byte]int{'x': 16, 'o': 8, 'b': 2}[s[p.pos+1]|0x20]
		p.pos += 2
		for p.pos < p.end && isAlnum(s[p.pos]) {
			p.pos++
		}
		u, err := strconv.ParseUint(s[start+2:p.pos], base, 64)
		if err != nil {
			p.fail(start, "invalid number %s", s[start:p.pos])
		}
		f = float64(u)
	} else {
		if s[p.pos] == '0' && p.pos+1 < p.end && isDigit(s[p.pos+1]) {
			p.fail(start, "legacy octal numbers are not supported (%s)", s[start:min(p.pos+8, p.end)])
		}
		digits := func() {
			for p.pos < p.end && isDigit(s[p.pos]) {
				p.pos++
			}
		}
		digits()
		if p.pos < p.end && s[p.pos] == '.' {
			p.pos++
			digits()
		}
		if p.pos < p.end && (s[p.pos] == 'e' || s[p.pos] == 'E') {
			p.pos++
			if p.pos < p.end && (s[p.pos] == '+' || s[p.pos] == '-') {
				p.pos++
			}
			d := p.pos
			digits()
			if d == p.pos {
				p.fail(start, "invalid number %s", s[start:p.pos])
			}
		}
		var err error
		f, err = strconv.ParseFloat(s[start:p.pos], 64)
		if err != nil || math.IsInf(f, 0) {
			p.fail(start, "number %s is out of range", s[start:p.pos])
		}
	}
	if p.pos < p.end && isIdentStart(s, p.pos) {
		p.fail(p.pos, "unexpected name right after number %s", s[start:p.pos])
	}
	return f
}

// str lexes a quoted string literal with JavaScript escapes.
func (p *exprParser) str() string {
	s, start := p.s.text, p.pos
	q := s[p.pos]
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= p.end || s[p.pos] == '\n' || s[p.pos] == '\r' {
			p.fail(start, "unterminated string")
		}
		c := s[p.pos]
		if c == q {
			p.pos++
			return b.String()
		}
		if c != '\\' {
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= p.end {
			p.fail(start, "unterminated string")
		}
		esc := p.pos - 1
		c = s[p.pos]
		p.pos++
		switch c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0':
			if p.pos < p.end && isDigit(s[p.pos]) {
				p.fail(esc, "octal escapes are not supported")
			}
			b.WriteByte(0)
		case '\n': // line continuation
		case '\r':
			if p.pos < p.end && s[p.pos] == '\n' {
				p.pos++
			}
		case 'x':
			b.WriteRune(rune(p.hex(esc, 2)))
		case 'u':
			b.WriteRune(p.unicodeEscape(esc))
		default:
			if isDigit(c) {
				p.fail(esc, "octal escapes are not supported")
			}
			// Any other escaped character stands for itself, as in JavaScript.
			p.pos--
			r, n := utf8.DecodeRuneInString(s[p.pos:p.end])
			b.WriteRune(r)
			p.pos += n
		}
	}
}

func (p *exprParser) hex(esc, n int) int {
	s := p.s.text
	if p.pos+n > p.end {
		p.fail(esc, "invalid escape sequence")
	}
	v, err := strconv.ParseUint(s[p.pos:p.pos+n], 16, 32)
	if err != nil {
		p.fail(esc, "invalid escape sequence")
	}
	p.pos += n
	return int(v)
}

// unicodeEscape decodes \uXXXX (joining surrogate pairs) and \u{X...}.
func (p *exprParser) unicodeEscape(esc int) rune {
	s := p.s.text
	if p.pos < p.end && s[p.pos] == '{' {
		closeAt := strings.IndexByte(s[p.pos:p.end], '}')
		if closeAt < 2 {
			p.fail(esc, "invalid escape sequence")
		}
		v, err := strconv.ParseUint(s[p.pos+1:p.pos+closeAt], 16, 32)
		if err != nil || v > unicode.MaxRune {
			p.fail(esc, "invalid escape sequence")
		}
		p.pos += closeAt + 1
		return rune(v)
	}
	r := rune(p.hex(esc, 4))
	if r >= 0xD800 && r < 0xDC00 && p.pos+6 <= p.end && s[p.pos] == '\\' && s[p.pos+1] == 'u' {
		if lo, err := strconv.ParseUint(s[p.pos+2:p.pos+6], 16, 32); err == nil && lo >= 0xDC00 && lo < 0xE000 {
			p.pos += 6
			return 0x10000 + (r-0xD800)<<10 + rune(lo-0xDC00)
		}
	}
	return r // a lone surrogate becomes U+FFFD when written
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '_'
}

func isIdentStart(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z')
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func identEnd(s string, i, end int) int {
	for i < end {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isAlnum(c) && c != '$' {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:end])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			return i
		}
		i += n
	}
	return i
}

// isIdent reports whether s is a plain JavaScript identifier.
func isIdent(s string) bool {
	return s != "" && isIdentStart(s, 0) && identEnd(s, 0, len(s)) == len(s)
}

// mustacheEnd returns the offset of the "}}" that closes a {{ whose content starts at
// i, or -1. It skips string literals and balanced braces, so {{ "}}" }} and
// {{ {a: {b: 1}} }} close where a reader expects. A string stops at a line end, and
// the scan gives up at the next {{ (never part of an expression), so a broken
// expression costs a bounded scan; then the first "}}" is taken and the parser
// reports what is wrong (an unterminated string, say).
func mustacheEnd(s string, i, limit int) int {
	start, depth := i, 0
scan:
	for i < limit {
		switch c := s[i]; c {
		case '\'', '"', '`':
			i++
			for i < limit && s[i] != c && s[i] != '\n' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
		case '{':
			if i+1 < limit && s[i+1] == '{' {
				break scan
			}
			depth++
		case '}':
			if depth == 0 && i+1 < limit && s[i+1] == '}' {
				return i
			}
			if depth > 0 {
				depth--
			}
		}
		i++
	}
	if j := strings.Index(s[start:limit], "}}"); j >= 0 {
		return start + j
	}
	return -1
}
