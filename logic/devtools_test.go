package logic

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

type consoleRec struct {
	mu    sync.Mutex
	lines []ConsoleLine
	ch    chan struct{}
}

func (c *consoleRec) add(l ConsoleLine) {
	c.mu.Lock()
	c.lines = append(c.lines, l)
	c.mu.Unlock()
	select {
	case c.ch <- struct{}{}:
	default:
	}
}

func (c *consoleRec) wait(t *testing.T, text string) ConsoleLine {
	t.Helper()
	for {
		c.mu.Lock()
		for _, l := range c.lines {
			if strings.Contains(l.Text, text) {
				c.mu.Unlock()
				return l
			}
		}
		c.mu.Unlock()
		select {
		case <-c.ch:
		case <-time.After(10 * time.Second): // a hang limit
			t.Fatalf("no console line %q; have %+v", text, c.lines)
		}
	}
}

// DevTools' console hears each console.* call with its level, its position in the
// app's source (a TypeScript file's through its source map), and its arguments as
// JSON; a cyclic object does not break it.
func TestConsoleLinesForDevTools(t *testing.T) {
	rec := &consoleRec{ch: make(chan struct{}, 1)}
	cfg := mapApp(map[string]string{
		"pages/index/index.js": "const u = require('./util');\nPage({\n  onLoad() {\n    const o = { a: 1, list: [1, 2] }; o.self = o;\n    console.warn('loaded', { n: 2 }, 3);\n    console.log('cyclic', o);\n    u.hello();\n  }\n});\n",
		"pages/index/util.ts":  "type Greeting = { text: string };\n\nconst g: Greeting = { text: 'from ts' };\n\nexport function hello(): void {\n  console.error(g.text);\n}\n",
	})
	cfg.console = rec.add
	a := startApp(t, cfg)
	a.launch(t, "pages/index/index")

	l := rec.wait(t, "loaded")
	if l.Level != "warn" || l.File != "pages/index/index.js" || l.Line != 5 || l.Column != 17 {
		t.Errorf("warn line: %+v", l)
	}
	if len(l.Args) != 3 || string(l.Args[0]) != `"loaded"` || string(l.Args[1]) != `{"n":2}` || string(l.Args[2]) != "3" {
		t.Errorf("arguments: %s", l.Args)
	}
	c := rec.wait(t, "cyclic")
	if len(c.Args) != 2 || !strings.HasPrefix(string(c.Args[1]), `"`) {
		t.Errorf("a cyclic argument: %s", c.Args)
	}
	ts := rec.wait(t, "from ts")
	if ts.Level != "error" || ts.File != "pages/index/util.ts" || ts.Line != 6 {
		t.Errorf("TypeScript line: %+v (want pages/index/util.ts:6)", ts)
	}
}

// Eval runs in the app's runtime only when the runtime was made for DevTools.
func TestEvalOnlyWithDevEval(t *testing.T) {
	cfg := mapApp(map[string]string{"pages/index/index.js": "Page({ data: { n: 4 } });\n"})
	a := startApp(t, cfg)
	a.launch(t, "pages/index/index")
	if _, err := a.rt.Eval("1"); !errors.Is(err, ErrNoEval) {
		t.Fatalf("eval without DevEval: %v", err)
	}

	cfg.devEval = true
	b := startApp(t, cfg)
	b.launch(t, "pages/index/index")
	v, err := b.rt.Eval("({ n: getCurrentPages()[0].data.n * 2, s: 'x' })")
	if err != nil || string(v) != `{"n":8,"s":"x"}` {
		t.Fatalf("eval: %s %v", v, err)
	}
	if v, err := b.rt.Eval("undefined"); err != nil || string(v) != `"undefined"` {
		t.Errorf("undefined: %s %v", v, err)
	}
	if _, err := b.rt.Eval("nope()"); err == nil || !strings.Contains(err.Error(), "ReferenceError") {
		t.Errorf("a ReferenceError: %v", err)
	}
	if err := b.rt.SetPageData("", json.RawMessage(`{"n": 5, "extra.deep": true}`)); err != nil {
		t.Fatal(err)
	}
	r := b.host.nextRender(t)
	if raw, _ := json.Marshal(r); !strings.Contains(string(raw), `"n"`) {
		t.Errorf("the edit did not push: %s", raw)
	}
	d, err := b.rt.PageData("")
	if err != nil || string(d) != `{"n":5,"extra":{"deep":true}}` {
		t.Errorf("data after the edit: %s %v", d, err)
	}
	if err := b.rt.SetPageData("p99", json.RawMessage(`{}`)); err == nil {
		t.Error("an edit of a page not in the stack succeeded")
	}
}
