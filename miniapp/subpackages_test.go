package miniapp

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func exampleFS(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	root := "../examples/subpackages"
	err := fsWalk(os.DirFS(root), func(p string, data []byte) { out[p] = &fstest.MapFile{Data: data} })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// absent is a SubpackageFetcher whose subpackages are all missing.
type absent map[string]bool

func (a absent) Present(root string) bool { return !a[root] }
func (a absent) Fetch(context.Context, string, func(int64, int64)) error {
	return nil
}

func TestSubpackagesExample(t *testing.T) {
	p, err := Load(exampleFS(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Packages) != 2 || p.Packages[0].Root != "shop" || !p.Packages[1].Independent {
		t.Fatalf("packages = %+v", p.Packages)
	}
	list, ok := p.Page("shop/pages/list/list")
	if !ok || list.Package != "shop" || !list.Sub {
		t.Fatalf("shop page = %+v, %v", list, ok)
	}
	if list.Using["badge"] != "components/badge/badge" || list.Using["price"] != "shop/components/price/price" {
		t.Errorf("shop page uses %v", list.Using)
	}
	idx, _ := p.Page("pages/index/index")
	if idx.Placeholders["price-tag"] != "view" || idx.Using["price-tag"] != "shop/components/price/price" {
		t.Errorf("index: placeholders %v, using %v", idx.Placeholders, idx.Using)
	}
	if r := p.App.PreloadRule["shop/pages/list/list"]; r.Network != "all" || len(r.Packages) != 1 {
		t.Errorf("preloadRule = %+v", p.App.PreloadRule)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %q", p.Warnings)
	}
}

// A subpackage whose files are not there yet loads after its fetch; uses of its
// components wait with their placeholder.
func TestSubpackagePendingThenLoaded(t *testing.T) {
	files := exampleFS(t)
	missing := fstest.MapFS{}
	for k, v := range files {
		if strings.HasPrefix(k, "shop/") {
			missing[k] = v
			delete(files, k)
		}
	}
	p, err := LoadWith(files, LoadOptions{Fetcher: absent{"shop": true}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Pending["shop"] || len(p.Warnings) != 0 {
		t.Fatalf("pending %v, warnings %q", p.Pending, p.Warnings)
	}
	if _, ok := p.Page("shop/pages/list/list"); ok {
		t.Fatal("a page of a missing subpackage loaded")
	}
	if root, ok := p.PendingRoot("/shop/pages/list/list"); !ok || root != "shop" {
		t.Fatalf("PendingRoot = %q, %v", root, ok)
	}
	idx, _ := p.Page("pages/index/index")
	if _, ok := idx.Using["price-tag"]; ok || p.Deferred("pages/index/index")["price-tag"] != "shop/components/price/price" {
		t.Fatalf("index using %v, deferred %v", idx.Using, p.Deferred("pages/index/index"))
	}
	for k, v := range missing { // the fetch
		files[k] = v
	}
	pages, comps, owners, err := p.LoadSubpackage("shop")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pages, ",") != "shop/pages/list/list" || strings.Join(comps, ",") != "components/badge/badge,shop/components/price/price" || strings.Join(owners, ",") != "pages/index/index" {
		t.Fatalf("loaded pages %v comps %v owners %v", pages, comps, owners)
	}
	idx, _ = p.Page("pages/index/index")
	if idx.Using["price-tag"] != "shop/components/price/price" || p.Pending["shop"] {
		t.Fatalf("after the fetch: index uses %v, pending %v", idx.Using, p.Pending)
	}
}

func TestSubpackageRules(t *testing.T) {
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want string
	}{
		{"main uses a subpackage component without a placeholder", func(f fstest.MapFS) {
			f["pages/index/index.json"] = &fstest.MapFile{Data: []byte("{\n  \"usingComponents\": {\n    \"price-tag\": \"/shop/components/price/price\"\n  }\n}")}
		}, `pages/index/index.json:3:1: usingComponents.price-tag: component "shop/components/price/price" is in subpackage "shop": the main package may use it only asynchronously, with a componentPlaceholder entry for the tag`},
		{"independent uses the main package", func(f fstest.MapFS) {
			f["solo/pages/alone/alone.json"] = &fstest.MapFile{Data: []byte(`{"usingComponents": {"badge": "/components/badge/badge"}}`)}
		}, `solo/pages/alone/alone.json:1:1: usingComponents.badge: component "components/badge/badge" is outside independent subpackage "solo"`},
		{"nested roots", func(f fstest.MapFS) {
			f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/index/index"],"subpackages":[{"root":"shop","pages":["pages/list/list"]},{"root":"shop/inner","pages":["x"]}]}`)}
		}, `subpackages[1].root: "shop/inner" overlaps subpackage root "shop"`},
		{"main page under a root", func(f fstest.MapFS) {
			f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/index/index","shop/pages/list/list"],"subpackages":[{"root":"shop","pages":["pages/list/list"]}]}`)}
		}, `pages[1]: "shop/pages/list/list" is inside subpackage root "shop"`},
		{"preloadRule network", func(f fstest.MapFS) {
			f["app.json"] = &fstest.MapFile{Data: []byte("{\"pages\":[\"pages/index/index\"],\n\"subpackages\":[{\"root\":\"shop\",\"pages\":[\"pages/list/list\"]}],\n\"preloadRule\":{\"pages/index/index\":{\"network\":\"4g\",\"packages\":[\"shop\"]}}}")}
		}, `app.json:3:1: preloadRule.pages/index/index.network: "4g": network is "all" or "wifi"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := exampleFS(t)
			tt.edit(f)
			_, err := Load(f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
}

// A preloadRule naming what the app does not have is a warning, as is the page.
func TestPreloadRuleWarnings(t *testing.T) {
	f := exampleFS(t)
	f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/index/index"],"subPackages":[{"root":"shop","name":"s","pages":["pages/list/list"]}],
"preloadRule":{"pages/nope/nope":{"packages":["s","ghost","__APP__"]}}}`)}
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(p.Warnings, "\n")
	for _, want := range []string{`"pages/nope/nope" is not a page of the app`, `"ghost" names no subpackage`} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
	if strings.Contains(got, `"s" names`) || strings.Contains(got, "__APP__") {
		t.Errorf("a known package warned: %q", got)
	}
	if sp, ok := p.Subpackage("s"); !ok || sp.Root != "shop" {
		t.Errorf("Subpackage(s) = %+v, %v", sp, ok)
	}
}

func TestModuleRule(t *testing.T) {
	if ModuleRule("shop", "", false) != "" || ModuleRule("shop", "shop", false) != "" {
		t.Error("a subpackage may require the main package and itself")
	}
	if !strings.Contains(ModuleRule("", "shop", false), "require.async") || !strings.Contains(ModuleRule("a", "shop", false), "require.async") {
		t.Error("the main package and other subpackages need require.async")
	}
	if ModuleRule("solo", "", true) == "" {
		t.Error("an independent subpackage may not require the main package")
	}
}

func fsWalk(fsys fs.FS, fn func(string, []byte)) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		fn(p, data)
		return err
	})
}

func TestTabBarPageInSubpackage(t *testing.T) {
	f := exampleFS(t)
	f["pages/two/two.js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
	f["pages/two/two.wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
	f["app.json"] = &fstest.MapFile{Data: []byte(`{"pages":["pages/index/index","pages/two/two"],"subpackages":[{"root":"shop","pages":["pages/list/list"]}],
"tabBar":{"list":[{"pagePath":"pages/index/index","text":"a"},{"pagePath":"shop/pages/list/list","text":"b"}]}}`)}
	_, err := Load(f)
	if err == nil || !strings.Contains(err.Error(), `tabBar.list[1].pagePath: "shop/pages/list/list" is in subpackage "shop": tab bar pages are in the main package`) {
		t.Fatalf("err = %v", err)
	}
}
