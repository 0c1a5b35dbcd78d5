package assets

import "testing"

// Expression builders: the EXPR JSON of docs/template.md.
type expr = map[string]any

func lit(v any) expr               { return expr{"k": "lit", "v": v} }
func undef() expr                  { return expr{"k": "undef"} }
func id(n string) expr             { return expr{"k": "id", "n": n} }
func mem(o, p expr) expr           { return expr{"k": "mem", "o": o, "p": p} }
func dot(o expr, name string) expr { return mem(o, lit(name)) }
func un(op string, a expr) expr    { return expr{"k": "un", "op": op, "a": a} }
func bin(op string, a, b expr) expr {
	return expr{"k": "bin", "op": op, "a": a, "b": b}
}
func cond(c, a, b expr) expr     { return expr{"k": "cond", "c": c, "a": a, "b": b} }
func arr(items ...expr) expr     { return expr{"k": "arr", "items": items} }
func spread(a expr) expr         { return expr{"k": "spread", "a": a} }
func obj(props ...expr) expr     { return expr{"k": "obj", "props": props} }
func prop(k string, v expr) expr { return expr{"key": k, "v": v} }
func spreadProp(a expr) expr     { return expr{"spread": a} }

func TestEvalExpr(t *testing.T) {
	data := map[string]any{
		"n": 3, "s": "abc", "zero": 0, "empty": "", "nil": nil, "t": true,
		"user": map[string]any{"name": "Ann", "tags": []any{"a", "b"}},
		"list": []any{map[string]any{"done": true}, map[string]any{"done": false}},
		"i":    1,
	}
	tests := []struct {
		name string
		e    expr
		want string
	}{
		{"lit string", lit("hi"), `"hi"`},
		{"lit number", lit(1.5), `1.5`},
		{"lit bool", lit(true), `true`},
		{"lit null", lit(nil), `null`},
		{"undef", undef(), `"<undefined>"`},
		{"id", id("n"), `3`},
		{"missing id", id("nope"), `"<undefined>"`},
		{"member", dot(id("user"), "name"), `"Ann"`},
		{"computed member", mem(id("list"), id("i")), `{"done":false}`},
		{"index then member", dot(mem(id("list"), lit(0)), "done"), `true`},
		{"array length", dot(id("list"), "length"), `2`},
		{"string length", dot(id("s"), "length"), `3`},
		{"string index", mem(id("s"), lit(1)), `"b"`},
		{"missing object path", dot(dot(id("nope"), "a"), "b"), `"<undefined>"`},
		{"member of null", dot(id("nil"), "a"), `"<undefined>"`},
		{"member of number", dot(id("n"), "a"), `"<undefined>"`},
		{"inherited member hidden", dot(id("user"), "constructor"), `"<undefined>"`},
		{"proto hidden", dot(id("user"), "__proto__"), `"<undefined>"`},
		{"not", un("!", id("zero")), `true`},
		{"negate", un("-", id("n")), `-3`},
		{"plus coerces", un("+", lit("4")), `4`},
		{"typeof missing", un("typeof", id("nope")), `"undefined"`},
		{"typeof object", un("typeof", id("user")), `"object"`},
		{"add numbers", bin("+", id("n"), lit(2)), `5`},
		{"add string", bin("+", lit("n="), id("n")), `"n=3"`},
		{"add undefined", bin("+", id("nope"), lit(1)), `"<NaN>"`},
		{"sub", bin("-", id("n"), lit(5)), `-2`},
		{"mul", bin("*", id("n"), lit(4)), `12`},
		{"div", bin("/", id("n"), lit(2)), `1.5`},
		{"div by zero", bin("/", id("n"), lit(0)), `"<Infinity>"`},
		{"mod", bin("%", lit(7), id("n")), `1`},
		{"loose eq", bin("==", lit("3"), id("n")), `true`},
		{"loose eq null undefined", bin("==", id("nil"), id("nope")), `true`},
		{"loose ne", bin("!=", lit("3"), id("n")), `false`},
		{"strict eq", bin("===", lit("3"), id("n")), `false`},
		{"strict ne", bin("!==", lit("3"), id("n")), `true`},
		{"lt", bin("<", id("n"), lit(4)), `true`},
		{"le", bin("<=", id("n"), lit(3)), `true`},
		{"gt", bin(">", id("n"), lit(3)), `false`},
		{"ge", bin(">=", id("n"), lit(3)), `true`},
		{"string compare", bin("<", lit("a"), lit("b")), `true`},
		{"and short-circuits", bin("&&", id("zero"), dot(id("nope"), "x")), `0`},
		{"and", bin("&&", id("t"), id("s")), `"abc"`},
		{"or", bin("||", id("empty"), lit("default")), `"default"`},
		{"or short-circuits", bin("||", id("s"), dot(id("nope"), "x")), `"abc"`},
		{"in object", bin("in", lit("name"), id("user")), `true`},
		{"in missing", bin("in", lit("age"), id("user")), `false`},
		{"in array index", bin("in", lit(1), id("list")), `true`},
		{"in non-object", bin("in", lit("a"), id("s")), `false`},
		{"cond true", cond(id("t"), lit("y"), lit("n")), `"y"`},
		{"cond false", cond(id("zero"), lit("y"), lit("n")), `"n"`},
		{"array", arr(lit(1), id("n")), `[1,3]`},
		{"array spread", arr(lit(0), spread(dot(id("user"), "tags")), lit(9)), `[0,"a","b",9]`},
		{"array spread string", arr(spread(id("s"))), `["a","b","c"]`},
		{"array spread missing", arr(spread(id("nope")), lit(1)), `[1]`},
		{"object", obj(prop("a", lit(1)), prop("n", id("n"))), `{"a":1,"n":3}`},
		{"object spread", obj(spreadProp(id("user")), prop("name", lit("Bo"))), `{"name":"Bo","tags":["a","b"]}`},
		{"object spread missing", obj(spreadProp(id("nope")), prop("a", lit(1))), `{"a":1}`},
		{"object proto key dropped", obj(prop("__proto__", lit(1)), prop("a", lit(2))), `{"a":2}`},
		{"nested", cond(bin("===", dot(mem(id("list"), lit(1)), "done"), lit(false)), bin("+", lit("todo "), id("i")), lit("")), `"todo 1"`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("evalWith", tc.e, data)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestEvalExprMalformed(t *testing.T) {
	tests := []struct {
		name string
		e    any
		want string
	}{
		{"unknown kind", expr{"k": "apply"}, "unknown expression kind"},
		{"unknown binary", bin("**", lit(1), lit(2)), "unknown binary operator"},
		{"unknown unary", un("~", lit(1)), "unknown unary operator"},
		{"not an object", "x", "expression is not an object"},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.call("evalWith", tc.e, map[string]any{})
			if err == nil || !contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestExprNames(t *testing.T) {
	tests := []struct {
		name string
		e    expr
		want string
	}{
		{"id", id("a"), `["a"]`},
		{"member with computed key", mem(id("list"), id("i")), `["list","i"]`},
		{"static member", dot(id("user"), "name"), `["user"]`},
		{"everything", cond(id("c"), arr(spread(id("xs"))), obj(prop("k", id("v")), spreadProp(id("o")))), `["c","xs","v","o"]`},
		{"literal", lit(1), `[]`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("exprNames", tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
