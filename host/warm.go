package host

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/sandframe/sandframe/render/wxml"
)

// The pre-warmed window's warm-up (docs/performance.md, "Where a launch goes"): a page
// that has run nothing compiles each function of the render runtime on its first call,
// and WebKit loads fonts and styles the built-in controls on its first layout, all on
// the launch's critical path. The launcher's pooled window runs the runtime once over
// a stub page of the shell's own (warm/page.wxml: no app's code, data or styles) before
// any app has it; the runtime then puts itself back as it booted (warm.js). Only the
// launcher's pool does it: `shell run` makes its window for an app already known, and
// its page's load is the critical path there.

//go:embed warm/page.wxml
var warmFS embed.FS

var warmScript = sync.OnceValues(func() (string, error) {
	tmpl, _, err := wxml.Compile(warmFS, "warm/page.wxml")
	if err != nil {
		return "", fmt.Errorf("host: compile the warm-up page: %w", err)
	}
	rows := make([]map[string]any, 40)
	for i := range rows {
		rows[i] = map[string]any{"id": i, "title": fmt.Sprintf("Item %d", i), "done": i%3 == 0}
	}
	more := make([]map[string]any, 41)
	copy(more, rows)
	more[40] = map[string]any{"id": 40, "title": "Item 40", "done": false}
	warm := map[string]any{
		"init": map[string]any{
			"app": map[string]any{"id": "", "window": map[string]any{}}, "css": "",
			"pages":      map[string]any{"w": map[string]any{"template": tmpl, "css": "", "window": map[string]any{}, "components": map[string]any{}}},
			"components": map[string]any{}, "images": map[string]any{}, "system": map[string]any{},
		},
		"pushes": []any{
			map[string]any{"seq": 1, "ops": []any{
				map[string]any{"op": "mount", "page": "p1", "route": "w", "data": map[string]any{"title": "Warm", "count": 40, "draft": "", "rows": rows}},
				map[string]any{"op": "show", "page": "p1", "pages": []string{"p1"}},
			}},
			map[string]any{"seq": 2, "ops": []any{
				map[string]any{"op": "data", "target": "p1", "diff": map[string]any{"rows[3].title": "Item 3 again", "draft": "text", "rows": more}},
			}},
		},
	}
	b, err := json.Marshal(warm)
	if err != nil {
		return "", err
	}
	// JSON is a JavaScript expression: the payload is the shell's own, made above.
	return "window.__sf_warm && window.__sf_warm(" + string(b) + ");", nil
})

// WarmScript is the script the launcher's pre-warmed window runs once its page has
// booted (render.WindowOptions.Warm).
func WarmScript() (string, error) { return warmScript() }
