package lint

import (
	"strconv"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

func (c *fileCheck) checkWXSS() {
	for _, p := range c.bannedKind(patternString) {
		for i := 0; ; {
			k := strings.Index(c.src[i:], p.Value)
			if k < 0 {
				break
			}
			c.banned(i+k, p)
			i += k + len(p.Value)
		}
	}
	c.cssURLs(c.src, 0, "wxss/remote-url", "")
}

// cssURLs lexes css (which starts at byte base of the file) and reports url(),
// image-set() strings and @import targets outside the bundle. urlRule is the rule for
// url()s; @import is always wxss/remote-import. where names the context in messages
// ("inline style"), "" for a style sheet.
func (c *fileCheck) cssURLs(src string, base int, urlRule, where string) {
	lx := css.NewLexer(parse.NewInputString(src))
	off := 0
	importAt := -1 // offset of an @import whose target is still to come
	imageSet := 0  // depth inside image-set( ... )
	for {
		tt, data := lx.Next()
		if tt == css.ErrorToken {
			return
		}
		at := off
		off += len(data)
		switch tt {
		case css.WhitespaceToken, css.CommentToken:
			continue
		case css.AtKeywordToken:
			if strings.EqualFold(string(data), "@import") {
				importAt = at
				continue
			}
		case css.URLToken:
			ref := cssURLValue(string(data))
			if importAt >= 0 {
				c.cssImport(ref, base+at)
			} else {
				c.cssURL(ref, base+at, urlRule, where)
			}
		case css.StringToken:
			ref := cssUnquote(string(data))
			if importAt >= 0 {
				c.cssImport(ref, base+at)
			} else if imageSet > 0 {
				c.cssURL(ref, base+at, urlRule, where)
			}
		case css.FunctionToken:
			name := strings.ToLower(string(data))
			if imageSet > 0 || name == "image-set(" || name == "-webkit-image-set(" {
				imageSet++
			}
		case css.LeftParenthesisToken:
			if imageSet > 0 {
				imageSet++
			}
		case css.RightParenthesisToken:
			if imageSet > 0 {
				imageSet--
			}
		}
		importAt = -1
	}
}

func (c *fileCheck) cssURL(ref string, at int, rule, where string) {
	what := "url(" + clip(strings.TrimSpace(ref), 60) + ")"
	if where != "" {
		what += " in " + where
	}
	lower := strings.ToLower(stripURLSpace(ref))
	switch {
	case isRemote(lower):
		c.at(at, rule, "%s is remote: mini-apps load nothing from the network (it is dropped); put the file in the bundle and use its path", what)
	case urlScheme(lower) != "" && urlScheme(lower) != "data":
		c.at(at, rule, "%s uses the %s: scheme: only bundle files and data: URLs are allowed (it is dropped)", what, urlScheme(lower))
	}
}

func (c *fileCheck) cssImport(ref string, at int) {
	lower := strings.ToLower(stripURLSpace(ref))
	if isRemote(lower) || urlScheme(lower) != "" {
		c.at(at, "wxss/remote-import", "@import %s is outside the bundle: mini-apps load nothing from the network (it is dropped); copy the style sheet into the bundle", clip(strings.TrimSpace(ref), 60))
	}
}

// urlScheme is the scheme of a URL ("" for a path).
func urlScheme(lower string) string {
	i := strings.IndexByte(lower, ':')
	if i <= 0 || strings.Trim(lower[:i], "abcdefghijklmnopqrstuvwxyz0123456789+.-") != "" {
		return ""
	}
	return lower[:i]
}

// cssURLValue is the reference inside a url( ) token, quotes and escapes resolved.
func cssURLValue(tok string) string {
	if len(tok) < 5 {
		return ""
	}
	open := strings.IndexByte(tok, '(')
	s := strings.TrimSpace(strings.TrimSuffix(tok[open+1:], ")"))
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') {
		return cssUnquote(s)
	}
	return cssUnescape(s)
}

func cssUnquote(s string) string {
	if len(s) >= 1 && (s[0] == '"' || s[0] == '\'') {
		q := s[:1]
		s = strings.TrimSuffix(s[1:], q) // a bad string token may lack its closing quote
	}
	return cssUnescape(s)
}

// cssUnescape resolves CSS escapes: \ and 1 to 6 hex digits (and one space after
// them), or \ and any other character; an escaped newline is removed.
func cssUnescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && j < i+7 && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
			j++
		}
		if j > i+1 {
			n, _ := strconv.ParseUint(s[i+1:j], 16, 32)
			r := rune(n)
			if r == 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF) {
				r = '\uFFFD'
			}
			b.WriteRune(r)
			if j < len(s) && isSpace(s[j]) {
				j++
			}
			i = j - 1
			continue
		}
		if s[i+1] != '\n' {
			b.WriteByte(s[i+1])
		}
		i++
	}
	return b.String()
}
