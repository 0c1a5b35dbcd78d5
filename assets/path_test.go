package assets

import "testing"

func TestParsePath(t *testing.T) {
	tests := []struct {
		path string
		want string
	}{
		{"a", `["a"]`},
		{"a.b.c", `["a","b","c"]`},
		{"list[2].done", `["list",2,"done"]`},
		{"grid[1][0]", `["grid",1,0]`},
		{" list[ 3 ] ", `["list",3]`},
		{`a\.b`, `["a.b"]`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, err := env.call("parsePath", tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		path string
		want string
	}{
		{"", "empty data path"},
		{"a..b", "bad data path"},
		{".a", "bad data path"},
		{"a.", "bad data path"},
		{"[0]", "bad data path"},
		{"a[x]", "bad index"},
		{"a[1", "bad index"},
		{"__proto__.x", "refused data path"},
		{"a.constructor.prototype", "refused data path"},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			_, err := env.call("parsePath", tc.path)
			if err == nil || !contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSetPath(t *testing.T) {
	tests := []struct {
		name  string
		root  any
		path  string
		value any
		want  string
	}{
		{"top level", map[string]any{"a": 1}, "b", 2, `{"a":1,"b":2}`},
		{"replace", map[string]any{"a": 1}, "a", "x", `{"a":"x"}`},
		{"null is set, not removed", map[string]any{"a": 1}, "a", nil, `{"a":null}`},
		{"nested existing", map[string]any{"u": map[string]any{"n": "a", "k": 1}}, "u.n", "b", `{"u":{"k":1,"n":"b"}}`},
		{"creates objects", map[string]any{}, "a.b.c", 1, `{"a":{"b":{"c":1}}}`},
		{"creates array for index", map[string]any{}, "list[0]", "x", `{"list":["x"]}`},
		{"created array pads with null", map[string]any{}, "list[2].done", true, `{"list":[null,null,{"done":true}]}`},
		{"element field", map[string]any{"list": []any{map[string]any{"done": false, "t": "a"}}}, "list[0].done", true, `{"list":[{"done":true,"t":"a"}]}`},
		{"append to array", map[string]any{"list": []any{1}}, "list[1]", 2, `{"list":[1,2]}`},
		{"nested arrays", map[string]any{}, "g[1][0]", 5, `{"g":[null,[5]]}`},
		{"primitive in the way", map[string]any{"a": 5}, "a.b", 1, `{"a":{"b":1}}`},
		{"object value", map[string]any{}, "o", map[string]any{"x": []any{1}}, `{"o":{"x":[1]}}`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("setPathOn", tc.root, tc.path, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
