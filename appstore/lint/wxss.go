package lint

import (
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

	"github.com/sandframe/sandframe/internal/cssesc"
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
			ref := cssesc.Unquote(string(data))
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
	case isRemote(lower) && !strings.HasPrefix(lower, "http:"):
		// https: the shell fetches it for the page (images.remote)
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
		return cssesc.Unquote(s)
	}
	return cssesc.Unescape(s)
}
