package assets

import "testing"

func TestComponentProperties(t *testing.T) {
	tests := []struct {
		name string
		fn   string
		args []any
		want string
	}{
		{"declared default", "propDefault", []any{map[string]any{"type": "Object", "value": map[string]any{"a": 1}}}, `{"a":1}`},
		{"String default", "propDefault", []any{"String"}, `""`},
		{"Number default", "propDefault", []any{map[string]any{"type": "Number"}}, `0`},
		{"Boolean default", "propDefault", []any{"Boolean"}, `false`},
		{"Array default", "propDefault", []any{"Array"}, `[]`},
		{"untyped default", "propDefault", []any{map[string]any{"type": nil}}, `null`},
		{"Number from text", "coerceProp", []any{"Number", "3.5"}, `3.5`},
		{"Number from junk", "coerceProp", []any{"Number", "x"}, `0`},
		{"Boolean from text", "coerceProp", []any{"Boolean", "false"}, `true`},
		{"String from number", "coerceProp", []any{"String", 3}, `"3"`},
		{"optional type kept", "coerceProp", []any{map[string]any{"type": "String", "optionalTypes": []any{"Number"}}, 3}, `3`},
		{"not an optional type", "coerceProp", []any{map[string]any{"type": "String", "optionalTypes": []any{"Number"}}, true}, `"true"`},
		{"optional null is any", "coerceProp", []any{map[string]any{"type": "Number", "optionalTypes": []any{nil}}, "x"}, `"x"`},
		{"Object kept", "coerceProp", []any{map[string]any{"type": "Object"}, map[string]any{"id": 1}}, `{"id":1}`},
		{"deepEqual same", "deepEqual", []any{map[string]any{"a": []any{1, map[string]any{"b": nil}}}, map[string]any{"a": []any{1, map[string]any{"b": nil}}}}, `true`},
		{"deepEqual differs", "deepEqual", []any{map[string]any{"a": []any{1}}, map[string]any{"a": []any{2}}}, `false`},
		{"deepEqual array vs object", "deepEqual", []any{[]any{}, map[string]any{}}, `false`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call(tc.fn, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
