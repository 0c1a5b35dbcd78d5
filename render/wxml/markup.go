package wxml

import (
	"strings"
)

// rawNode is the markup tree before WXML rules apply: elements and text with byte
// offsets into their source, so later errors can point at the exact place.
type rawNode struct {
	text     bool // a text node spanning [off, end)
	off      int  // start of the text, or of the element's "<"
	end      int
	tag      string
	attrs    []rawAttr
	children []*rawNode
}

type rawAttr struct {
	name         string
	off          int  // start of the name
	hasValue     bool // false for a boolean attribute written without "="
	vstart, vend int  // the value, without quotes
}

func (n *rawNode) attr(name string) (rawAttr, bool) {
	for i := len(n.attrs) - 1; i >= 0; i-- {
		if n.attrs[i].name == name {
			return n.attrs[i], true
		}
	}
	return rawAttr{}, false
}

type markupParser struct {
	s    *source
	pos  int
	root []*rawNode
	open []*rawNode // elements whose close tag is still to come
}

// parseMarkup parses a whole file into raw nodes. Comments and whitespace-only text
// are dropped here; errors bail out.
func parseMarkup(s *source) []*rawNode {
	p := &markupParser{s: s, pos: s.bom}
	text := s.text
	for p.pos < len(text) {
		if text[p.pos] == '<' && p.pos+1 < len(text) {
			switch c := text[p.pos+1]; {
			case strings.HasPrefix(text[p.pos:], "<!--"):
				end := strings.Index(text[p.pos+4:], "-->")
				if end < 0 {
					s.fail(p.pos, "unclosed comment: missing -->")
				}
				p.pos += 4 + end + 3
				continue
			case c == '/':
				p.closeTag()
				continue
			case isNameStart(c):
				p.openTag()
				continue
			case c == '!' || c == '?':
				s.fail(p.pos, "unexpected %q: only elements, text and <!-- comments --> are allowed", text[p.pos:p.pos+2])
			}
		}
		p.text()
	}
	if len(p.open) > 0 {
		top := p.open[len(p.open)-1]
		s.fail(top.off, "unclosed <%s>", top.tag)
	}
	return p.root
}

func (p *markupParser) add(n *rawNode) {
	if len(p.open) == 0 {
		p.root = append(p.root, n)
		return
	}
	top := p.open[len(p.open)-1]
	top.children = append(top.children, n)
}

// text reads text up to the next tag. A "<" inside {{ }} does not end it: {{a < b}} is
// an expression, not a tag.
func (p *markupParser) text() {
	s := p.s.text
	start := p.pos
	i := p.pos
	for i < len(s) {
		if s[i] == '<' && i > start && i+1 < len(s) && (isNameStart(s[i+1]) || s[i+1] == '/' || s[i+1] == '!' || s[i+1] == '?') {
			break
		}
		if s[i] == '{' && i+1 < len(s) && s[i+1] == '{' {
			end := mustacheEnd(s, i+2, len(s))
			if end < 0 {
				p.s.fail(i, "unclosed {{: missing }}")
			}
			i = end + 2
			continue
		}
		i++
	}
	p.pos = i
	if strings.TrimLeft(s[start:i], " \t\r\n\f") == "" {
		return
	}
	p.add(&rawNode{text: true, off: start, end: i})
}

func (p *markupParser) openTag() {
	s := p.s.text
	n := &rawNode{off: p.pos}
	p.pos++
	n.tag = p.name()
	for {
		p.skipSpace()
		if p.pos >= len(s) {
			p.s.fail(n.off, "unclosed <%s> tag: missing >", n.tag)
		}
		switch {
		case strings.HasPrefix(s[p.pos:], "/>"):
			p.pos += 2
			p.add(n)
			return
		case s[p.pos] == '>':
			p.pos++
			if len(p.open) >= maxDepth {
				p.s.fail(n.off, "elements nested deeper than %d levels", maxDepth)
			}
			p.add(n)
			if n.tag == "wxs" {
				p.script(n)
				return
			}
			p.open = append(p.open, n)
			return
		}
		n.attrs = append(n.attrs, p.attribute(n))
	}
}

func (p *markupParser) attribute(n *rawNode) rawAttr {
	s := p.s.text
	a := rawAttr{off: p.pos}
	for p.pos < len(s) && !strings.ContainsRune(" \t\r\n\f=>/<\"'", rune(s[p.pos])) {
		p.pos++
	}
	a.name = s[a.off:p.pos]
	if a.name == "" {
		p.s.fail(p.pos, "unexpected %q in <%s>", s[p.pos], n.tag)
	}
	p.skipSpace()
	if p.pos >= len(s) || s[p.pos] != '=' {
		return a
	}
	p.pos++
	p.skipSpace()
	a.hasValue = true
	if p.pos >= len(s) {
		p.s.fail(n.off, "unclosed <%s> tag: missing >", n.tag)
	}
	if q := s[p.pos]; q == '"' || q == '\'' {
		a.vstart, a.vend = p.quoted(q)
		p.pos = a.vend + 1
		return a
	}
	a.vstart = p.pos
	for p.pos < len(s) && !strings.ContainsRune(" \t\r\n\f>", rune(s[p.pos])) && !strings.HasPrefix(s[p.pos:], "/>") {
		if strings.HasPrefix(s[p.pos:], "{{") {
			end := mustacheEnd(s, p.pos+2, len(s))
			if end < 0 {
				p.s.fail(p.pos, "unclosed {{: missing }}")
			}
			p.pos = end + 2
			continue
		}
		p.pos++
	}
	a.vend = p.pos
	if a.vstart == a.vend {
		p.s.fail(a.off, "attribute %s has \"=\" but no value", a.name)
	}
	return a
}

// quoted finds the end of a value quoted with q that starts at p.pos. The plain
// reading (up to the next q) wins when its {{ }} all close; otherwise the value is read
// with {{ }} as units, so class="{{ok ? "a" : "b"}}" works too.
func (p *markupParser) quoted(q byte) (start, end int) {
	s := p.s.text
	start = p.pos + 1
	if j := strings.IndexByte(s[start:], q); j >= 0 && mustachesClose(s, start, start+j) {
		return start, start + j
	}
	i := start
	for i < len(s) && s[i] != q {
		if strings.HasPrefix(s[i:], "{{") {
			e := mustacheEnd(s, i+2, len(s))
			if e < 0 {
				p.s.fail(i, "unclosed {{: missing }}")
			}
			i = e + 2
			continue
		}
		i++
	}
	if i >= len(s) {
		p.s.fail(p.pos, "unclosed attribute value: missing %c", q)
	}
	return start, i
}

// mustachesClose reports whether every {{ in s[a:b] has its }} before b.
func mustachesClose(s string, a, b int) bool {
	for {
		j := strings.Index(s[a:b], "{{")
		if j < 0 {
			return true
		}
		e := mustacheEnd(s, a+j+2, b)
		if e < 0 {
			return false
		}
		a = e + 2
	}
}

// script reads the content of <wxs> as raw text up to </wxs>: it is code, where "<"
// is an operator, not a tag.
func (p *markupParser) script(n *rawNode) {
	s := p.s.text
	end := strings.Index(s[p.pos:], "</wxs")
	if end < 0 {
		p.s.fail(n.off, "unclosed <wxs>: missing </wxs>")
	}
	start := p.pos
	n.end = start + end
	n.children = []*rawNode{{text: true, off: start, end: n.end}}
	p.pos = n.end + len("</wxs")
	p.skipSpace()
	if p.pos >= len(s) || s[p.pos] != '>' {
		p.s.fail(n.end, "malformed close tag </wxs: missing >")
	}
	p.pos++
}

func (p *markupParser) closeTag() {
	s := p.s.text
	off := p.pos
	p.pos += 2
	name := p.name()
	p.skipSpace()
	if p.pos >= len(s) || s[p.pos] != '>' {
		p.s.fail(off, "malformed close tag </%s: missing >", name)
	}
	p.pos++
	if len(p.open) == 0 {
		p.s.fail(off, "unexpected </%s>: no element is open", name)
	}
	top := p.open[len(p.open)-1]
	if top.tag != name {
		p.s.fail(off, "unexpected </%s>, expected </%s>", name, top.tag)
	}
	top.end = off
	p.open = p.open[:len(p.open)-1]
}

// name reads a tag name: a letter or "_", then letters, digits, "-", "_", ":" or ".".
func (p *markupParser) name() string {
	s := p.s.text
	start := p.pos
	for p.pos < len(s) && (isAlnum(s[p.pos]) || s[p.pos] == '-' || s[p.pos] == ':' || s[p.pos] == '.') {
		p.pos++
	}
	return s[start:p.pos]
}

func (p *markupParser) skipSpace() {
	s := p.s.text
	for p.pos < len(s) && strings.IndexByte(" \t\r\n\f", s[p.pos]) >= 0 {
		p.pos++
	}
}

func isNameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
