package lint

import (
	"html"
	"strings"
)

// The WXML checks scan tags and attributes with their offsets. render/wxml keeps its
// markup parser to itself and stops at the first error, and the checks want every
// finding, so this is a small tolerant scanner that reads markup the way it does
// (comments, quotes, {{ }} that may hold quotes and "<").

// wxmlAttr is one attribute of a tag.
type wxmlAttr struct {
	name     string
	off      int // of the name
	hasValue bool
	value    string // as written, without quotes
	voff     int    // of the value
}

func (c *fileCheck) checkWXML() {
	s := c.src
	for _, p := range c.bannedKind(patternString) {
		for i := 0; ; {
			k := strings.Index(s[i:], p.Value)
			if k < 0 {
				break
			}
			c.banned(i+k, p)
			i += k + len(p.Value)
		}
	}
	i := 0
	if strings.HasPrefix(s, "\xef\xbb\xbf") {
		i = 3
	}
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			return
		}
		i += lt
		switch {
		case strings.HasPrefix(s[i:], "<!--"):
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				c.at(i, "wxml/syntax", "unclosed comment: missing -->; the rest of the file was not checked")
				return
			}
			i += 4 + end + 3
		case i+1 < len(s) && s[i+1] == '/':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				c.at(i, "wxml/syntax", "malformed close tag: missing >")
				return
			}
			i += end + 1
		case i+1 < len(s) && isTagStart(s[i+1]):
			next, ok := c.wxmlTag(i)
			if !ok {
				return
			}
			i = next
		default:
			i++ // a "<" in text
		}
	}
}

func isTagStart(b byte) bool { return b == '_' || (b|0x20 >= 'a' && b|0x20 <= 'z') }

func isTagChar(b byte) bool {
	return isTagStart(b) || b >= '0' && b <= '9' || b == '-' || b == ':' || b == '.'
}

// wxmlTag reads the tag that starts at off and checks it; it returns where scanning
// goes on, or false when the rest of the file cannot be read.
func (c *fileCheck) wxmlTag(off int) (int, bool) {
	s := c.src
	i := off + 1
	for i < len(s) && isTagChar(s[i]) {
		i++
	}
	tag := s[off+1 : i]
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			c.at(off, "wxml/syntax", "unclosed <%s> tag: missing >; the rest of the file was not checked", tag)
			return 0, false
		}
		if s[i] == '>' {
			if tag == "wxs" { // WXS code, where "<" is an operator: the compiler checks it
				if j := strings.Index(s[i+1:], "</wxs"); j >= 0 {
					return i + 1 + j, true
				}
			}
			return i + 1, true
		}
		if strings.HasPrefix(s[i:], "/>") {
			return i + 2, true
		}
		a := wxmlAttr{off: i}
		for i < len(s) && !strings.ContainsRune(" \t\r\n\f=>/<\"'", rune(s[i])) {
			i++
		}
		a.name = s[a.off:i]
		if a.name == "" {
			i++ // a stray character in the tag; the compiler reports it
			continue
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			a.hasValue = true
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				end, ok := quotedEnd(s, i+1, s[i])
				if !ok {
					c.at(i, "wxml/syntax", "unclosed attribute value: missing %c; the rest of the file was not checked", s[i])
					return 0, false
				}
				a.voff, a.value = i+1, s[i+1:end]
				i = end + 1
			} else {
				a.voff = i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' && !strings.HasPrefix(s[i:], "/>") {
					if strings.HasPrefix(s[i:], "{{") {
						if e := mustacheEnd(s, i+2); e >= 0 {
							i = e + 2
							continue
						}
					}
					i++
				}
				a.value = s[a.voff:i]
			}
		}
		c.wxmlAttr(tag, a)
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' }

// quotedEnd finds the closing quote q of a value starting at start: the plain reading
// when its {{ }} all close, else reading {{ }} as units (class="{{a ? "x" : "y"}}").
func quotedEnd(s string, start int, q byte) (int, bool) {
	if j := strings.IndexByte(s[start:], q); j >= 0 && mustachesClose(s[start:start+j]) {
		return start + j, true
	}
	for i := start; i < len(s); {
		if s[i] == q {
			return i, true
		}
		if strings.HasPrefix(s[i:], "{{") {
			if e := mustacheEnd(s, i+2); e >= 0 {
				i = e + 2
				continue
			}
		}
		i++
	}
	return 0, false
}

func mustachesClose(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return true
		}
		e := mustacheEnd(s, i+j+2)
		if e < 0 {
			return false
		}
		i = e + 2
	}
}

// mustacheEnd finds the "}}" closing an expression that starts at i, skipping quoted
// strings inside it; -1 when there is none.
func mustacheEnd(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return -1
			}
			i += j + 2
		case strings.HasPrefix(s[i:], "}}"):
			return i
		default:
			i++
		}
	}
	return -1
}

// resourceAttrs name attributes whose value the page would load.
var resourceAttrs = map[string]bool{"src": true, "srcset": true, "href": true, "xlink:href": true,
	"poster": true, "background": true, "icon": true, "image": true, "icon-path": true, "iconpath": true}

func (c *fileCheck) wxmlAttr(tag string, a wxmlAttr) {
	lower := strings.ToLower(a.name)
	if len(lower) > 2 && strings.HasPrefix(lower, "on") {
		c.at(a.off, "wxml/inline-handler", "attribute %s on <%s> is an inline handler, which never runs (the render runtime drops on* attributes): bind events with bindtap/catchtap, or rename the property", a.name, tag)
	}
	if !a.hasValue || strings.HasPrefix(lower, "data-") || strings.HasPrefix(lower, "mark:") {
		return
	}
	// Only the static text before any {{ }} is known here; entities are decoded the
	// way the compiler decodes them.
	static := a.value
	if k := strings.Index(static, "{{"); k >= 0 {
		static = static[:k]
	}
	decoded := strings.ToLower(stripURLSpace(html.UnescapeString(static)))
	if strings.HasPrefix(decoded, "javascript:") || strings.HasPrefix(decoded, "vbscript:") {
		c.at(a.voff, "wxml/javascript-url", "%s=\"%s…\" on <%s> is a script URL, which does nothing: pages run no script and a navigator with it does not navigate; bind an event handler for behaviour", a.name, decoded[:strings.IndexByte(decoded, ':')+1], tag)
		return
	}
	if lower == "style" {
		c.cssURLs(a.value, a.voff, "wxml/remote-resource", "inline style")
		return
	}
	if (resourceAttrs[lower] || strings.HasSuffix(lower, "src")) && isRemote(decoded) {
		if tag == "image" && lower == "src" && !strings.HasPrefix(decoded, "http:") {
			return // https: the shell fetches it for the page (images.remote, docs/netapi.md)
		}
		c.at(a.voff, "wxml/remote-resource", "%s on <%s> points outside the bundle (%s): the page loads nothing from the network; put the file in the bundle and use its path", a.name, tag, clip(strings.TrimSpace(html.UnescapeString(static)), 60))
	}
}

// stripURLSpace drops what browsers ignore in a URL before reading its scheme: leading
// spaces and control characters, and tabs and newlines anywhere.
func stripURLSpace(s string) string {
	s = strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	if strings.ContainsAny(s, "\t\n\r") {
		s = urlSpace.Replace(s)
	}
	return s
}

var urlSpace = strings.NewReplacer("\t", "", "\n", "", "\r", "")

func isRemote(lower string) bool {
	return strings.HasPrefix(lower, "http:") || strings.HasPrefix(lower, "https:") || strings.HasPrefix(lower, "//")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
