package logic

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestRequire(t *testing.T) {
	files := map[string]string{
		"utils/util.js":                  `exports.name = 'util'; exports.count = (exports.count || 0) + 1;`,
		"lib/index.js":                   `module.exports = { name: 'lib' };`,
		"cycle/a.js":                     `exports.done = false; const b = require('./b'); exports.bSawA = b.sawA; exports.done = true;`,
		"cycle/b.js":                     `const a = require('./a'); exports.sawA = a.done;`,
		"data.txt":                       `not js`,
		"pages/a/helper.js":              `module.exports = function () { return require('../../utils/util').name; };`,
		"config.js":                      `module.exports = 'root config';`,
		"pages/a/config.js":              `module.exports = 'page config';`,
		"pages/a/bare.js":                `module.exports = require('config');`,
		"miniprogram_npm/dayjs/index.js": `module.exports = { name: 'dayjs' };`,
		"miniprogram_npm/@vant/weapp/dist/tag/index.js": `module.exports = 'vant tag';`,
		"miniprogram_npm/withmain/package.json":         `{"main": "lib/main.js"}`,
		"miniprogram_npm/withmain/lib/main.js":          `module.exports = 'main';`,
		"miniprogram_npm/sneaky/package.json":           `{"main": "../../utils/util.js"}`,
		"pages/a/miniprogram_npm/local/index.js":        `module.exports = 'nearest npm';`,
		"pages/a/usenpm.js":                             `module.exports = require('local') + '+' + require('dayjs').name;`,
		"@scope/x/index.ts":                             `export const x: string = 'scoped folder'`,
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
		{"path from the app root", `console.log(require('/utils/util').name)`, "util", ""},
		{"missing from the root", `require('/abs')`, "", "require('/abs') from app.js: cannot find abs.js or abs.ts or abs/index.js or abs/index.ts"},
		{"root path cannot climb", `require('/../etc/passwd')`, "", "the path leaves the mini-app"},
		{"bare path relative to the file", `console.log(require('./pages/a/bare'))`, "page config", ""},
		{"bare path from the root", `console.log(require('config'))`, "root config", ""},
		{"npm package", `console.log(require('dayjs').name)`, "dayjs", ""},
		{"scoped npm path", `console.log(require('@vant/weapp/dist/tag/index'))`, "vant tag", ""},
		{"scoped npm path without index", `console.log(require('@vant/weapp/dist/tag'))`, "vant tag", ""},
		{"package.json main", `console.log(require('withmain'))`, "main", ""},
		{"package.json main cannot climb", `require('sneaky')`, "", "no such module"},
		{"nearest miniprogram_npm first", `console.log(require('./pages/a/usenpm'))`, "nearest npm+dayjs", ""},
		{"folder named with @, .ts index", `console.log(require('./@scope/x').x)`, "scoped folder", ""},
		{"node built-in fs", `require('fs')`, "", "require('fs') from app.js: no such module in miniprogram_npm/ nor at fs (.js, .ts, /index.js)"},
		{"bare path cannot climb", `require('../x')`, "", "the path leaves the mini-app"},
		{"missing file", `require('./nope')`, "", "require('./nope') from app.js: cannot find nope.js or nope.ts or nope/index.js or nope/index.ts"},
		{"not a .js file", `require('./data.txt')`, "", "cannot find data.txt.js or data.txt.ts or data.txt/index.js"},
		{"non-string", `require(5)`, "", "the path must be a string"},
		{"no global require", `console.log(typeof globalThis.require + typeof module)`, "undefinedobject", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runAppJS(t, files, tt.code, tt.wantErr, tt.wantLog, true) })
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
		{"app.js without App()", map[string]string{"app.js": "1;", "pages/a/a.js": "Page({})"},
			"app.js: App() was not called"},
		{"missing app.js file", nil, "app.js: cannot read"},
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

// Sources as developers write them: ES modules, TypeScript, syntax goja lacks, all
// compiled at load; errors and stacks name the original file, line and column.
func TestModernSources(t *testing.T) {
	files := map[string]string{
		"utils/esm.js":   "export const name = 'esm';\nexport default function twice(x) { return x * 2 }\n",
		"utils/types.ts": "export interface P { n: number }\nexport function add(a: number, b: number): number { return a + b }\n",
		"utils/mixed.js": "import twice, { name } from './esm';\nimport { add } from './types';\nexport const v = name + twice(add(1, 2));\n",
		"utils/agen.js":  "module.exports = async function* gen() { yield 1; yield 2 };\n",
		"utils/refer.js": "// a comment\nexport default NotDefined({\n  a: 1\n})\n",
		"utils/cols.ts":  "export function f(): void {\n  const x: number = 1;  null.boom\n}\n",
		"utils/throw.ts": "type T = { a: string }\n\n\nexport function boom(x: T): never {\n  throw new Error('boom ' + x.a)\n}\n",
	}
	tests := []struct {
		name, code, wantLog, wantErr string
	}{
		{"import and export", `console.log(require('./utils/mixed').v)`, "esm6", ""},
		{"default export through require", `console.log(require('./utils/esm').default(4))`, "8", ""},
		{".ts without extension", `console.log(require('./utils/types').add(2, 3))`, "5", ""},
		{"async generator lowered", `(async () => { const out = []; for await (const x of require('./utils/agen')()) out.push(x); console.log(out.join()) })()`, "1,2", ""},
		{"stack points at the .ts line", `try { require('./utils/throw').boom({a: 'x'}) } catch (e) { console.log(e.stack.split('\n')[1]) }`, "utils/throw.ts:5:", ""},
		{"stack column is the original's", `try { require('./utils/cols').f() } catch (e) { console.log(e.stack.split('\n')[1]) }`, "utils/cols.ts:2:30", ""},
		{"load error column in an ES module", `require('./utils/refer')`, "", "utils/refer.js:2:16: ReferenceError: NotDefined is not defined"},
		{"syntax error in a module keeps its position", `require('./utils/bad')`, "", "utils/bad.ts:3:"},
		{"ESM syntax error after imports", `require('./utils/badesm')`, "", "utils/badesm.js:2:"},
	}
	files["utils/bad.ts"] = "let a: number = 1\n\nlet b: = 2\n"
	files["utils/badesm.js"] = "import x from './esm'\nexport const = 1\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runAppJS(t, files, tt.code, tt.wantErr, tt.wantLog, false) })
	}
}

// runAppJS starts an app whose app.js runs code beside files, and checks that it fails
// with wantErr, or logs wantLog: as its first console line when exact, else in some line.
func runAppJS(t *testing.T, files map[string]string, code, wantErr, wantLog string, exact bool) {
	t.Helper()
	fs := map[string]string{"app.js": code + "\nApp({});", "pages/index/index.js": "Page({})"}
	for k, v := range files {
		fs[k] = v
	}
	a, err := tryStartApp(mapApp(fs))
	if wantErr != "" {
		if err == nil {
			a.rt.Stop()
			t.Fatalf("New succeeded, want error %q", wantErr)
		}
		if !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error = %q, want it to contain %q", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer a.rt.Stop()
	if exact {
		if got := a.logs.console(); len(got) == 0 || got[0] != wantLog {
			t.Errorf("console = %q, want %q", got, wantLog)
		}
	} else if got := a.logs.waitConsole(t, wantLog); !strings.Contains(got, wantLog) {
		t.Errorf("console = %q, want %q", got, wantLog)
	}
}

// A TypeScript page and an ES-module app.js load as entries; a load-time throw names
// the .ts file and its own line.
func TestTypeScriptEntries(t *testing.T) {
	cfg := mapApp(map[string]string{
		"app.js":               "import { hello } from './lib';\nApp({ onLaunch() { console.log(hello) } })\n",
		"lib.ts":               "export const hello: string = 'hi'\n",
		"pages/index/index.ts": "interface D { n: number }\nconst d: D = { n: 1 }\nPage({ data: d })\n",
	})
	cfg.pages = []string{"pages/index/index"}
	a := startApp(t, cfg)
	defer a.rt.Stop()
	a.logs.waitConsole(t, "hi")

	cfg = mapApp(map[string]string{"pages/index/index.ts": "const n: number = 1\n\nthrow new Error('at load')\n"})
	cfg.pages = []string{"pages/index/index"}
	_, err := tryStartApp(cfg)
	if err == nil || !strings.Contains(err.Error(), "load pages/index/index.ts: pages/index/index.ts:3:") {
		t.Fatalf("error = %v, want it to name pages/index/index.ts:3", err)
	}
}

// A file's own sourceMappingURL never makes goja read the host's file system.
func TestSourceMapURLNotFollowed(t *testing.T) {
	cfg := mapApp(map[string]string{"app.js": "App({})\n//# sourceMappingURL=/dev/zero\n", "pages/index/index.js": "Page({})"})
	a := startApp(t, cfg)
	a.rt.Stop()
}

func TestPrecompile(t *testing.T) {
	fsys := fstest.MapFS{
		"app.js":             {Data: []byte("import x from './x'\nApp({ later() { require('./z') } })")},
		"x.ts":               {Data: []byte("import { y } from './y'\nexport default function x(): number { return y }")},
		"y.js":               {Data: []byte("exports.y = 1")},
		"z.js":               {Data: []byte("this is not JavaScript")},
		"pages/a/a.ts":       {Data: []byte("const n: number = 1\nPage({})")},
		"pages/bad/bad.ts":   {Data: []byte("const n: number = 1\n\nlet = ;")},
		"pages/deep/deep.js": {Data: []byte("\nx = " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000))},
	}
	ClearProgramCache()
	if err := Precompile(fsys, []string{"app", "pages/a/a"}); err != nil {
		t.Fatal(err)
	}
	// app.js, x.ts and y.js (imported by x.ts), and the page: the broken module z.js,
	// required only inside a function, is left for run time.
	if n := programs.Len(); n != 4 {
		t.Errorf("%d modules compiled, want 4", n)
	}
	if err := Precompile(fsys, []string{"pages/bad/bad"}); err == nil || !strings.HasPrefix(err.Error(), "pages/bad/bad.ts:3:") {
		t.Errorf("err = %v, want pages/bad/bad.ts:3:...", err)
	}
	if err := Precompile(fsys, []string{"pages/deep/deep"}); err == nil || !strings.HasPrefix(err.Error(), "pages/deep/deep.js:2:") {
		t.Errorf("err = %v, want pages/deep/deep.js:2:...", err)
	}
}
