// Package jsguard screens JavaScript before goja parses it. goja's parser has no limits
// of its own: about 100 000 nested brackets overflow the Go stack, which kills the whole
// process (it cannot be recovered), and long chains of labels (x:x:x:…) or arrows
// (a=>a=>…) take time that grows with the square of their length. Check looks at the
// tokens first so that such files are refused before goja sees them — by the linter,
// and by the logic runtime when it loads a module.
package jsguard

import (
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// It is a screen, not a proof: telling a regular expression from a division needs the
// parser's state, and where the tokens alone cannot tell (a "/" after ")" or "}") the
// screen reads a division and stops trusting closing brackets for the rest of the line,
// so that what it cannot read only ever makes its count of nesting higher.

// Limits far above what people or tools write, far below what hurts the parser.
const (
	maxJSNesting = 1000 // brackets, braces, parentheses and template ${ } open at once
	maxJSChain   = 5000 // right-nesting operators (: ? = => **) in one chain, with no , or ; between
	maxJSPrefix  = 5000 // operators in a row (!!!!x, - - -x, typeof typeof x)
)

// Check returns the byte offset of a construct too deep for the parser and what it is,
// or (-1, "").
func Check(src string) (int, string) {
	lx := js.NewLexer(parse.NewInputString(src))
	type level struct {
		open  byte
		chain int // right-nesting operators since the last , or ; at this level
	}
	stack := []level{{open: 0}}
	prev := js.ErrorToken // the previous significant token; ErrorToken: none yet
	prevDot := false      // the token before prev was "."
	untrusted := false    // closers on this line might be inside a regular expression
	prefix := 0           // operators in a row
	off := 0
	for {
		start := off
		tt, data := lx.Next()
		if tt == js.ErrorToken {
			return -1, "" // the end, or a lexing error the parser will report with its position
		}
		off += len(data)
		switch tt {
		case js.WhitespaceToken, js.CommentToken:
			continue
		case js.LineTerminatorToken, js.CommentLineTerminatorToken:
			untrusted = false
			continue
		case js.DivToken, js.DivEqToken:
			switch {
			case regexAllowedAfter(prev, prevDot):
				rt, re := lx.RegExp()
				if rt == js.RegExpToken {
					off = start + len(re)
					tt = js.RegExpToken
				}
			case prev == js.CloseParenToken || prev == js.CloseBraceToken:
				untrusted = true
			}
		}
		top := &stack[len(stack)-1]
		switch tt {
		case js.OpenParenToken, js.OpenBracketToken, js.OpenBraceToken, js.TemplateStartToken:
			stack = append(stack, level{open: openerOf(tt)})
			if len(stack)-1 > maxJSNesting {
				return start, "nesting deeper than 1000 levels"
			}
		case js.CloseParenToken, js.CloseBracketToken, js.CloseBraceToken, js.TemplateEndToken:
			if untrusted {
				break
			}
			want := openerOf(tt)
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].open == want {
					stack = stack[:i] // and anything left open above it
					break
				}
			}
		case js.CommaToken, js.SemicolonToken:
			top.chain = 0
		case js.ColonToken, js.QuestionToken, js.ArrowToken, js.ExpToken:
			if top.chain++; top.chain > maxJSChain {
				return start, "more than 5000 labels, conditionals, arrows or ** in one chain"
			}
		default:
			if isAssignOp(tt) {
				if top.chain++; top.chain > maxJSChain {
					return start, "more than 5000 assignments in one chain"
				}
			}
		}
		if js.IsOperator(tt) || (js.IsReservedWord(tt) && isPrefixWord(tt)) || tt == js.EllipsisToken {
			if prefix++; prefix > maxJSPrefix {
				return start, "more than 5000 operators in a row"
			}
		} else {
			prefix = 0
		}
		prevDot = prev == js.DotToken || prev == js.OptChainToken
		prev = tt
	}
}

func openerOf(tt js.TokenType) byte {
	switch tt {
	case js.OpenParenToken, js.CloseParenToken:
		return '('
	case js.OpenBracketToken, js.CloseBracketToken:
		return '['
	case js.OpenBraceToken, js.CloseBraceToken:
		return '{'
	}
	return '`' // template ${ … }
}

// regexAllowedAfter reports whether a "/" after prev can only start a regular expression.
func regexAllowedAfter(prev js.TokenType, prevDot bool) bool {
	switch {
	case prev == js.ErrorToken, prev == js.TemplateStartToken, prev == js.TemplateMiddleToken:
		return true
	case prev == js.CloseParenToken, prev == js.CloseBracketToken, prev == js.CloseBraceToken,
		prev == js.IncrToken, prev == js.DecrToken, prev == js.PostIncrToken, prev == js.PostDecrToken,
		prev == js.TemplateToken, prev == js.TemplateEndToken, prev == js.StringToken,
		prev == js.RegExpToken, prev == js.PrivateIdentifierToken, js.IsNumeric(prev):
		return false
	case js.IsPunctuator(prev) || js.IsOperator(prev):
		return true
	case js.IsReservedWord(prev) && !prevDot:
		switch prev {
		case js.ThisToken, js.SuperToken, js.NullToken, js.TrueToken, js.FalseToken:
			return false
		}
		return true
	}
	return false // identifiers
}

func isAssignOp(tt js.TokenType) bool {
	switch tt {
	case js.EqToken, js.AddEqToken, js.SubEqToken, js.MulEqToken, js.DivEqToken, js.ModEqToken,
		js.ExpEqToken, js.LtLtEqToken, js.GtGtEqToken, js.GtGtGtEqToken, js.BitAndEqToken,
		js.BitOrEqToken, js.BitXorEqToken, js.AndEqToken, js.OrEqToken, js.NullishEqToken:
		return true
	}
	return false
}

func isPrefixWord(tt js.TokenType) bool {
	switch tt {
	case js.TypeofToken, js.VoidToken, js.DeleteToken, js.NewToken, js.AwaitToken, js.YieldToken:
		return true
	}
	return false
}
