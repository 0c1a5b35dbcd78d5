package miniapp

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func base() fstest.MapFS {
	return fstest.MapFS{
		"app.json":             {Data: []byte(`{"pages":["pages/a/a","pages/b/b"]}`)},
		"app.js":               {Data: []byte(`App({})`)},
		"pages/a/a.js":         {Data: []byte(`Page({})`)},
		"pages/a/a.wxml":       {Data: []byte(`<view/>`)},
		"pages/b/b.js":         {Data: []byte(`Page({})`)},
		"pages/b/b.wxml":       {Data: []byte(`<view/>`)},
		"comps/x/x.js":         {Data: []byte(`Component({})`)},
		"comps/x/x.wxml":       {Data: []byte(`<view/>`)},
		"comps/y/y.js":         {Data: []byte(`Component({})`)},
		"comps/y/y.wxml":       {Data: []byte(`<view/>`)},
		"icons/home.png":       {Data: []byte("png")},
		"icons/home-on.png":    {Data: []byte("png")},
		"comps/x/x.json":       {Data: []byte(`{"component":true,"usingComponents":{"y-item":"../y/y","SearchBar":"../y/y"}}`)},
		"pages/b/b.json":       {Data: []byte(`{"navigationBarTitleText":"B","usingComponents":{"x-item":"/comps/x/x"}}`)},
		"pages/a/a.wxss":       {Data: []byte(`page{}`)},
		"unrelated/readme.txt": {Data: []byte("hi")},
	}
}

func TestLoadGood(t *testing.T) {
	p, err := Load(base())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Routes(), ","); got != "pages/a/a,pages/b/b" {
		t.Errorf("routes = %s", got)
	}
	if got := strings.Join(p.ComponentPaths(), ","); got != "comps/x/x,comps/y/y" {
		t.Errorf("components = %s", got)
	}
	b, _ := p.Page("pages/b/b")
	if b.Using["x-item"] != "comps/x/x" || b.Window["navigationBarTitleText"] != "B" {
		t.Errorf("page b = %+v", b)
	}
	if _, ok := b.Window["usingComponents"]; ok {
		t.Error("usingComponents leaked into window settings")
	}
	if p.Components["comps/x/x"].Using["y-item"] != "comps/y/y" {
		t.Errorf("nested usingComponents not resolved: %+v", p.Components["comps/x/x"])
	}
	a, _ := p.Page("pages/a/a")
	if !a.HasCSS || b.HasCSS {
		t.Error("HasCSS wrong")
	}
	if p.EntryRoute() != "pages/a/a" {
		t.Error("entry route")
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(fstest.MapFS)
		want string
	}{
		{"no app.json", func(m fstest.MapFS) { delete(m, "app.json") }, "app.json: missing"},
		{"no app.js", func(m fstest.MapFS) { delete(m, "app.js") }, "app.js: missing"},
		{"syntax", func(m fstest.MapFS) { m["app.json"] = &fstest.MapFile{Data: []byte("{\n  \"pages\": [\"a\",]\n}")} }, "app.json:2:17: invalid JSON"},
		{"type", func(m fstest.MapFS) { m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages": "pages/a/a"}`)} }, "app.json:1:21: pages: expected []string, found a JSON string"},
		{"no pages", func(m fstest.MapFS) { m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages": []}`)} }, "app.json: pages: must list at least one page"},
		{"id passing for an identity", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"id": "dev.a@0123456789abcdef", "pages": ["pages/a/a"]}`)}
		}, `app.json: id: "dev.a@0123456789abcdef": an app id cannot contain '@'`},
		{"page missing", func(m fstest.MapFS) { delete(m, "pages/b/b.wxml") }, `app.json: pages[1]: page "pages/b/b" has no pages/b/b.wxml`},
		{"page js missing", func(m fstest.MapFS) { delete(m, "pages/a/a.js") }, `app.json: pages[0]: page "pages/a/a" has no pages/a/a.js`},
		{"bad route", func(m fstest.MapFS) { m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["../x"]}`)} }, `app.json: pages[0]: "../x" is not a page path`},
		{"dup route", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a","pages/a/a"]}`)}
		}, `pages[1]: "pages/a/a" is listed twice`},
		{"page json syntax", func(m fstest.MapFS) { m["pages/a/a.json"] = &fstest.MapFile{Data: []byte(`{"x":}`)} }, "pages/a/a.json:1:6: invalid JSON"},
		{"builtin tag in upper case", func(m fstest.MapFS) {
			m["pages/a/a.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"View":"/comps/x/x"}}`)}
		}, `usingComponents.View: "View" cannot name a custom component`},
		{"builtin tag", func(m fstest.MapFS) {
			m["pages/a/a.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"view":"/comps/x/x"}}`)}
		}, `usingComponents.view: "view" cannot name a custom component`},
		{"component without wxml", func(m fstest.MapFS) { delete(m, "comps/y/y.wxml") }, `comps/y/y.json: component "comps/y/y" has no comps/y/y.wxml`},
		{"tab bar page", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a","pages/b/b"],"tabBar":{"list":[{"pagePath":"pages/a/a","text":"A"},{"pagePath":"pages/c/c","text":"C"}]}}`)}
		}, `app.json: tabBar.list[1].pagePath: "pages/c/c" is not in pages`},
		{"tab bar size", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a"],"tabBar":{"list":[{"pagePath":"pages/a/a","text":"A"}]}}`)}
		}, `tabBar.list: has 1 items; a tab bar has 2 to 5`},
		{"tab icon", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a","pages/b/b"],"tabBar":{"list":[{"pagePath":"pages/a/a","text":"A","iconPath":"icons/none.png"},{"pagePath":"pages/b/b","text":"B"}]}}`)}
		}, `tabBar.list[0].iconPath: "icons/none.png" is not a file`},
		{"entry", func(m fstest.MapFS) {
			m["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a"],"entryPagePath":"pages/z"}`)}
		}, `entryPagePath: "pages/z" is not in pages`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := base()
			c.edit(m)
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestBundlePath(t *testing.T) {
	cases := []struct {
		dir, ref, want string
		ok             bool
	}{
		{"pages/a", "../../comps/x/x", "comps/x/x", true},
		{"pages/a", "/comps/x/x", "comps/x/x", true},
		{"pages/a", "x", "pages/a/x", true},
		{"pages/a", "../../../x", "", false},
		{"", "..", "", false},
		{"", "/", "", false},
		{"", "a\\b", "", false},
		{"", "", "", false},
		{"pages/a", "../../x/../y", "y", true},
	}
	for _, c := range cases {
		got, ok := BundlePath(c.dir, c.ref)
		if got != c.want || ok != c.ok {
			t.Errorf("BundlePath(%q, %q) = %q, %v; want %q, %v", c.dir, c.ref, got, ok, c.want, c.ok)
		}
	}
}

func TestLoadTodoExample(t *testing.T) {
	p, err := Load(os.DirFS("../examples/todo"))
	if err != nil {
		t.Fatal(err)
	}
	if p.App.ID != "dev.sandframe.todo" || len(p.Pages) != 2 || len(p.Components) != 1 {
		t.Fatalf("todo project = %+v", p)
	}
}

// usingComponents resolve as WeChat's tools resolve them.
func TestResolveUsingWeChat(t *testing.T) {
	files := func() fstest.MapFS {
		f := base()
		for _, c := range []string{
			"miniprogram_npm/mp-html/index", "miniprogram_npm/@vant/weapp/dist/tag/index",
			"pages/b/miniprogram_npm/near/index", "miniprogram_npm/near/index",
			"@vant/weapp/dist/tag/index", "comps/ts/ts", "pages/b/local/local",
		} {
			f[c+".js"] = &fstest.MapFile{Data: []byte(`Component({})`)}
			f[c+".wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
		}
		delete(f, "comps/ts/ts.js")
		f["comps/ts/ts.ts"] = &fstest.MapFile{Data: []byte(`Component({})`)}
		return f
	}
	tests := []struct{ ref, want, wantWarn string }{
		{"mp-html", "miniprogram_npm/mp-html/index", ""},
		{"@vant/weapp/dist/tag/index", "miniprogram_npm/@vant/weapp/dist/tag/index", ""},
		{"@vant/weapp/dist/tag", "miniprogram_npm/@vant/weapp/dist/tag/index", ""},
		{"/@vant/weapp/dist/tag/index", "@vant/weapp/dist/tag/index", ""},
		{"near", "pages/b/miniprogram_npm/near/index", ""},
		{"local/local", "pages/b/local/local", ""},
		{"./local/local", "pages/b/local/local", ""},
		{"/comps/ts/ts", "comps/ts/ts", ""},
		// What resolves to nothing degrades: a warning, and the tag is a plain container.
		{"../../../x", "", `pages/b/b.json: usingComponents.c-x: "../../../x" points outside the mini-app: <c-x> renders as a plain container`},
		{"/missing/x", "", `component "/missing/x" not found (no missing/x.js)`},
		{"weui-miniprogram/navigation-bar/navigation-bar", "", `not found (no pages/b/miniprogram_npm/weui-miniprogram/navigation-bar/navigation-bar.js)`},
		{"plugin://p/x", "", "a plugin component, not supported on this platform"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			f := files()
			f["pages/b/b.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"c-x":"` + tt.ref + `"}}`)}
			p, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantWarn != "" {
				pg, _ := p.Page("pages/b/b")
				if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], tt.wantWarn) {
					t.Fatalf("warnings = %q, want one containing %q", p.Warnings, tt.wantWarn)
				}
				if _, ok := pg.Using["c-x"]; ok {
					t.Errorf("c-x still in usingComponents: %v", pg.Using)
				}
				return
			}
			pg, _ := p.Page("pages/b/b")
			if pg.Using["c-x"] != tt.want {
				t.Errorf("resolved to %q, want %q", pg.Using["c-x"], tt.want)
			}
			if _, ok := p.Components[tt.want]; !ok {
				t.Errorf("component %s not loaded", tt.want)
			}
		})
	}
}

func TestTypeScriptPagesAndApp(t *testing.T) {
	f := base()
	delete(f, "app.js")
	delete(f, "pages/a/a.js")
	f["app.ts"] = &fstest.MapFile{Data: []byte(`App({})`)}
	f["pages/a/a.ts"] = &fstest.MapFile{Data: []byte(`Page({})`)}
	if _, err := Load(f); err != nil {
		t.Fatal(err)
	}
}

// WeChat's dark-mode theme file: "@name" values take the light theme's value.
func TestThemeLocation(t *testing.T) {
	f := base()
	f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a","pages/b/b"],"themeLocation":"theme.json","darkmode":true,
		"window":{"navigationBarBackgroundColor":"@navBg"},
		"tabBar":{"color":"@tabColor","list":[{"pagePath":"pages/a/a","text":"A","iconPath":"@icon"},{"pagePath":"pages/b/b","text":"B"}]}}`)}
	f["theme.json"] = &fstest.MapFile{Data: []byte(`{"light":{"navBg":"#ffffff","tabColor":"#111111","icon":"icons/home.png","pageBg":"#eeeeee"},"dark":{"navBg":"#000000"}}`)}
	f["pages/a/a.json"] = &fstest.MapFile{Data: []byte(`{"backgroundColor":"@pageBg","navigationBarTitleText":"@unknown"}`)}
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if p.App.Window["navigationBarBackgroundColor"] != "#ffffff" || p.App.TabBar.Color != "#111111" || p.App.TabBar.List[0].IconPath != "icons/home.png" {
		t.Errorf("app.json not themed: window %v, tabBar %+v", p.App.Window, p.App.TabBar)
	}
	a, _ := p.Page("pages/a/a")
	if a.Window["backgroundColor"] != "#eeeeee" || a.Window["navigationBarTitleText"] != "@unknown" {
		t.Errorf("page window = %v", a.Window)
	}

	delete(f, "theme.json")
	f["pages/a/a.json"] = &fstest.MapFile{Data: []byte(`{}`)}
	f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a"],"themeLocation":"theme.json"}`)}
	if p, err = Load(f); err != nil || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "no theme.json") {
		t.Errorf("missing theme: %v, warnings %q", err, p.Warnings)
	}
}

// componentGenerics: each abstract node is listed, its default resolved like
// usingComponents and loaded; styleIsolation from the .json is kept.
func TestComponentGenerics(t *testing.T) {
	f := base()
	f["comps/d/d.js"] = &fstest.MapFile{Data: []byte(`Component({})`)}
	f["comps/d/d.wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
	f["comps/x/x.json"] = &fstest.MapFile{Data: []byte(`{"component":true,"styleIsolation":"apply-shared",
		"componentGenerics":{"cell":{"default":"../d/d"},"free":true,"gone":{"default":"../none/none"}}}`)}
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	x := p.Components["comps/x/x"]
	want := map[string]string{"cell": "comps/d/d", "free": "", "gone": ""}
	if len(x.Generics) != len(want) {
		t.Fatalf("generics = %v, want %v", x.Generics, want)
	}
	for k, v := range want {
		if x.Generics[k] != v {
			t.Errorf("generic %s = %q, want %q", k, x.Generics[k], v)
		}
	}
	if _, ok := p.Components["comps/d/d"]; !ok {
		t.Error("the default of a generic was not loaded")
	}
	if x.StyleIsolation != "apply-shared" {
		t.Errorf("styleIsolation = %q", x.StyleIsolation)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], `comps/x/x.json: componentGenerics.gone: component "../none/none" not found`) {
		t.Errorf("a default that resolves to nothing should warn once: %q", p.Warnings)
	}

	f["comps/x/x.json"] = &fstest.MapFile{Data: []byte(`{"component":true,"componentGenerics":{"view":true}}`)}
	if _, err := Load(f); err == nil || !strings.Contains(err.Error(), "componentGenerics.view") {
		t.Errorf("a built-in tag as a generic name: %v", err)
	}
	f["comps/x/x.json"] = &fstest.MapFile{Data: []byte(`{"component":true,"componentGenerics":["cell"]}`)}
	if _, err := Load(f); err == nil || !strings.Contains(err.Error(), "componentGenerics") {
		t.Errorf("componentGenerics not an object: %v", err)
	}
}
