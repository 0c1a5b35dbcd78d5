package logic

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestRequire(t *testing.T) {
	files := map[string]string{
		"utils/util.js":     `exports.name = 'util'; exports.count = (exports.count || 0) + 1;`,
		"lib/index.js":      `module.exports = { name: 'lib' };`,
		"cycle/a.js":        `exports.done = false; const b = require('./b'); exports.bSawA = b.sawA; exports.done = true;`,
		"cycle/b.js":        `const a = require('./a'); exports.sawA = a.done;`,
		"data.txt":          `not js`,
		"pages/a/helper.js": `module.exports = function () { return require('../../utils/util').name; };`,
	}
	tests := []struct {
		name    string
		code    string // app.js body
		wantLog string // console output, or
		wantErr string // New error substring
	}{
		{"with .js", `console.log(require('./utils/util.js').name)`, "util", ""},
		{"without .js", `console.log(require('./utils/util').name)`, "util", ""},
		{"dir/index.js", `console.log(require('./lib').name)`, "lib", ""},
		{"nested relative", `console.log(require('./pages/a/helper')())`, "util", ""},
		{"module cache", `const x = require('./utils/util'); const y = require('./utils/util.js'); console.log(String(x === y) + x.count)`, "true1", ""},
		{"cycle like node", `const a = require('./cycle/a'); console.log('done=' + a.done + ' bSawA=' + a.bSawA)`, "done=true bSawA=false", ""},
		{"escape with ..", `require('../x')`, "", "app.js:1:8: Error: require('../x') from app.js: the path leaves the mini-app"},
		{"escape deeper", `require('./utils/../../etc/passwd')`, "", "the path leaves the mini-app"},
		{"absolute path", `require('/abs')`, "", "require('/abs') from app.js: only relative paths inside the mini-app can be required"},
		{"node built-in fs", `require('fs')`, "", "require('fs') from app.js: only relative paths inside the mini-app can be required"},
		{"node built-in path", `require('path')`, "", "require('path') from app.js: only relative paths"},
		{"missing file", `require('./nope')`, "", "require('./nope') from app.js: cannot find nope.js or nope/index.js"},
		{"not a .js file", `require('./data.txt')`, "", "cannot find data.txt.js or data.txt/index.js"},
		{"non-string", `require(5)`, "", "the path must be a string"},
		{"no global require", `console.log(typeof globalThis.require + typeof module)`, "undefinedobject", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := map[string]string{"app.js": tt.code + "\nApp({});", "pages/index/index.js": "Page({})"}
			for k, v := range files {
				fs[k] = v
			}
			a, err := tryStartApp(mapApp(fs))
			if tt.wantErr != "" {
				if err == nil {
					a.rt.Stop()
					t.Fatalf("New succeeded, want error %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %q, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer a.rt.Stop()
			if got := a.logs.console(); len(got) == 0 || got[0] != tt.wantLog {
				t.Errorf("console = %q, want %q", got, tt.wantLog)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"syntax error", map[string]string{"pages/a/a.js": "Page({\n  data: {a: },\n})"},
			"load pages/a/a.js: pages/a/a.js:2:13: SyntaxError: Unexpected token }"},
		{"syntax error on line 1", map[string]string{"pages/a/a.js": "var = 1;"},
			"pages/a/a.js:1:5: SyntaxError"},
		{"top-level throw", map[string]string{"pages/a/a.js": "\n\nthrow new Error('boom');"},
			"pages/a/a.js:3:7: Error: boom"},
		{"throw in a required module names that module", map[string]string{
			"pages/a/a.js": "require('./b');\nPage({})", "pages/a/b.js": "\nnull.x;"},
			"pages/a/b.js:2:"},
		{"page without Page()", map[string]string{"pages/a/a.js": "var x = 1;"},
			"pages/a/a.js: the page did not call Page() or Component()"},
		{"component without Component()", map[string]string{"pages/a/a.js": "Page({})", "components/c/c.js": "Page({})"},
			"Page() must be called while a page file loads (components/c/c.js is a comp)"},
		{"app.js without App()", map[string]string{"app.js": "1;", "pages/a/a.js": "Page({})"},
			"app.js: App() was not called"},
		{"missing app.js file", nil, "app.js: cannot read"},
		{"bad property type", map[string]string{"pages/a/a.js": "Page({})", "components/c/c.js": "Component({properties: {p: Date}})"},
			`components/c/c.js property "p": type must be String`},
		// Deep enough to overflow the Go stack in goja's parser, which would kill the
		// whole shell: refused before parsing instead.
		{"nesting bomb", map[string]string{"pages/a/a.js": "Page({});\nvar x = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000)},
			"pages/a/a.js:2:"},
		{"arrow chain", map[string]string{"pages/a/a.js": "Page({});\nvar f = " + strings.Repeat("a=>", 50000) + "0"},
			"pages/a/a.js:2:"},
		{"Page() after load", map[string]string{"app.js": "App({ onLaunch() { setTimeout(() => Page({}), 0); } })", "pages/a/a.js": "Page({})"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg appConfig
			if tt.files == nil {
				cfg = appConfig{fs: fstest.MapFS{"pages/a/a.js": {Data: []byte("Page({})")}}, pages: []string{"pages/a/a"}}
			} else {
				cfg = mapApp(tt.files)
			}
			a, err := tryStartApp(cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer a.rt.Stop()
				// Page() outside loading throws into the timer: reported, loop alive.
				deadline := time.Now().Add(waitFor)
				for found := false; !found; {
					if time.Now().After(deadline) {
						t.Fatal("Page() after load was not reported")
					}
					time.Sleep(time.Millisecond)
					for _, r := range a.logs.snapshot() {
						found = found || strings.Contains(r.msg, "uncaught error: Error: Page() must be called while a page file loads")
					}
				}
				return
			}
			if err == nil {
				a.rt.Stop()
				t.Fatalf("New succeeded, want %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %q\nwant it to contain %q", err, tt.wantErr)
			}
		})
	}
}
