package assets

import "testing"

func TestRenderValue(t *testing.T) {
	data := map[string]any{"n": 2, "o": map[string]any{"a": 1}, "nil": nil, "f": false, "s": "x"}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"static text", "hello", `"hello"`},
		{"flag attribute", true, `true`},
		{"x keeps number", map[string]any{"x": id("n")}, `2`},
		{"x keeps object", map[string]any{"x": id("o")}, `{"a":1}`},
		{"x keeps false", map[string]any{"x": id("f")}, `false`},
		{"x missing stays undefined", map[string]any{"x": id("nope")}, `"<undefined>"`},
		{"cat joins", map[string]any{"cat": []any{"n=", id("n"), "!"}}, `"n=2!"`},
		{"cat undefined is empty", map[string]any{"cat": []any{"[", id("nope"), "]"}}, `"[]"`},
		{"cat null is empty", map[string]any{"cat": []any{"[", id("nil"), "]"}}, `"[]"`},
		{"cat object is JSON", map[string]any{"cat": []any{"o:", id("o")}}, `"o:{\"a\":1}"`},
		{"cat false is text", map[string]any{"cat": []any{id("f"), " ", id("s")}}, `"false x"`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("renderWith", tc.v, data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestAttrAndText(t *testing.T) {
	tests := []struct {
		fn   string
		v    any
		want string
	}{
		{"attrText", false, `null`},
		{"attrText", nil, `null`},
		{"attrText", true, `""`},
		{"attrText", 0, `"0"`},
		{"attrText", "a", `"a"`},
		{"attrText", []any{1, 2}, `"[1,2]"`},
		{"toText", nil, `""`},
		{"toText", 1.5, `"1.5"`},
		{"toText", true, `"true"`},
		{"toText", map[string]any{"a": "b"}, `"{\"a\":\"b\"}"`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		got, err := env.call(tc.fn, tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s(%v) = %s, want %s", tc.fn, tc.v, got, tc.want)
		}
	}
}
