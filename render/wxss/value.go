package wxss

import (
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

	"github.com/sandframe/sandframe/internal/cssesc"
)

// rpxVar is set by the render runtime to windowWidth/750 px.
const rpxVar = "var(--sf-rpx)"

// value rewrites a declaration value: rpx lengths become calc() of rpxVar and url()s
// are inlined or refused. ok is false when the declaration must be dropped (a warning
// says why).
func (f *fileState) value(toks []css.Token, at Diagnostic) (string, bool, error) {
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.TokenType {
		case css.DimensionToken:
			b.WriteString(rpx(t.Data))
		case css.URLToken:
			u, ok := f.url(urlTokenValue(t.Data), string(t.Data), at)
			if !ok {
				return "", false, nil
			}
			b.WriteString(u)
		case css.FunctionToken:
			// url( "x" ) with spaces lexes as a function around a string.
			if strings.EqualFold(string(t.Data), "url(") {
				j := i + 1
				for j < len(toks) && toks[j].TokenType == css.WhitespaceToken {
					j++
				}
				if j < len(toks) && toks[j].TokenType == css.StringToken {
					k := j + 1
					for k < len(toks) && toks[k].TokenType == css.WhitespaceToken {
						k++
					}
					if k < len(toks) && toks[k].TokenType == css.RightParenthesisToken {
						raw := "url(" + string(toks[j].Data) + ")"
						u, ok := f.url(cssesc.Unquote(string(toks[j].Data)), raw, at)
						if !ok {
							return "", false, nil
						}
						b.WriteString(u)
						i = k
						continue
					}
				}
				return "", false, f.errorf(at, "malformed url()")
			}
			if strings.EqualFold(string(t.Data), "constant(") {
				// iOS 11.0's name for env(); kits write both. On the desktop every
				// safe-area inset is 0px, which is what WebKit's env() answers.
				b.WriteString("env(")
				continue
			}
			b.Write(t.Data)
		case css.BadURLToken:
			return "", false, f.errorf(at, "malformed url()")
		case css.BadStringToken:
			return "", false, f.errorf(at, "unterminated string")
		default:
			b.Write(t.Data)
		}
	}
	return b.String(), true, nil
}

// customValue rewrites a custom property's raw value (--gap: 10rpx) the same way.
func (f *fileState) customValue(toks []css.Token, at Diagnostic) (string, bool, error) {
	var raw []byte
	for _, t := range toks {
		raw = append(raw, t.Data...)
	}
	l := css.NewLexer(parse.NewInputBytes(raw))
	var lexed []css.Token
	for {
		tt, data := l.Next()
		if tt == css.ErrorToken {
			break
		}
		if tt == css.CommentToken {
			continue
		}
		lexed = append(lexed, css.Token{TokenType: tt, Data: append([]byte(nil), data...)})
	}
	v, ok, err := f.value(trimSpace(lexed), at)
	return v, ok, err
}

// fontSources rewrites an @font-face src list item by item: a source whose url cannot be
// served (an .eot left out of the bundle, a remote font) is dropped with a warning and the
// others are kept, as a browser skips a source it cannot load. ok is false when none is left.
func (f *fileState) fontSources(toks []css.Token, at Diagnostic) (string, bool, error) {
	var kept []string
	level, start := 0, 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) {
			switch toks[i].TokenType {
			case css.FunctionToken, css.LeftParenthesisToken, css.LeftBracketToken:
				level++
			case css.RightParenthesisToken, css.RightBracketToken:
				level--
			}
			if toks[i].TokenType != css.CommaToken || level != 0 {
				continue
			}
		}
		item := trimSpace(toks[start:i])
		start = i + 1
		if len(item) == 0 {
			continue
		}
		v, ok, err := f.value(item, at)
		if err != nil {
			return "", false, err
		}
		if ok {
			kept = append(kept, v)
		}
	}
	return strings.Join(kept, ","), len(kept) > 0, nil
}

// rpx turns "10rpx" into "calc(10 * var(--sf-rpx))"; other dimensions are unchanged.
func rpx(dim []byte) string {
	s := string(dim)
	if isRpx(dim) {
		return "calc(" + s[:len(s)-3] + " * " + rpxVar + ")"
	}
	return s
}

func isRpx(dim []byte) bool {
	return len(dim) > 3 && strings.EqualFold(string(dim[len(dim)-3:]), "rpx")
}

// rpxMediaPx turns "704rpx" into "352px" (750rpx = 375px) for a media query.
func rpxMediaPx(dim []byte) string {
	n, err := strconv.ParseFloat(string(dim[:len(dim)-3]), 64)
	if err != nil {
		return string(dim) // not a number the browser would take either
	}
	return strconv.FormatFloat(n/2, 'f', -1, 64) + "px"
}

type urlKind uint8

const (
	urlBundle      urlKind = iota // a file in the bundle
	urlData                       // data: URL, kept
	urlFragment                   // #id (SVG references), kept
	urlRemote                     // http:, https:, //host
	urlOtherScheme                // javascript:, file:, blob:...
)

func classifyURL(ref string) urlKind {
	lower := strings.ToLower(strings.TrimSpace(ref))
	switch {
	case strings.HasPrefix(lower, "data:"):
		return urlData
	case strings.HasPrefix(lower, "#"):
		return urlFragment
	case strings.HasPrefix(lower, "//"), strings.HasPrefix(lower, "http:"), strings.HasPrefix(lower, "https:"):
		return urlRemote
	}
	if i := strings.IndexByte(lower, ':'); i > 0 {
		scheme := lower[:i]
		if strings.Trim(scheme, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == "" {
			return urlOtherScheme
		}
	}
	return urlBundle
}

// url resolves one url() reference; raw is its source text, kept when allowed as is.
func (f *fileState) url(ref, raw string, at Diagnostic) (string, bool) {
	switch classifyURL(ref) {
	case urlData, urlFragment:
		return raw, true
	case urlRemote:
		return f.remoteURL(ref, at)
	case urlOtherScheme:
		f.warn(at, "url %s dropped: only bundle files and data: URLs are allowed", ref)
		return "", false
	}
	if ref == "" {
		f.warn(at, "empty url() dropped")
		return "", false
	}
	file := ref
	if i := strings.IndexAny(file, "?#"); i >= 0 { // font.woff?v=1#iefix
		file = file[:i]
	}
	target, err := resolvePath(f.name, file)
	if err != nil {
		f.warn(at, "url %s dropped: %v", ref, err)
		return "", false
	}
	serve := f.c.opts.Image
	if f.inFontFace() && f.c.opts.Font != nil {
		serve = f.c.opts.Font
	}
	if serve != nil {
		if data, ok := serve(target); ok {
			return `url("` + escapeString(data) + `")`, true
		}
	}
	f.warn(at, "url %s dropped: %s is not in the bundle", ref, target)
	return "", false
}

// remoteURL rewrites a remote image url to the shell's image scheme (the page has no
// network; the shell fetches it under its policy). Plain http, fonts and anything
// without a RemoteImage hook are dropped.
func (f *fileState) remoteURL(ref string, at Diagnostic) (string, bool) {
	u := strings.TrimSpace(ref)
	if strings.HasPrefix(u, "//") {
		u = "https:" + u
	}
	switch {
	case !strings.EqualFold(u[:min(len(u), 8)], "https://"):
		f.warn(at, "remote url %s dropped: only https images can be shown", ref)
		return "", false
	case f.inFontFace():
		f.warn(at, "remote font %s dropped: fonts must be in the bundle", ref)
		return "", false
	case f.c.opts.RemoteImage == nil:
		f.warn(at, "remote url %s dropped: mini-apps load nothing remote", ref)
		return "", false
	}
	return `url("` + escapeString(f.c.opts.RemoteImage(u)) + `")`, true
}

func (f *fileState) inFontFace() bool {
	for _, b := range f.blocks {
		if b.kind == blockFontFace {
			return true
		}
	}
	return false
}

// resolvePath resolves ref (relative to the file from, or bundle-absolute with a
// leading "/") to a clean path inside the bundle.
func resolvePath(from, ref string) (string, error) {
	if strings.ContainsAny(ref, "\\\x00") {
		return "", errors.New("backslashes and NUL are not allowed in paths")
	}
	var p string
	if strings.HasPrefix(ref, "/") {
		p = path.Clean(ref[1:])
	} else {
		p = path.Join(path.Dir(from), ref)
	}
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return "", errors.New("path escapes the bundle")
	}
	return p, nil
}

// urlTokenValue extracts the reference from a url(...) token.
func urlTokenValue(tok []byte) string {
	s := string(tok)
	if len(s) < 5 {
		return ""
	}
	s = strings.TrimSpace(s[4 : len(s)-1]) // url( ... )
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') {
		return cssesc.Unquote(s)
	}
	return cssesc.Unescape(s)
}

// escapeString makes s safe inside a double-quoted CSS string.
func escapeString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\a `, "\r", `\d `)
	return r.Replace(s)
}
