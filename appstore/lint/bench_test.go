package lint

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// realisticApp builds a mini-app of about size bytes: pages with the code, markup and
// styles real mini-programs have (Page objects with handlers, setData, wx calls, string
// tables of labels, loops), plus a shared utility library.
func realisticApp(size int) (fstest.MapFS, int) {
	fsys := fstest.MapFS{}
	total := 0
	add := func(name, body string) {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
		total += len(body)
	}
	add("app.json", `{"pages": ["pages/p0/p0"], "network": {"domains": ["api.example.com"]},
  "capabilities": {"location:read": {"reason": "Weather where you are"}, "network:request": {"reason": "Load your items"}}}`)
	add("app.js", "App({ onLaunch() { this.globalData = { started: Date.now() } }, globalData: {} })\n")
	var lib strings.Builder
	lib.WriteString("'use strict'\n")
	for i := 0; lib.Len() < size/10; i++ {
		fmt.Fprintf(&lib, `function format%d(value, opts) {
  opts = opts || {}
  var parts = String(value).split('.')
  var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, opts.sep || ',')
  return parts.length > 1 ? whole + '.' + parts[1].slice(0, opts.digits || 2) : whole
}
exports.format%d = format%d
`, i, i, i)
	}
	add("utils/lib.js", lib.String())
	for p := 0; total < size; p++ {
		dir := fmt.Sprintf("pages/p%d/p%d", p, p)
		var js strings.Builder
		fmt.Fprintf(&js, "const lib = require('../../utils/lib')\nconst API = 'https://api.example.com/v1/page%d'\n", p)
		js.WriteString("const LABELS = {")
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&js, " k%d: 'Label number %d',", i, i)
		}
		js.WriteString(" }\nPage({\n  data: { items: [], loading: false, filter: 'all', page: 0 },\n")
		for m := 0; m < 25; m++ {
			fmt.Fprintf(&js, `  handler%d(e) {
    const id = e.currentTarget.dataset.id
    const items = this.data.items.map((it) => it.id === id ? { ...it, done: !it.done, label: LABELS['k' + (it.id %% 40)] } : it)
    for (let i = 0; i < items.length; i++) {
      if (items[i].done && items[i].count > %d) { items[i].count = lib.format%d(items[i].count) }
    }
    this.setData({ items, ['stats.h%d']: items.filter((x) => x.done).length })
    if (items.length > 100) wx.showToast({ title: 'Too many: ' + items.length, icon: 'none' })
  },
`, m, m, m%5, m)
		}
		js.WriteString("  onLoad(query) {\n    wx.request({ url: API + '/items?page=' + query.page, success: (res) => this.setData({ items: res.data }) })\n    wx.getLocation().then((loc) => this.setData({ loc }))\n  },\n})\n")
		add(dir+".js", js.String())

		var wxml strings.Builder
		wxml.WriteString("<view class=\"page\">\n  <view wx:for=\"{{items}}\" wx:key=\"id\" class=\"row {{item.done ? 'done' : ''}}\" data-id=\"{{item.id}}\" bindtap=\"handler0\">\n")
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&wxml, "    <text class=\"cell c%d\">{{item.f%d}}</text><image src=\"/images/i%d.png\" mode=\"aspectFit\"/>\n", i, i, i)
		}
		wxml.WriteString("  </view>\n  <button bindtap=\"handler1\" type=\"primary\">More</button>\n</view>\n")
		add(dir+".wxml", wxml.String())

		var wxss strings.Builder
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&wxss, ".c%d { padding: %drpx; color: #%06x; background: url(/images/bg%d.png) no-repeat center / cover; }\n", i, i, i*4099, i)
		}
		add(dir+".wxss", wxss.String())
	}
	return fsys, total
}

func TestRealisticAppIsClean(t *testing.T) {
	fsys, total := realisticApp(300 << 10)
	got, err := Run(fsys, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 0 {
		t.Errorf("%d bytes, findings:\n%s", total, dump(got))
	}
}

// BenchmarkLintThroughput lints a generated ~1 MB mini-app; MB/s is its size over the
// time of one Run.
func BenchmarkLintThroughput(b *testing.B) {
	fsys, total := realisticApp(1 << 20)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(fsys, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
