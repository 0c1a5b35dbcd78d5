package wxss

import "github.com/tdewolff/parse/v2/css"

// ClassScopeAttr is the attribute the render runtime puts on every element it builds:
// the style scopes whose class rules may style it (docs/render-runtime.md, "Style
// isolation"), e.g. sf-s="p" for a page's own elements, sf-s="c1a2b3c4 p" for an
// apply-shared component's.
const ClassScopeAttr = "sf-s"

// scopeClasses confines the class selectors of toks to elements of one style scope,
// the way WeChat isolates component styles by class: `.a .b::after` becomes
// `.a:where([sf-s~="T"]) .b:where([sf-s~="T"])::after`. Tag, id and attribute selectors stay as they
// are (WeChat does not isolate them either). Classes inside functions (:not(.a)) are
// left alone. An empty token changes nothing.
func scopeClasses(toks []css.Token, token string) []css.Token {
	if token == "" {
		return toks
	}
	// :where() adds no specificity: the cascade between the app's rules stays as the
	// app wrote it. The mark is one token of a type formatSelector never spaces from
	// the class before it (two words there get a space).
	mark := css.Token{TokenType: css.ColonToken, Data: []byte(`:where([` + ClassScopeAttr + `~="` + token + `"])`)}
	out := make([]css.Token, 0, len(toks)+2)
	level := 0
	for i, t := range toks {
		out = append(out, t)
		switch t.TokenType {
		case css.FunctionToken, css.LeftParenthesisToken, css.LeftBracketToken:
			level++
		case css.RightParenthesisToken, css.RightBracketToken:
			level--
		case css.IdentToken:
			if level == 0 && i > 0 && toks[i-1].TokenType == css.DelimToken && string(toks[i-1].Data) == "." {
				out = append(out, mark)
			}
		}
	}
	return out
}
