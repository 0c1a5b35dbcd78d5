// Package wxss compiles a mini-app's WXSS into CSS the render runtime can insert:
// rpx becomes a CSS variable expression, local @imports are inlined, images are inlined
// as data URLs, remote https images go through the shell's image scheme, anything else
// remote is dropped, and page and component styles are scoped to their element. See docs/wxss.md.
package wxss

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

	"github.com/sandframe/sandframe/internal/cssesc"
	"github.com/sandframe/sandframe/internal/textenc"
)

// Options say how one style file is compiled.
type Options struct {
	// Scope is "" for app.wxss (global); else a selector for the page or component
	// element that every rule is confined to, e.g. `page[data-route="pages/index/index"]`.
	Scope string
	// Host: Scope is a component scope, and ":host" maps to the scope element.
	Host bool
	// ClassScope, when set, confines class selectors to elements of that style scope
	// (scopeClasses): WeChat's styleIsolation.
	ClassScope string
	// Shared (with Host): a styleIsolation "shared" component. Only its :host rules
	// stay confined to Scope; the rest reach the whole document, like app.wxss (their
	// classes still confined to ClassScope, which the host sets to the page's).
	Shared bool
	// Image returns the data URL of a bundle file referenced by url(); ok false when
	// the bundle has no such file.
	Image func(path string) (dataURL string, ok bool)
	// RemoteImage returns the URL the page shows a remote https image through (the
	// shell's image scheme, naming the app); nil drops remote urls with a warning.
	RemoteImage func(httpsURL string) string
	// Font returns the data URL of a bundle font file referenced by url() inside
	// @font-face (the page's CSP admits data: fonts only); nil uses Image.
	Font func(path string) (dataURL string, ok bool)
}

// Diagnostic is a warning, or (as *Diagnostic) an error, at a place in a style file.
type Diagnostic struct {
	File      string
	Line, Col int
	Msg       string
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg)
}

// Error makes *Diagnostic the error type of Compile.
func (d *Diagnostic) Error() string { return d.String() }

// Bounds that keep a hostile bundle from making the compiler do unbounded work.
const (
	maxImports     = 256     // @imports inlined while compiling one file
	maxOutputBytes = 4 << 20 // compiled CSS
)

// Compile compiles file (a slash path inside fsys, the bundle) and everything it
// imports. Problems that lose a declaration are warnings; syntax errors, missing or
// cyclic imports and paths outside the bundle are errors naming file:line:col.
func Compile(fsys fs.FS, file string, opts Options) (string, []Diagnostic, error) {
	c := &compiler{fsys: fsys, opts: opts}
	if err := c.compileFile(file, nil); err != nil {
		return "", c.warnings, err
	}
	return c.out.String(), c.warnings, nil
}

type compiler struct {
	fsys     fs.FS
	opts     Options
	out      strings.Builder
	warnings []Diagnostic
	chain    []string // files being compiled, outermost first: the import chain
	imports  int
}

// blockKind is what the innermost open block of a file is.
type blockKind uint8

const (
	blockRule      blockKind = iota // a style rule: declarations
	blockGroup                      // @media, @supports, @layer: rules, scoped
	blockKeyframes                  // @keyframes: keyframe rules, not scoped
	blockKeyframe                   // one keyframe: declarations
	blockFontFace                   // @font-face: declarations
	blockSkip                       // an at-rule we drop, with everything in it
)

type block struct {
	kind     blockKind
	line     int
	col      int
	wroteAny bool // a declaration was written (for separators)
}

// fileState is the compilation of one file.
type fileState struct {
	c      *compiler
	name   string
	src    []byte
	p      *css.Parser
	blocks []block
	cur    cursor // position of the last lineCol answer
}

type cursor struct{ off, line, col int }

func (c *compiler) compileFile(name string, from *Diagnostic) error {
	for i, f := range c.chain {
		if f == name {
			chain := append(append([]string{}, c.chain[i:]...), name)
			return c.errAt(from, "import cycle: %s", strings.Join(chain, " → "))
		}
	}
	src, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		if from != nil {
			return c.errAt(from, "@import %s: not found in the bundle", name)
		}
		return fmt.Errorf("wxss: %w", err)
	}
	src, enc, ok := textenc.ToUTF8(src)
	if !ok {
		return &Diagnostic{File: name, Line: 1, Col: 1, Msg: "not valid UTF-8, nor GBK/GB18030"}
	}
	if enc != textenc.UTF8 {
		c.warnings = append(c.warnings, Diagnostic{File: name, Line: 1, Col: 1,
			Msg: fmt.Sprintf("not UTF-8: read as %s; save the file as UTF-8", enc)})
	}
	c.chain = append(c.chain, name)
	defer func() { c.chain = c.chain[:len(c.chain)-1] }()
	f := &fileState{c: c, name: name, src: src, p: css.NewParser(parse.NewInputBytes(src), false), cur: cursor{line: 1, col: 1}}
	return f.run()
}

func (c *compiler) errAt(at *Diagnostic, format string, args ...any) error {
	d := *at
	d.Msg = fmt.Sprintf(format, args...)
	return &d
}

func (f *fileState) run() error {
	for {
		start := f.p.Offset()
		gt, tt, data := f.p.Next()
		at := f.pos(start)
		if f.c.out.Len() > maxOutputBytes {
			return f.errorf(at, "compiled CSS is larger than %d bytes", maxOutputBytes)
		}
		if gt == css.ErrorGrammar {
			err := f.p.Err()
			if err == io.EOF {
				if len(f.blocks) > 0 {
					b := f.blocks[len(f.blocks)-1]
					return &Diagnostic{File: f.name, Line: b.line, Col: b.col, Msg: "block is never closed"}
				}
				return nil
			}
			var pe *parse.Error
			if errors.As(err, &pe) {
				return &Diagnostic{File: f.name, Line: pe.Line, Col: pe.Column, Msg: pe.Message}
			}
			return f.errorf(at, "%v", err)
		}
		if err := f.grammar(gt, tt, data, at); err != nil {
			return err
		}
	}
}

// grammar handles one unit from the parser.
func (f *fileState) grammar(gt css.GrammarType, tt css.TokenType, data []byte, at Diagnostic) error {
	top := blockKind(255)
	if len(f.blocks) > 0 {
		top = f.blocks[len(f.blocks)-1].kind
	}
	if top == blockSkip && gt != css.EndAtRuleGrammar && gt != css.BeginAtRuleGrammar {
		return nil
	}
	vals := f.p.Values()
	switch gt {
	case css.CommentGrammar, css.TokenGrammar: // comments, <!-- -->
		return nil

	case css.AtRuleGrammar:
		return f.statementAtRule(string(data), trimSpace(vals), at)

	case css.BeginAtRuleGrammar:
		return f.beginAtRule(string(data), trimSpace(vals), at, top)

	case css.BeginRulesetGrammar:
		switch top {
		case blockRule, blockKeyframe, blockFontFace:
			return f.errorf(at, "nested rules are not supported in WXSS")
		case blockKeyframes:
			sel, err := keyframeSelector(vals)
			if err != nil {
				return f.errorf(at, "%v", err)
			}
			f.write(sel + "{")
			f.push(blockKeyframe, at)
			return nil
		}
		sel, err := scopeSelectorList(vals, f.c.opts)
		if err != nil {
			return f.errorf(at, "%v", err)
		}
		f.write(sel + "{")
		f.push(blockRule, at)
		return nil

	case css.EndRulesetGrammar, css.EndAtRuleGrammar:
		if tt == css.ErrorToken || len(f.blocks) == 0 {
			return nil // end of input: run reports the unclosed block
		}
		b := f.blocks[len(f.blocks)-1]
		f.blocks = f.blocks[:len(f.blocks)-1]
		if b.kind != blockSkip {
			f.write("}\n")
		}
		return nil

	case css.DeclarationGrammar, css.CustomPropertyGrammar:
		if top != blockRule && top != blockKeyframe && top != blockFontFace {
			return f.errorf(at, "declaration %s outside a rule", data)
		}
		var value string
		var ok bool
		var err error
		switch {
		case gt == css.CustomPropertyGrammar:
			value, ok, err = f.customValue(vals, at)
		case top == blockFontFace && strings.EqualFold(string(data), "src"):
			value, ok, err = f.fontSources(vals, at)
		default:
			value, ok, err = f.value(vals, at)
		}
		if err != nil || !ok {
			return err
		}
		b := &f.blocks[len(f.blocks)-1]
		if b.wroteAny {
			f.write(";")
		}
		b.wroteAny = true
		f.write(string(data) + ":" + value)
		return nil
	}
	return nil
}

func (f *fileState) statementAtRule(name string, vals []css.Token, at Diagnostic) error {
	switch atRuleName(name) {
	case "import":
		if len(f.blocks) > 0 && f.blocks[len(f.blocks)-1].kind != blockGroup {
			f.warn(at, "@import inside a rule is ignored")
			return nil
		}
		return f.importRule(vals, at)
	case "charset":
		return nil // the compiled CSS is inserted as a string; its encoding is fixed
	case "layer":
		f.write(name + " " + joinTokens(vals) + ";\n")
		return nil
	}
	f.warn(at, "%s is not supported and is dropped", name)
	return nil
}

func (f *fileState) beginAtRule(name string, vals []css.Token, at Diagnostic, top blockKind) error {
	if top == blockRule || top == blockKeyframe || top == blockFontFace || top == blockKeyframes {
		return f.errorf(at, "%s is not allowed here", name)
	}
	kind := blockSkip
	switch atRuleName(name) {
	case "media", "supports", "layer":
		kind = blockGroup
	case "keyframes":
		kind = blockKeyframes
	case "font-face":
		kind = blockFontFace
	}
	if kind == blockGroup && hasURL(vals) {
		kind = blockSkip // a condition has no business naming a url
	}
	if kind == blockSkip {
		f.warn(at, "%s is not supported and is dropped with its block", name)
		f.push(blockSkip, at)
		return nil
	}
	header := name
	if len(vals) > 0 {
		header += " " + prelude(vals, kind == blockGroup && atRuleName(name) == "media")
	}
	if kind == blockFontFace {
		f.write(header + "{")
	} else {
		f.write(header + "{\n")
	}
	f.push(kind, at)
	return nil
}

// importRule inlines a local @import and drops a remote one.
func (f *fileState) importRule(vals []css.Token, at Diagnostic) error {
	if len(vals) == 0 {
		return f.errorf(at, "@import needs a file")
	}
	var ref string
	rest := vals[1:]
	switch vals[0].TokenType {
	case css.StringToken:
		ref = cssesc.Unquote(string(vals[0].Data))
	case css.URLToken:
		ref = urlTokenValue(vals[0].Data)
	case css.FunctionToken:
		if strings.EqualFold(string(vals[0].Data), "url(") && len(vals) >= 3 && vals[1].TokenType == css.StringToken && vals[2].TokenType == css.RightParenthesisToken {
			ref, rest = cssesc.Unquote(string(vals[1].Data)), vals[3:]
		}
	}
	if ref == "" {
		return f.errorf(at, "@import needs a quoted file name or url(...)")
	}
	switch classifyURL(ref) {
	case urlRemote:
		f.warn(at, "remote @import %s dropped: mini-apps load nothing remote", ref)
		return nil
	case urlData, urlOtherScheme, urlFragment:
		f.warn(at, "@import %s dropped: only files in the bundle can be imported", ref)
		return nil
	}
	target, err := resolvePath(f.name, ref)
	if err != nil {
		return f.errorf(at, "@import %s: %v", ref, err)
	}
	f.c.imports++
	if f.c.imports > maxImports {
		return f.errorf(at, "more than %d @imports", maxImports)
	}
	rest = trimSpace(rest)
	if hasURL(rest) {
		f.warn(at, "@import %s dropped: its media list holds a url", ref)
		return nil
	}
	if len(rest) > 0 {
		f.write("@media " + prelude(rest, true) + "{\n")
	}
	if err := f.c.compileFile(target, &at); err != nil {
		return err
	}
	if len(rest) > 0 {
		f.write("}\n")
	}
	return nil
}

func (f *fileState) push(kind blockKind, at Diagnostic) {
	f.blocks = append(f.blocks, block{kind: kind, line: at.Line, col: at.Col})
}

func (f *fileState) write(s string) { f.c.out.WriteString(s) }

func (f *fileState) warn(at Diagnostic, format string, args ...any) {
	at.Msg = fmt.Sprintf(format, args...)
	f.c.warnings = append(f.c.warnings, at)
}

func (f *fileState) errorf(at Diagnostic, format string, args ...any) error {
	at.Msg = fmt.Sprintf(format, args...)
	return &at
}

// pos is where the grammar unit that follows offset begins: after whitespace,
// comments and the semicolons between declarations.
func (f *fileState) pos(offset int) Diagnostic {
	src := f.src
	for offset < len(src) {
		switch {
		case src[offset] == ' ' || src[offset] == '\t' || src[offset] == '\n' || src[offset] == '\r' || src[offset] == '\f' || src[offset] == ';':
			offset++
		case bytes.HasPrefix(src[offset:], []byte("/*")):
			end := bytes.Index(src[offset+2:], []byte("*/"))
			if end < 0 {
				offset = len(src)
			} else {
				offset += end + 4
			}
		default:
			return f.lineCol(offset)
		}
	}
	return f.lineCol(offset)
}

// lineCol converts a byte offset to a 1-based line and column (in characters). Offsets
// only grow within a file, so it continues from the last answer instead of rescanning.
func (f *fileState) lineCol(offset int) Diagnostic {
	offset = min(offset, len(f.src))
	if offset < f.cur.off {
		f.cur = cursor{line: 1, col: 1}
	}
	for _, r := range string(f.src[f.cur.off:offset]) {
		if r == '\n' {
			f.cur.line, f.cur.col = f.cur.line+1, 1
		} else {
			f.cur.col++
		}
	}
	f.cur.off = offset
	return Diagnostic{File: f.name, Line: f.cur.line, Col: f.cur.col}
}

// atRuleName is the at-rule's name without "@" and vendor prefix: "@-webkit-keyframes" → "keyframes".
func atRuleName(name string) string {
	name = strings.ToLower(strings.TrimPrefix(name, "@"))
	if strings.HasPrefix(name, "-") {
		if i := strings.IndexByte(name[1:], '-'); i >= 0 {
			return name[i+2:]
		}
	}
	return name
}

func trimSpace(toks []css.Token) []css.Token {
	for len(toks) > 0 && toks[0].TokenType == css.WhitespaceToken {
		toks = toks[1:]
	}
	for len(toks) > 0 && toks[len(toks)-1].TokenType == css.WhitespaceToken {
		toks = toks[:len(toks)-1]
	}
	return toks
}

func joinTokens(toks []css.Token) string {
	var b strings.Builder
	for _, t := range toks {
		b.Write(t.Data)
	}
	return b.String()
}

// prelude writes an at-rule's prelude: constant() is env() (see value), and in a media
// query rpx becomes px at the 375px design width (750rpx = 375px), because var() is not
// allowed in media queries and WeChat's own rpx media queries are written for that width.
func prelude(toks []css.Token, media bool) string {
	var b strings.Builder
	for _, t := range toks {
		switch {
		case t.TokenType == css.FunctionToken && strings.EqualFold(string(t.Data), "constant("):
			b.WriteString("env(")
		case media && t.TokenType == css.DimensionToken && isRpx(t.Data):
			b.WriteString(rpxMediaPx(t.Data))
		default:
			b.Write(t.Data)
		}
	}
	return b.String()
}

// hasURL reports whether a prelude holds a url token or a url-like function.
func hasURL(vals []css.Token) bool {
	for _, v := range vals {
		if v.TokenType == css.URLToken {
			return true
		}
		if v.TokenType == css.FunctionToken && strings.HasPrefix(strings.ToLower(string(v.Data)), "url") {
			return true
		}
	}
	return false
}
