package jsc

import (
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// Imports lists the modules src names by a literal path: require('x'), import ... from
// 'x', import 'x', export ... from 'x', import('x'). It returns pairs (file, request),
// flattened, ready for Resolve. It reads tokens, not a syntax tree: a miss only means a
// module compiles when it is first required, and a false find only compiles a file early.
func Imports(file string, src []byte) []string {
	type tok struct {
		tt   js.TokenType
		text string
	}
	lx := js.NewLexer(parse.NewInputBytes(src))
	var out []string
	var prev, prev2 tok
	for {
		tt, data := lx.Next()
		switch tt {
		case js.ErrorToken:
			return out
		case js.WhitespaceToken, js.LineTerminatorToken, js.CommentToken, js.CommentLineTerminatorToken:
			continue
		case js.StringToken:
			called := prev.tt == js.OpenParenToken && (prev2.tt == js.ImportToken || prev2.text == "require")
			if (prev.tt == js.FromToken || prev.tt == js.ImportToken || called) && len(data) >= 2 {
				if req := string(data[1 : len(data)-1]); req != "" && !strings.ContainsAny(req, "\\\n") {
					out = append(out, file, req)
				}
			}
		}
		t := tok{tt: tt}
		if tt == js.IdentifierToken {
			t.text = string(data)
		}
		prev2, prev = prev, t
	}
}
