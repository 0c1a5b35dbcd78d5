package host

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
)

// fakeFetcher is an app's files with some subpackages held back until Fetch (or
// failing it with fail): the test's stand-in for a catalog.
type fakeFetcher struct {
	mu      sync.RWMutex
	files   fstest.MapFS
	held    map[string]fstest.MapFS
	fail    error
	fetched []string
}

func newFakeFetcher(t *testing.T, dir string, hold ...string) *fakeFetcher {
	t.Helper()
	f := &fakeFetcher{files: fstest.MapFS{}, held: map[string]fstest.MapFS{}}
	src := os.DirFS(dir)
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		for _, root := range hold {
			if strings.HasPrefix(p, root+"/") {
				if f.held[root] == nil {
					f.held[root] = fstest.MapFS{}
				}
				f.held[root][p] = &fstest.MapFile{Data: data}
				return nil
			}
		}
		f.files[p] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fakeFetcher) Open(name string) (fs.File, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.files.Open(name)
}

func (f *fakeFetcher) Present(root string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.held[root] == nil
}

func (f *fakeFetcher) Fetch(ctx context.Context, root string, progress func(done, total int64)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fetched = append(f.fetched, root)
	if f.fail != nil {
		return f.fail
	}
	files, ok := f.held[root]
	if !ok {
		return errors.New("no such subpackage")
	}
	var n int64
	for _, mf := range files {
		n += int64(len(mf.Data))
	}
	if progress != nil {
		progress(0, n)
	}
	for p, mf := range files {
		f.files[p] = mf
	}
	delete(f.held, root)
	if progress != nil {
		progress(n, n)
	}
	return nil
}

func (f *fakeFetcher) fetchedRoots() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return append([]string(nil), f.fetched...)
}

func (f *fakePage) uiOps() []bridge.UI {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bridge.UI(nil), f.ui...)
}

const example = "../examples/subpackages"

// The first navigation into a subpackage that is not there fetches it with a loading
// state in the page, compiles it, and goes on; require.async and the placeholder's
// component then need no fetch.
func TestSubpackageFetchedOnNavigation(t *testing.T) {
	f := newFakeFetcher(t, example, "shop")
	s, page := startFetching(t, f, nil)
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "not yet" })
	page.tap("openShop")
	d := waitData(t, s, func(d map[string]any) bool { return d["from"] == "index" })
	if d["total"] != "16.49 EUR" || d["main"] != "main package" {
		t.Fatalf("shop page data = %v", d)
	}
	if got := f.fetchedRoots(); !slices.Equal(got, []string{"shop"}) {
		t.Fatalf("fetched %v", got)
	}
	var ops []string
	var units string
	for _, u := range page.uiOps() {
		ops = append(ops, u.Op+":"+u.Icon)
		if u.Op == "units" {
			units = string(u.Units)
		}
	}
	if !slices.Contains(ops, "toast:loading") || !slices.Contains(ops, "hideToast:") {
		t.Errorf("no loading state: ui ops %v", ops)
	}
	for _, want := range []string{`"shop/pages/list/list"`, `"shop/components/price/price"`, `"pages/index/index"`} {
		if !strings.Contains(units, want) {
			t.Errorf("units op lacks %s: %.300s", want, units)
		}
	}
	if _, err := s.navigate("navigateBack", "", 1); err != nil {
		t.Fatal(err)
	}
	waitData(t, s, func(d map[string]any) bool { return d["result"] == "navigateTo:ok" })
	page.tap("loadCart")
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "16.49" })
	if got := f.fetchedRoots(); len(got) != 1 {
		t.Fatalf("fetched again: %v", got)
	}
}

// require.async of a module in a subpackage not there yet fetches it.
func TestRequireAsyncFetches(t *testing.T) {
	f := newFakeFetcher(t, example, "shop")
	s, page := startFetching(t, f, nil)
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "not yet" })
	page.tap("loadCart")
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "16.49" })
	if got := f.fetchedRoots(); !slices.Equal(got, []string{"shop"}) {
		t.Fatalf("fetched %v", got)
	}
}

// A failed fetch fails the navigation WeChat's way; the app keeps running.
func TestSubpackageFetchFails(t *testing.T) {
	f := newFakeFetcher(t, example, "shop")
	f.fail = errors.New("offline")
	s, page := startFetching(t, f, nil)
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "not yet" })
	page.tap("openShop")
	waitData(t, s, func(d map[string]any) bool {
		return d["result"] == `navigateTo:fail subpackage "shop" could not be loaded: offline`
	})
	page.tap("loadCart")
	waitData(t, s, func(d map[string]any) bool { return strings.HasPrefix(d["total"].(string), "failed: ") })
	page.tap("openSolo")
	waitData(t, s, func(d map[string]any) bool { return d["app"] == "with main package" })
}

// An app started in an independent subpackage runs without app.js; the main package
// loads when the app leaves it.
func TestIndependentLaunch(t *testing.T) {
	f := newFakeFetcher(t, example, "shop")
	s, _ := startFetching(t, f, func(o *Options) { o.StartPage = "/solo/pages/alone/alone" })
	waitData(t, s, func(d map[string]any) bool { return d["app"] == "without the main package" })
	if css := s.appCSS(); css != "" {
		t.Errorf("app.wxss applies to an independent launch: %q", css)
	}
	if _, err := s.navigate("navigateTo", "/pages/index/index", 0); err != nil {
		t.Fatal(err)
	}
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "not yet" })
	if s.appCSS() == "" {
		t.Error("app.wxss not back after the main package loaded")
	}
}

// preloadRule fetches after its page shows, when the network allows.
func TestPreloadRule(t *testing.T) {
	old := preloadNetwork
	t.Cleanup(func() { preloadNetwork = old })
	preloadNetwork = func() netapi.NetworkStatus { return netapi.NetworkStatus{Type: "wifi", Connected: true} }
	f := newFakeFetcher(t, example, "shop", "solo")
	s, page := startFetching(t, f, nil)
	waitData(t, s, func(d map[string]any) bool { return d["total"] == "not yet" })
	if got := f.fetchedRoots(); len(got) != 0 {
		t.Fatalf("fetched before any rule: %v", got)
	}
	page.tap("openShop")
	waitData(t, s, func(d map[string]any) bool { return d["from"] == "index" })
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Contains(f.fetchedRoots(), "solo") {
		if time.Now().After(deadline) {
			t.Fatalf("solo never preloaded: fetched %v", f.fetchedRoots())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// startFetching runs the example app from a fetcher on a fake page.
func startFetching(t *testing.T, f *fakeFetcher, mutate func(*Options)) (*Session, *fakePage) {
	t.Helper()
	app, err := LoadFetching(f, f)
	if err != nil {
		t.Fatal(err)
	}
	return startApp(t, app, mutate)
}
