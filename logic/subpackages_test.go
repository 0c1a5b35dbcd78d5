package logic

import (
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
)

func subApp(t *testing.T, files map[string]string, pages []string, opts func(*Options)) (*testApp, error) {
	t.Helper()
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	h := newFakeHost()
	logs := newLogSink()
	o := Options{AppID: "test", FS: m, Pages: pages, Launch: LaunchOptions{Path: pages[0], Scene: 1001},
		Send: h.Send, CallSync: h.CallSync, APIs: testAPIs, Builtins: testBuiltins, Logger: slog.New(logs.handler(nil)),
		Subpackages: []Subpackage{{Root: "shop"}, {Root: "solo", Independent: true}, {Root: "other"}}}
	if opts != nil {
		opts(&o)
	}
	rt, err := New(o)
	if err != nil {
		return nil, err
	}
	t.Cleanup(rt.Stop)
	return &testApp{rt: rt, host: h, logs: logs}, nil
}

// require across packages follows WeChat's rules, naming the requiring file.
func TestRequireAcrossPackages(t *testing.T) {
	base := map[string]string{
		"app.js":               `App({})`,
		"utils/u.js":           `module.exports = 'main'`,
		"shop/cart.js":         `module.exports = 'shop'`,
		"other/o.js":           `module.exports = 'other'`,
		"solo/s.js":            `module.exports = 'solo'`,
		"pages/index/index.js": `Page({})`,
	}
	tests := []struct {
		from, src, want string
	}{
		{"shop/p/p.js", `require('../../utils/u.js'); require('../cart.js'); Page({})`, ""},
		{"pages/a/a.js", `require('../../shop/cart.js'); Page({})`, `pages/a/a.js:1:8: Error: require("../../shop/cart.js") from pages/a/a.js: shop/cart.js is in subpackage "shop": the main package may load it only with require.async`},
		{"other/p/p.js", `require('../../shop/cart.js'); Page({})`, `shop/cart.js is in subpackage "shop", another subpackage than "other": load it with require.async`},
		{"solo/p/p.js", `require('../../utils/u.js'); Page({})`, `utils/u.js is outside independent subpackage "solo"`},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			files[tt.from] = tt.src
			route := strings.TrimSuffix(tt.from, ".js")
			_, err := subApp(t, files, []string{route}, nil)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %s", err, tt.want)
			}
		})
	}
}

// require.async reaches another package, as a Promise of its exports.
func TestRequireAsync(t *testing.T) {
	a, err := subApp(t, map[string]string{
		"app.js":       `App({})`,
		"shop/cart.js": `module.exports = { n: 42 }`,
		"pages/index/index.js": `Page({ onLoad() {
			require.async('../../shop/cart.js').then(m => console.log('async ' + m.n))
			require.async('../../shop/none.js').catch(e => console.log('missing ' + (e && e.message || e)))
		} })`,
	}, []string{"pages/index/index"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.launch(t, "pages/index/index")
	a.logs.waitConsole(t, "async 42")
	a.logs.waitConsole(t, "missing ")
}

// An independent subpackage starts without app.js; getApp({allowDefault: true}) gives
// a default App that app.js fills in when LoadUnits brings the main package, whose
// App then launches.
func TestIndependentStartThenMainPackage(t *testing.T) {
	a, err := subApp(t, map[string]string{
		"app.js": `App({ globalData: { from: 'main' }, onLaunch() { console.log('launched ' + this.globalData.from) } })`,
		"solo/p/p.js": `const none = getApp(); const app = getApp({ allowDefault: true });
			app.globalData.early = 1
			console.log('solo ' + (none === undefined) + ' ' + typeof app); Page({})`,
		"pages/index/index.js": `Page({ onLoad() { console.log('index ' + getApp().globalData.from + ' ' + getApp().globalData.early) } })`,
	}, []string{"solo/p/p"}, func(o *Options) { o.SkipApp = true })
	if err != nil {
		t.Fatal(err)
	}
	a.logs.waitConsole(t, "solo true object")
	a.launch(t, "solo/p/p")
	if err := a.rt.LoadUnits(true, nil, []string{"pages/index/index"}, nil); err != nil {
		t.Fatal(err)
	}
	a.logs.waitConsole(t, "launched main")
	a.deliver(t, "nav", map[string]any{"action": "navigateTo", "open": map[string]any{"page": "p2", "route": "pages/index/index", "query": map[string]any{}}, "show": "p2",
		"stack": map[string]any{"pages": []map[string]any{{"id": "p1"}, {"id": "p2"}}}})
	a.logs.waitConsole(t, "index main undefined")
}

// wx.loadSubpackage and wx.preDownloadSubpackage return a task: the gateway's call,
// one progress event of 100 before success, errMsg in the API's own name.
func TestLoadSubpackageTask(t *testing.T) {
	a, err := subApp(t, map[string]string{
		"app.js": `App({})`,
		"pages/index/index.js": `Page({ onLoad() {
			const task = wx.loadSubpackage({ name: 'shop',
				success: r => console.log('ok ' + r.errMsg),
				fail: r => console.log('fail ' + r.errMsg) })
			task.onProgressUpdate(p => console.log('progress ' + p.progress + ' ' + p.totalBytesWritten + '/' + p.totalBytesExpectedToWrite))
			wx.preDownloadSubpackage({ packageType: 'normal', name: 'solo', fail: r => console.log('pre ' + r.errMsg) })
		} })`,
	}, []string{"pages/index/index"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.launch(t, "pages/index/index")
	c := a.host.nextAPI(t)
	if c.Name != "subpackage.load" || !strings.Contains(string(c.Args), `"shop"`) {
		t.Fatalf("call = %s %s", c.Name, c.Args)
	}
	a.deliver(t, "apiResult", map[string]any{"id": c.ID, "ok": true, "result": map[string]any{"errMsg": "subpackage.load:ok", "totalBytesWritten": 10, "totalBytesExpectedToWrite": 10}})
	a.logs.waitConsole(t, "progress 100 10/10")
	a.logs.waitConsole(t, "ok loadSubpackage:ok")
	c = a.host.nextAPI(t)
	if c.Name != "preDownloadSubpackage" {
		t.Fatalf("call = %s", c.Name)
	}
	a.deliver(t, "apiResult", map[string]any{"id": c.ID, "ok": false, "result": map[string]any{"errMsg": "preDownloadSubpackage:fail offline"}})
	a.logs.waitConsole(t, "pre preDownloadSubpackage:fail offline")
}
