// Package cssesc reads CSS strings and escapes the one way, so that the WXSS compiler
// and the linter agree on what a url() or @import really names: a disagreement would let
// an escaped remote URL past one of them.
package cssesc

import (
	"strconv"
	"strings"
)

// Unquote removes the quotes of a CSS string token (a bad token may lack its closing
// quote) and resolves its escapes.
func Unquote(s string) string {
	if len(s) >= 1 && (s[0] == '"' || s[0] == '\'') {
		q := s[:1]
		s = strings.TrimSuffix(s[1:], q)
	}
	return Unescape(s)
}

// Unescape resolves CSS escapes: \ and 1 to 6 hex digits (and one white space after
// them), or \ and any other character; an escaped newline is removed. A code point
// that is zero, a surrogate or past U+10FFFF becomes U+FFFD, as CSS says.
func Unescape(s string) string {
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

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
