package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// subpackageApp copies examples/subpackages to a temporary folder with the roots in
// hold moved to a store beside it, from which the test build's fetcher
// (cmd/shell/subpackages_testhooks.go) installs them on demand.
func subpackageApp(t *testing.T, hold ...string) (app, store string) {
	t.Helper()
	tmp := t.TempDir()
	app, store = filepath.Join(tmp, "app"), filepath.Join(tmp, "store")
	src := filepath.Join(repoRoot, "examples", "subpackages")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(app, rel)
		for _, h := range hold {
			if rel == h || strings.HasPrefix(rel, h+string(filepath.Separator)) {
				dst = filepath.Join(store, rel)
			}
		}
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(store, 0o755)
	return app, store
}

// text waits until the first element matching selector shows want.
func text(t *testing.T, ctx context.Context, c *automation.Client, selector, want string) {
	t.Helper()
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, selector)
		if err != nil || len(els) == 0 {
			return false, nil
		}
		got = strings.TrimSpace(els[0].Text)
		return got == want, nil
	})
	if err != nil {
		t.Fatalf("%s shows %q, want %q: %v", selector, got, want, err)
	}
}

// A subpackage missing from the app is fetched on the first navigation into it, and
// the page shows; require.async then reaches its module; the placeholder's component
// renders once it is there.
func TestSubpackageFetchedOnNavigationEndToEnd(t *testing.T) {
	app, store := subpackageApp(t, "shop")
	r := launchEnv(t, app, []string{"SFTEST_SUBPACKAGE_STORE=" + store})
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	text(t, ctx, c, "#title", "Main package")
	if _, err := os.Stat(filepath.Join(app, "shop")); err == nil {
		t.Fatal("shop is in the app before any fetch")
	}
	start := time.Now()
	if err := c.Tap(ctx, "#shop"); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#title", "Shop subpackage")
	t.Logf("tap to the first page of a fetched subpackage: %s", time.Since(start).Round(time.Millisecond))
	text(t, ctx, c, "#from", "Opened from: index")
	text(t, ctx, c, "#total", "Total: 16.49 EUR")
	text(t, ctx, c, "#badge", "[main component]")
	text(t, ctx, c, "#price", "3.99 EUR")
	if _, err := os.Stat(filepath.Join(app, "shop", "pages", "list", "list.js")); err != nil {
		t.Fatalf("shop not installed: %v", err)
	}
	if _, err := c.Navigate(ctx, "navigateBack", "", 1); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#result", "navigateTo:ok")
	if err := c.Tap(ctx, "#cart"); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#total", "Cart total: 16.49")
}

// A fetch that fails fails the navigation with WeChat's fail callback; the app keeps
// running.
func TestSubpackageFetchFailsEndToEnd(t *testing.T) {
	app, store := subpackageApp(t, "shop")
	r := launchEnv(t, app, []string{"SFTEST_SUBPACKAGE_STORE=" + store, "SFTEST_SUBPACKAGE_FAIL=offline"})
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	text(t, ctx, c, "#title", "Main package")
	if err := c.Tap(ctx, "#shop"); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#result", `navigateTo:fail subpackage "shop" could not be loaded: offline`)
	text(t, ctx, c, "#title", "Main package")
	if err := c.Tap(ctx, "#solo"); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#title", "Independent subpackage")
	text(t, ctx, c, "#app", "Started with main package")
}

// An independent subpackage as the entry starts without the main package: no app.js
// (getApp({allowDefault: true})), no app.wxss; navigating out loads it.
func TestIndependentSubpackageEntryEndToEnd(t *testing.T) {
	r := launch(t, "examples/subpackages", "--page", "/solo/pages/alone/alone")
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	text(t, ctx, c, "#title", "Independent subpackage")
	text(t, ctx, c, "#app", "Started without the main package")
	st, err := c.Style(ctx, "#title", "", "margin-top")
	if err != nil {
		t.Fatal(err)
	}
	if st["margin-top"] != "0px" {
		t.Errorf("app.wxss applies to the independent page: margin-top %q", st["margin-top"])
	}
	if _, err := c.Navigate(ctx, "navigateTo", "/pages/index/index", 0); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#title", "Main package")
	st, err = c.Style(ctx, "#title", "", "margin-top")
	if err != nil {
		t.Fatal(err)
	}
	if st["margin-top"] == "0px" || st["margin-top"] == "" {
		t.Errorf("app.wxss not applied after the main package loaded: margin-top %q", st["margin-top"])
	}
}

// Sideloaded, with every subpackage there: the placeholder's component renders at
// once, and require.async needs no fetch.
func TestSubpackagesSideloadedEndToEnd(t *testing.T) {
	r := launch(t, "examples/subpackages")
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	text(t, ctx, c, "#price", "12.50 EUR")
	if err := c.Tap(ctx, "#cart"); err != nil {
		t.Fatal(err)
	}
	text(t, ctx, c, "#total", "Cart total: 16.49")
}
