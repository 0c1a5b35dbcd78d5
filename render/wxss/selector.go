package wxss

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tdewolff/parse/v2/css"
)

// scopeSelectorList confines every selector of a rule's list to opts.Scope:
//
//	.a .b        → SCOPE .a .b
//	page, page .x → SCOPE, SCOPE .x        (pages: the page element is the scope element)
//	:host, :host(.on) .x → SCOPE, SCOPE.on .x (components)
//
// With no scope (app.wxss) selectors are only checked and normalised.
func scopeSelectorList(toks []css.Token, opts Options) (string, error) {
	items, err := splitSelectors(toks)
	if err != nil {
		return "", err
	}
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = scopeSelector(item, opts)
	}
	return strings.Join(out, ","), nil
}

func scopeSelector(toks []css.Token, opts Options) string {
	cls := func(t []css.Token) []css.Token { return scopeClasses(t, opts.ClassScope) }
	if opts.Scope == "" {
		return formatSelector(cls(toks))
	}
	first := toks[0]
	switch {
	case opts.Host && first.TokenType == css.ColonToken && len(toks) > 1 &&
		toks[1].TokenType == css.IdentToken && strings.EqualFold(string(toks[1].Data), "host"):
		return opts.Scope + formatSelector(cls(toks[2:]))
	case opts.Host && first.TokenType == css.ColonToken && len(toks) > 1 &&
		toks[1].TokenType == css.FunctionToken && strings.EqualFold(string(toks[1].Data), "host("):
		// The host's own classes are its owner's: they are not scoped.
		end := closingParen(toks, 1)
		return opts.Scope + formatSelector(toks[2:end]) + formatSelector(cls(toks[end+1:]))
	case !opts.Host && first.TokenType == css.IdentToken && strings.EqualFold(string(first.Data), "page"):
		return opts.Scope + formatSelector(cls(toks[1:]))
	case opts.Host && opts.Shared:
		return strings.TrimLeft(formatSelector(cls(toks)), " ")
	}
	return opts.Scope + " " + strings.TrimLeft(formatSelector(cls(toks)), " ")
}

// closingParen is the index of the ')' matching the function or '(' at open.
func closingParen(toks []css.Token, open int) int {
	level := 0
	for i := open; i < len(toks); i++ {
		switch toks[i].TokenType {
		case css.FunctionToken, css.LeftParenthesisToken:
			level++
		case css.RightParenthesisToken:
			level--
			if level == 0 {
				return i
			}
		}
	}
	return len(toks) // splitSelectors checked balance; not reached
}

// splitSelectors splits a selector list at top-level commas and checks that each item
// is made only of what selectors contain.
func splitSelectors(toks []css.Token) ([][]css.Token, error) {
	var items [][]css.Token
	var closers []css.TokenType // brackets open at this point, innermost last
	start := 0
	for i, t := range toks {
		level := len(closers)
		switch t.TokenType {
		case css.FunctionToken, css.LeftParenthesisToken:
			closers = append(closers, css.RightParenthesisToken)
		case css.LeftBracketToken:
			closers = append(closers, css.RightBracketToken)
		case css.RightParenthesisToken, css.RightBracketToken:
			if level == 0 || closers[level-1] != t.TokenType {
				return nil, fmt.Errorf("unbalanced %q in selector", t.Data)
			}
			closers = closers[:level-1]
		case css.CommaToken:
			if level == 0 {
				items = append(items, toks[start:i])
				start = i + 1
			}
		case css.SemicolonToken, css.AtKeywordToken, css.URLToken, css.BadURLToken, css.BadStringToken,
			css.CDOToken, css.CDCToken, css.LeftBraceToken, css.RightBraceToken, css.CustomPropertyNameToken:
			return nil, fmt.Errorf("unexpected %q in selector", t.Data)
		case css.StringToken, css.NumberToken, css.PercentageToken, css.DimensionToken:
			if level == 0 {
				return nil, fmt.Errorf("unexpected %q in selector", t.Data)
			}
		}
	}
	if len(closers) != 0 {
		return nil, errors.New("unbalanced brackets in selector")
	}
	items = append(items, toks[start:])
	for i := range items {
		items[i] = trimSpace(items[i])
		if len(items[i]) == 0 {
			return nil, errors.New("empty selector in list")
		}
	}
	return items, nil
}

// formatSelector writes tokens back with one space around top-level combinators.
func formatSelector(toks []css.Token) string {
	var b strings.Builder
	level := 0
	prev := css.WhitespaceToken
	for _, t := range toks {
		// The parser drops whitespace inside brackets and functions; two words it
		// separated (the case flag in [lang=en i], "of" in :nth-child) must stay apart.
		// A signed number joins as it was (2n+1, 2n-1 read back the same).
		signed := t.TokenType == css.NumberToken && len(t.Data) > 0 && (t.Data[0] == '+' || t.Data[0] == '-')
		if isWord(prev) && (isWord(t.TokenType) || t.TokenType == css.FunctionToken) && !signed {
			b.WriteByte(' ')
		}
		if t.TokenType != css.WhitespaceToken {
			prev = t.TokenType
		} else {
			prev = css.WhitespaceToken
		}
		switch t.TokenType {
		case css.FunctionToken, css.LeftParenthesisToken, css.LeftBracketToken:
			level++
		case css.RightParenthesisToken, css.RightBracketToken:
			level--
		case css.DelimToken:
			if c := string(t.Data); level == 0 && (c == ">" || c == "+" || c == "~") {
				s := strings.TrimRight(b.String(), " ")
				b.Reset()
				b.WriteString(s + " " + c + " ")
				continue
			}
		case css.WhitespaceToken:
			if s := b.String(); strings.HasSuffix(s, " ") {
				continue // after a combinator
			}
		}
		b.Write(t.Data)
	}
	return b.String()
}

func isWord(tt css.TokenType) bool {
	return tt == css.IdentToken || tt == css.NumberToken || tt == css.DimensionToken || tt == css.PercentageToken
}

// keyframeSelector checks and writes a keyframe selector list (from, to, 50%).
func keyframeSelector(toks []css.Token) (string, error) {
	var parts []string
	for _, t := range trimSpace(toks) {
		switch t.TokenType {
		case css.PercentageToken:
			parts = append(parts, string(t.Data))
		case css.IdentToken:
			if s := strings.ToLower(string(t.Data)); s == "from" || s == "to" {
				parts = append(parts, s)
				continue
			}
			return "", fmt.Errorf("%q is not a keyframe selector", t.Data)
		case css.CommaToken, css.WhitespaceToken:
		default:
			return "", fmt.Errorf("%q is not a keyframe selector", t.Data)
		}
	}
	if len(parts) == 0 {
		return "", errors.New("empty keyframe selector")
	}
	return strings.Join(parts, ","), nil
}
