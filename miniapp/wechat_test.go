package miniapp

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAppKeys(t *testing.T) {
	raw := []byte("{\n  \"pages\": [\"pages/a/a\"],\n  \"style\": \"v2\",\n  \"sitemapLocation\": \"sitemap.json\",\n" +
		"  \"plugins\": {\"p\": {}},\n  \"tabBar\": {\"custom\": true, \"list\": []},\n  \"colour\": 1,\n" +
		"  \"subpackages\": [{\"root\": \"a\", \"pages\": []}, {\"root\": \"b\", \"pages\": [], \"independent\": true}]\n}")
	var got []string
	for _, k := range AppKeys(raw) {
		got = append(got, k.Error())
	}
	want := []string{
		`app.json:3:3: style: "v2": the shell draws one style of built-in components (close to WeChat's "v2")`,
		`app.json:5:3: plugins: plugins are not supported on this platform: their pages and components do not exist`,
		`app.json:6:3: tabBar: tabBar.custom: the shell draws its own tab bar from tabBar.list (custom-tab-bar/ is not used)`,
		`app.json:7:3: colour: not a key WeChat or Sandframe defines; ignored`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("AppKeys =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if AppKeys([]byte(`[1]`)) != nil || AppKeys([]byte(`{"a":`)) != nil {
		t.Error("AppKeys of a non-object must be empty")
	}
}

func TestSubPackages(t *testing.T) {
	for _, key := range []string{"subpackages", "subPackages"} {
		fsys := base()
		fsys["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a"],"` + key + `":[` +
			`{"root":"pkg","pages":["p/p","gone/gone"]},{"root":"/more/","pages":["pages/b/b"]}]}`)}
		fsys["pkg/p/p.js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
		fsys["pkg/p/p.wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
		fsys["more/pages/b/b.js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
		fsys["more/pages/b/b.wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
		p, err := Load(fsys)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if got := strings.Join(p.Routes(), ","); got != "pages/a/a,pkg/p/p,more/pages/b/b" {
			t.Errorf("%s: routes = %s", key, got)
		}
		if p.EntryRoute() != "pages/a/a" {
			t.Errorf("%s: entry = %s", key, p.EntryRoute())
		}
		if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, `subpackages[0].pages[1]: page "pkg/gone/gone" has no pkg/gone/gone.js (or .ts); the page is left out`) {
			t.Errorf("%s: warnings = %s", key, w)
		}
	}
}

func TestLoadKeepGoing(t *testing.T) {
	fsys := base()
	fsys["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a","pages/none/none","pages/b/b","pages/c/c"],` +
		`"tabBar":{"list":[{"pagePath":"pages/a/a","text":"A"}]}}`)}
	fsys["pages/c/c.js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
	fsys["pages/c/c.wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
	fsys["pages/c/c.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"z":"/comps/z/z"}}`)}
	fsys["comps/z/z.js"] = &fstest.MapFile{Data: []byte(`Component({})`)}
	if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), "pages/none/none") {
		t.Fatalf("Load = %v, want the first error", err)
	}
	p, err := LoadWith(fsys, LoadOptions{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range p.Errors {
		var me *Error
		if !errors.As(e, &me) {
			t.Errorf("error %v is not a *miniapp.Error", e)
		}
		msgs = append(msgs, e.Error())
	}
	want := []string{
		`app.json: pages[1]: page "pages/none/none" has no pages/none/none.js (or .ts)`,
		`comps/z/z.json: component "comps/z/z" has no comps/z/z.wxml`,
		`app.json: tabBar.list: has 1 items; a tab bar has 2 to 5`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors =\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if got := strings.Join(p.Routes(), ","); got != "pages/a/a,pages/b/b,pages/c/c" {
		t.Errorf("routes = %s", got)
	}
	if p.App.TabBar != nil {
		t.Error("a broken tab bar is left out")
	}
}

// A subpackage page left out for a broken component takes the components only it
// brought in with it.
func TestSubPackagePageWithBrokenComponent(t *testing.T) {
	fsys := base()
	fsys["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/a/a"],"subpackages":[{"root":"pkg","pages":["p/p"]}]}`)}
	fsys["pkg/p/p.js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
	fsys["pkg/p/p.wxml"] = &fstest.MapFile{Data: []byte(`<outer/>`)}
	fsys["pkg/p/p.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"outer":"../outer/outer"}}`)}
	fsys["pkg/outer/outer.js"] = &fstest.MapFile{Data: []byte(`Component({})`)}
	fsys["pkg/outer/outer.wxml"] = &fstest.MapFile{Data: []byte(`<inner/>`)}
	fsys["pkg/outer/outer.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents":{"inner":"../inner/inner"}}`)}
	fsys["pkg/inner/inner.js"] = &fstest.MapFile{Data: []byte(`Component({})`)}
	p, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Routes(), ","); got != "pages/a/a" {
		t.Errorf("routes = %s", got)
	}
	if len(p.Components) != 0 {
		t.Errorf("components left behind: %v", p.ComponentPaths())
	}
	if w := strings.Join(p.Warnings, "\n"); !strings.Contains(w, "pkg/inner/inner.wxml") {
		t.Errorf("warnings = %s", w)
	}
}
