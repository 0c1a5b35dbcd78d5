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
// parser's state. After ")" the screen knows it: a regular expression follows only the
// head of if, while, for and with. After "}" it knows it for a block that can only be a
// statement (after ";", another block, else, do, try, finally, a statement head);
// after any other "}" (an object or a function) it reads a division, and does not trust
// closing brackets until where a regular expression starting there would end (the next
// "/" outside a class on the line): what it cannot read only ever makes its count of
// nesting higher, and only for that stretch, so that minified code on one long line is
// measured right.

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
		chain int  // right-nesting operators since the last , or ; at this level
		head  bool // a "(" after if, while, for or with: a regular expression follows its ")"
		block bool // a "{" certainly a block statement: a regular expression follows its "}"
		expr  bool // a "{" certainly an object literal: a division follows its "}"
	}
	stack := []level{{open: 0, block: true}}
	prev := js.ErrorToken  // the previous significant token; ErrorToken: none yet
	prev2 := js.ErrorToken // the one before prev
	prevDot := false       // the token before prev was "."
	closedHead := false    // prev is a ")" that closed a statement head
	closedBlock := false   // prev is a "}" that closed a block statement
	closedExpr := false    // prev is a "}" that closed an object literal
	untrustedLine := false // closers on this line might be inside a regular expression
	untrustedUntil := -1   // closers before this offset might be inside a regular expression
	prefix := 0            // operators in a row
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
			untrustedLine = false
			continue
		case js.DivToken, js.DivEqToken:
			switch {
			case regexAllowedAfter(prev, prevDot) || (prev == js.CloseParenToken && closedHead) || (prev == js.CloseBraceToken && closedBlock):
				rt, re := lx.RegExp()
				if rt == js.RegExpToken {
					off = start + len(re)
					tt = js.RegExpToken
				}
			case prev == js.CloseBraceToken && !closedExpr:
				if end := regexpEnd(src, start); end < 0 {
					untrustedLine = true
				} else {
					untrustedUntil = end
				}
			}
		}
		afterHead, afterBlock := closedHead, closedBlock
		closedHead, closedBlock, closedExpr = false, false, false
		top := &stack[len(stack)-1]
		switch tt {
		case js.OpenParenToken, js.OpenBracketToken, js.OpenBraceToken, js.TemplateStartToken:
			head := tt == js.OpenParenToken && !prevDot && (isHeadWord(prev) || (prev == js.AwaitToken && prev2 == js.ForToken))
			block := tt == js.OpenBraceToken && (prev == js.ErrorToken || prev == js.SemicolonToken ||
				(prev == js.CloseParenToken && afterHead) || (prev == js.CloseBraceToken && afterBlock) ||
				(prev == js.OpenBraceToken && top.block) || prev == js.ElseToken || prev == js.DoToken ||
				prev == js.TryToken || prev == js.FinallyToken)
			expr := tt == js.OpenBraceToken && objectAfter(prev, prevDot)
			stack = append(stack, level{open: openerOf(tt), head: head, block: block, expr: expr})
			if len(stack)-1 > maxJSNesting {
				return start, "nesting deeper than 1000 levels"
			}
		case js.CloseParenToken, js.CloseBracketToken, js.CloseBraceToken, js.TemplateEndToken:
			if untrustedLine || start < untrustedUntil {
				break
			}
			want := openerOf(tt)
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].open == want {
					closedHead, closedBlock, closedExpr = stack[i].head, stack[i].block, stack[i].expr
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
		prev2, prev = prev, tt
	}
}

// objectAfter reports whether a "{" after prev can only open an object literal: prev
// leaves an expression to be completed, and is not ":" (a label, a case) nor "=>" or
// return (a body, a block after a line break).
func objectAfter(prev js.TokenType, prevDot bool) bool {
	switch prev {
	case js.OpenParenToken, js.OpenBracketToken, js.CommaToken, js.QuestionToken,
		js.TemplateStartToken, js.TemplateMiddleToken, js.EllipsisToken:
		return true
	case js.ColonToken, js.ArrowToken, js.SemicolonToken, js.OpenBraceToken, js.CloseBraceToken,
		js.CloseParenToken, js.CloseBracketToken, js.IncrToken, js.DecrToken, js.PostIncrToken, js.PostDecrToken:
		return false
	}
	if prevDot {
		return false
	}
	switch prev {
	case js.TypeofToken, js.VoidToken, js.DeleteToken, js.NewToken, js.InToken, js.InstanceofToken, js.CaseToken, js.AwaitToken:
		return true
	}
	return js.IsOperator(prev) || isAssignOp(prev)
}

// isHeadWord reports the keywords whose parenthesized head a statement follows.
func isHeadWord(tt js.TokenType) bool {
	return tt == js.IfToken || tt == js.WhileToken || tt == js.ForToken || tt == js.WithToken
}

// regexpEnd is the offset just past a regular expression literal starting with the "/"
// at start, or -1 when none ends on its line.
func regexpEnd(src string, start int) int {
	inClass := false
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
			if i < len(src) && (src[i] == '\n' || src[i] == '\r') {
				return -1
			}
		case '\n', '\r':
			return -1
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				return i + 1
			}
		case 0xE2: // U+2028, U+2029 end a line too
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
				return -1
			}
		}
	}
	return -1
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
