package assets

import (
	"fmt"
	"strings"
	"testing"
)

// The render runtime's second line against a push that balloons the page (issue 16
// item 5): padding by data paths is bounded per path, per push and per page.
func TestSetPathPadding(t *testing.T) {
	tests := []struct {
		name    string
		setup   string // JS run first; defines root and pad
		path    string
		want    string // JSON of root afterwards
		wantErr string
	}{
		{"append pads nothing", `root = {l: [1]}`, "l[1]", `{"l":[1,"v"]}`, ""},
		{"small gap pads with null", `root = {l: []}`, "l[2]", `{"l":[null,null,"v"]}`, ""},
		{"gap at the bound", `root = {}`, "l[1024]", "", ""},
		{"gap over the bound", `root = {l: [1]}`, "l[1026]", `{"l":[1]}`, `index 1026 is more than 1024 past the end of the array (length 1)`},
		{"the review's path", `root = {}`, "a0[1048575]", `{}`, `"a0[1048575]": index 1048575`},
		{"inner array is new", `root = {g: []}`, "g[0][2000].x", `{"g":[]}`, `index 2000`},
		{"index over the grammar's bound", `root = {}`, "l[1048576]", `{}`, `array index over 1048575`},
		{"too deep", `root = {}`, "a" + strings.Repeat(".a", 64), `{}`, `more than 64 parts`},
		{"push budget", `root = {l: []}; pad.push.used = 65536 - 10`, "l[11]", `{"l":[]}`, `over the 65536 one render push may add`},
		{"push budget exact", `root = {l: []}; pad.push.used = 65536 - 10`, "l[10]", "", ""},
		{"page budget", `root = {l: []}; pad.page.used = 1048576 - 5`, "l[6]", `{"l":[]}`, `over the 1048576 a page may add`},
		{"object keys pad nothing", `root = {o: {}}; pad.push.used = 65536`, "o[999999]", `{"o":{"999999":"v"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newJSEnv(t)
			if _, err := env.vm.RunString(`var pad = {push: {used: 0}, page: {used: 0}}, root; ` + tt.setup); err != nil {
				t.Fatal(err)
			}
			_, err := env.vm.RunString(fmt.Sprintf(`setPath(root, %q, "v", pad)`, tt.path))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				if got, _ := env.run("root"); got != tt.want {
					t.Errorf("root = %s, want %s (a refused path changes nothing)", got, tt.want)
				}
			}
		})
	}
}

// Padding adds up over the paths of a push and the pushes of a page.
func TestSetPathPaddingAddsUp(t *testing.T) {
	env := newJSEnv(t)
	got, err := env.run(`(function () {
  var pad = {push: {used: 0}, page: {used: 0}}, root = {}, refused = 0;
  for (var i = 0; i < 400; i++) {
    try { setPath(root, "a" + i + "[1000]", 1, pad); } catch (e) { refused++; }
  }
  return [pad.push.used, pad.page.used, refused];
})()`)
	if err != nil {
		t.Fatal(err)
	}
	// 65 paths of 1000 null entries fit in 65536; the other 335 are refused.
	if got != `[65000,65000,335]` {
		t.Errorf("[push, page, refused] = %s", got)
	}
}

// A template that multiplies a little data into a huge tree stops at the render budget,
// reports once where, and keeps what it built.
func TestRenderBudget(t *testing.T) {
	inner := forNode(id("n"), "item", "index", "", el("view", nil, text(x(id("s")))))
	tests := []struct {
		name      string
		tpl       map[string]any
		data      map[string]any
		wantNodes int // nodes built, counted by the budget
		wantOver  bool
	}{
		{"small page", page(forNode(lit(10), "item", "index", "", el("view", nil, text("x")))), nil, 20, false},
		// (MAX_RENDER_NODES is lowered to 3000 in this test: goja builds 300k nodes slowly.)
		{"nested wx:for over big numbers", page(forNode(id("n"), "row", "r", "", inner)), map[string]any{"n": 1e9, "s": "x"}, 3001, true},
		// (MAX_RENDER_TEXT is lowered to 1 MiB.) 16 views with 64 KiB each fit; the 17th
		// text passes it.
		{"long string repeated", page(inner), map[string]any{"n": 1000, "s": strings.Repeat("y", 64<<10)}, 34, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newJSEnv(t)
			if _, err := env.vm.RunString("MAX_RENDER_NODES = 3000; MAX_RENDER_TEXT = 1 << 20"); err != nil {
				t.Fatal(err)
			}
			if _, err := env.call("build", tt.tpl, tt.data, map[string]any{"budget": map[string]any{"nodes": 0, "text": 0, "over": false}}); err != nil {
				t.Fatal(err)
			}
			got, err := env.run(`[lastBudget.nodes, lastBudget.over, logged.length, logged.join("\n")]`)
			if err != nil {
				t.Fatal(err)
			}
			var nodes, logs int
			var over bool
			var text string
			if _, err := fmt.Sscanf(got, "[%d,%t,%d,", &nodes, &over, &logs); err != nil {
				t.Fatalf("%s: %v", got, err)
			}
			text = got
			if nodes != tt.wantNodes || over != tt.wantOver {
				t.Errorf("nodes %d over %v, want %d %v", nodes, over, tt.wantNodes, tt.wantOver)
			}
			if tt.wantOver && (logs != 1 || !strings.Contains(text, "render budget") || !strings.Contains(text, "pages/a/a.wxml:1:1")) {
				t.Errorf("want one report naming the place, got %d: %s", logs, text)
			}
			if !tt.wantOver && logs != 0 {
				t.Errorf("reports: %s", text)
			}
		})
	}
}
