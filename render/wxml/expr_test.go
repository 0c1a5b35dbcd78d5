package wxml

import (
	"encoding/json"
	"strings"
	"testing"
)

// sexpr prints an expression compactly so that precedence is visible at a glance.
func sexpr(e *Expr) string {
	if e == nil {
		return "nil"
	}
	switch e.K {
	case ExprLit:
		b, _ := json.Marshal(e.V)
		return string(b)
	case ExprUndef:
		return "undefined"
	case ExprID:
		return e.N
	case ExprMem:
		return "(mem " + sexpr(e.O) + " " + sexpr(e.P) + ")"
	case ExprUn:
		return "(" + e.Op + " " + sexpr(e.A) + ")"
	case ExprBin:
		return "(" + e.Op + " " + sexpr(e.A) + " " + sexpr(e.B) + ")"
	case ExprCond:
		return "(? " + sexpr(e.C) + " " + sexpr(e.A) + " " + sexpr(e.B) + ")"
	case ExprSpread:
		return "..." + sexpr(e.A)
	case ExprArr:
		var parts []string
		for _, it := range e.Items {
			parts = append(parts, sexpr(it))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case ExprObj:
		var parts []string
		for _, p := range e.Props {
			if p.Spread != nil {
				parts = append(parts, "..."+sexpr(p.Spread))
			} else {
				parts = append(parts, p.Key+":"+sexpr(p.V))
			}
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return "?" + e.K
}

func TestParseExpr(t *testing.T) {
	tests := []struct{ src, want string }{
		// paths
		{"a", "a"},
		{"a.b.c", `(mem (mem a "b") "c")`},
		{"a[0]", "(mem a 0)"},
		{"a[i]", "(mem a i)"},
		{"a[i + 1].b", `(mem (mem a (+ i 1)) "b")`},
		{"a['x y']", `(mem a "x y")`},
		{"a.in.new", `(mem (mem a "in") "new")`},
		{" in ", "in"},
		{"in in o", "(in in o)"},
		{"in ? in.a : 0", `(? in (mem in "a") 0)`},
		{"$x._y", `(mem $x "_y")`},
		{"ñame", "ñame"},
		// literals
		{`'it\'s'`, `"it's"`},
		{`"say \"hi\""`, `"say \"hi\""`},
		{`'a\nb\tc\\d'`, `"a\nb\tc\\d"`},
		{`'\x41\u0042\u{43}\q'`, `"ABCq"`},
		{`'\uD83D\uDE00'`, `"😀"`},
		{`"}}"`, `"}}"`},
		{"42", "42"},
		{"3.25", "3.25"},
		{".5", "0.5"},
		{"1.", "1"},
		{"1e3", "1000"},
		{"2.5E-3", "0.0025"},
		{"0x1F", "31"},
		{"0b101", "5"},
		{"0o17", "15"},
		{"0", "0"},
		{"true", "true"},
		{"false", "false"},
		{"null", "null"},
		{"undefined", "undefined"},
		// operators and precedence
		{"a + b * c", "(+ a (* b c))"},
		{"(a + b) * c", "(* (+ a b) c)"},
		{"a - b - c", "(- (- a b) c)"},
		{"a / b % c", "(% (/ a b) c)"},
		{"a < b == c > d", "(== (< a b) (> c d))"},
		{"a || b && c", "(|| a (&& b c))"},
		{"a && b || c", "(|| (&& a b) c)"},
		{"!a && !b", "(&& (! a) (! b))"},
		{"a ? b : c ? d : e", "(? a b (? c d e))"},
		{"a ? b ? c : d : e", "(? a (? b c d) e)"},
		{"a || b ? c : d", "(? (|| a b) c d)"},
		{"x > 0 ? 'pos' : 'neg'", `(? (> x 0) "pos" "neg")`},
		{"'n: ' + n + '!'", `(+ (+ "n: " n) "!")`},
		{"a === b !== c", "(!== (=== a b) c)"},
		{"a <= b", "(<= a b)"},
		{"a >= b", "(>= a b)"},
		{"a != b", "(!= a b)"},
		{"'k' in o", `(in "k" o)`},
		{"-x", "(- x)"},
		{"-5", "-5"},
		{"- -5", "5"},
		{"+x", "(+ x)"},
		{"!!x", "(! (! x))"},
		{"typeof x === 'string'", `(=== (typeof x) "string")`},
		{"typeof a.b", `(typeof (mem a "b"))`},
		{"-a * b", "(* (- a) b)"},
		{"a?.5:1", "(? a 0.5 1)"},
		{"  a  ", "a"},
		{"a\n+\nb", "(+ a b)"},
		// array and object literals
		{"[]", "[]"},
		{"[1, 2, 3,]", "[1 2 3]"},
		{"[...a, b]", "[...a b]"},
		{"{}", "{}"},
		{"{a: 1, 'b-c': 2, 3: x}", `{a:1 b-c:2 3:x}`},
		{"{a, ...b, c: [1]}", "{a:a ...b c:[1]}"},
		{"{for: a, in: b}", "{for:a in:b}"},
		{"{a: {b: {c: 1}}}", "{a:{b:{c:1}}}"},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.src)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.src, err)
			continue
		}
		if got := sexpr(e); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "1:1: empty expression"},
		{"   ", "1:1: empty expression"},
		{"f(x)", "1:2: WXML expressions can call only functions of WXS modules"},
		{"a.b.c()", "1:6: WXML expressions can call only functions of WXS modules"},
		{"a[0](1)", "1:5: WXML expressions can call only functions of WXS modules"},
		{"(a)(b)", "1:4: WXML expressions can call only functions of WXS modules"},
		{"a = 1", "1:3: assignment (=) is not allowed in WXML expressions"},
		{"a += 1", "1:3: assignment (+=) is not allowed in WXML expressions"},
		{"a++", "1:2: ++ is not allowed in WXML expressions"},
		{"--a", "1:1: -- is not allowed in WXML expressions"},
		{"new Date", "1:1: new is not allowed in WXML expressions"},
		{"a + new X()", "1:5: new is not allowed in WXML expressions"},
		{"/ab+c/i", "1:1: regular expressions are not supported in WXML expressions"},
		{"a || /x/", "1:6: regular expressions are not supported in WXML expressions"},
		{"`hi ${a}`", "1:1: template literals are not supported in WXML expressions"},
		{"a ? `x` : b", "1:5: template literals are not supported in WXML expressions"},
		{"x => x", "1:3: WXML expressions cannot define functions"},
		{"function() {}", "1:1: WXML expressions cannot define functions or classes"},
		{"{a() {}}", "1:3: WXML expressions cannot define functions"},
		{"a?.b", "1:2: optional chaining (?.) is not supported in WXML expressions"},
		{"a ?? b", "1:3: operator ?? is not supported in WXML expressions"},
		{"a & b", "1:3: operator & is not supported in WXML expressions"},
		{"a ** 2", "1:3: operator ** is not supported in WXML expressions"},
		{"~a", "1:1: operator ~ is not supported in WXML expressions"},
		{"void 0", "1:1: operator void is not supported in WXML expressions"},
		{"a instanceof B", "1:3: operator instanceof is not supported in WXML expressions"},
		{"this.x", "1:1: this is not available in WXML expressions"},
		{"a; b", "1:2: WXML expressions cannot contain statements (;)"},
		{"a, b", "1:2: unexpected \",\": a WXML expression is a single value"},
		{"a b", "1:3: unexpected \"b\" after expression"},
		{"'abc", "1:1: unterminated string"},
		{"'ab\ncd'", "1:1: unterminated string"},
		{"'\\x4'", "1:2: invalid escape sequence"},
		{"'\\u{110000}'", "1:2: invalid escape sequence"},
		{"'\\01'", "1:2: octal escapes are not supported"},
		{"012", "1:1: legacy octal numbers are not supported (012)"},
		{"1e", "1:1: invalid number 1e"},
		{"1e999", "1:1: number 1e999 is out of range"},
		{"0xZ", "1:1: invalid number 0xZ"},
		{"3in", "1:2: unexpected name right after number 3"},
		{"a +", "1:4: unexpected end of expression"},
		{"a ? b", "1:6: expected :, found end of expression"},
		{"(a", "1:3: expected ), found end of expression"},
		{"()", "1:2: unexpected \")\": empty parentheses"},
		{"[1,,2]", "1:4: empty array element"},
		{"[1, 2", "1:1: unclosed ["},
		{"{a: 1", "1:1: unclosed {"},
		{"{[k]: 1}", "1:2: computed property names are not supported in WXML expressions"},
		{"{'a'}", "1:5: expected \":\" after property \"a\""},
		{"{true}", "1:2: true cannot be a shorthand property"},
		{"a.1", "1:2: unexpected number 0.1 after expression"},
		{"a.", "1:3: expected a property name after \".\", found end of expression"},
		{"var x", "1:5: unexpected \"x\" after expression"},
		{"a\n  + @", "2:5: unexpected \"@\""},
		{"a ¤ b", "1:3: unexpected character '¤'"},
	}
	for _, tt := range tests {
		_, err := ParseExpr(tt.src)
		if err == nil {
			t.Errorf("ParseExpr(%q) succeeded, want %q", tt.src, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseExpr(%q)\n got: %v\nwant: %s", tt.src, err, tt.want)
		}
	}
}

func TestParseExprDepth(t *testing.T) {
	ok := strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1)
	if _, err := ParseExpr(ok); err != nil {
		t.Errorf("depth %d: %v", maxDepth-1, err)
	}
	for _, src := range []string{
		strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1),
		strings.Repeat("!", 10*maxDepth) + "a",
		strings.Repeat("a ? b : ", maxDepth+1) + "c",
		"a" + strings.Repeat(".b", maxDepth+1),
		strings.Repeat("{a:", maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1),
	} {
		_, err := ParseExpr(src)
		if err == nil || !strings.Contains(err.Error(), "nested deeper than 256 levels") {
			t.Errorf("ParseExpr(%.20q...) = %v, want a depth error", src, err)
		}
	}
}

func TestExprJSON(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a.b", `{"k":"mem","o":{"k":"id","n":"a"},"p":{"k":"lit","v":"b"}}`},
		{"false", `{"k":"lit","v":false}`},
		{"0", `{"k":"lit","v":0}`},
		{"null", `{"k":"lit","v":null}`},
		{"''", `{"k":"lit","v":""}`},
		{"undefined", `{"k":"undef"}`},
		{"1e21", `{"k":"lit","v":1e+21}`},
		{"1e-7", `{"k":"lit","v":1e-7}`},
		{"'<&>\u2028'", `{"k":"lit","v":"\u003c\u0026\u003e\u2028"}`}, // json.Marshal escapes HTML
		{"!a", `{"k":"un","op":"!","a":{"k":"id","n":"a"}}`},
		{"a ? 1 : 2", `{"k":"cond","c":{"k":"id","n":"a"},"a":{"k":"lit","v":1},"b":{"k":"lit","v":2}}`},
		{"[...a]", `{"k":"arr","items":[{"k":"spread","a":{"k":"id","n":"a"}}]}`},
		{"[]", `{"k":"arr","items":[]}`},
		{"{a, ...b}", `{"k":"obj","props":[{"key":"a","v":{"k":"id","n":"a"}},{"spread":{"k":"id","n":"b"}}]}`},
		{"a % b", `{"k":"bin","op":"%","a":{"k":"id","n":"a"},"b":{"k":"id","n":"b"}}`},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.src)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", tt.src, err)
		}
		got, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("JSON of %q\n got: %s\nwant: %s", tt.src, got, tt.want)
		}
		var back Expr
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if sexpr(&back) != sexpr(e) {
			t.Errorf("round trip of %q: %s != %s", tt.src, sexpr(&back), sexpr(e))
		}
	}
}
