package launcher

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/internal/apptest"
)

// serveCatalog publishes bundles into a catalog signed by key(2) and serves it.
func serveCatalog(t *testing.T, bundles ...string) string {
	t.Helper()
	dir := t.TempDir()
	apptest.Publish(t, dir, key(2), bundles...)
	return apptest.Serve(t, dir)
}

func TestCatalogListInstallUpdateRollback(t *testing.T) {
	dir := t.TempDir()
	notes1 := app{id: notes, version: "1.0.0", key: key(1)}.pack(t, dir)
	notes2 := app{id: notes, version: "1.1.0", key: key(1)}.pack(t, dir)
	clock1 := app{id: clock, version: "3.0.0", key: key(1)}.pack(t, dir)
	url := serveCatalog(t, notes1, notes2, clock1)
	f := newFixture(t, func(c *configs.Config) { c.Launcher.Catalog = url })
	if _, err := f.in.InstallFile(notes1, installer.Options{}); err != nil {
		t.Fatal(err)
	}

	list := f.must(t, "catalog.list", "{}").(CatalogList)
	want := []CatalogApp{
		{ID: clock, Name: "Clock", Version: "3.0.0"},
		{ID: notes, Name: "Notes", Version: "1.1.0", Publisher: "Acme", Description: "Write things down. Keep them.", Installed: "1.0.0", Update: true},
	}
	if list.URL != url || !slices.Equal(list.Apps, want) {
		t.Fatalf("catalog.list = %+v\nwant %+v", list, want)
	}
	if apps := f.must(t, "apps.list", "").(AppsList); apps.Catalog != url || apps.Apps[0].Update != "1.1.0" {
		t.Fatalf("apps.list after catalog.list: %+v", apps)
	}

	res := f.must(t, "catalog.install", `{"id":"dev.test.clock"}`).(App)
	if res.ID != clock || res.Version != "3.0.0" || res.Publisher != "Acme" {
		t.Fatalf("catalog.install = %+v", res)
	}
	var stages []string
	for _, p := range f.page.events(EventInstallProgress) {
		if p["id"] != clock {
			t.Fatalf("progress event of %v", p)
		}
		if len(stages) == 0 || stages[len(stages)-1] != p["stage"] {
			stages = append(stages, p["stage"].(string))
		}
	}
	if !slices.Equal(stages, []string{"download", "verify", "install"}) {
		t.Errorf("progress stages %v", stages)
	}
	if a := f.lastAudit(t); a.App != clock || a.API != "catalog.install" || a.Decision != bridge.DecisionOK {
		t.Errorf("audit %+v", a)
	}

	f.runner.set(notes, StateRunning)
	res = f.must(t, "app.update", `{"id":"dev.test.notes"}`).(App)
	if res.Version != "1.1.0" || res.Previous != "1.0.0" || res.Update != "" || res.State != StateStopped {
		t.Fatalf("app.update = %+v", res)
	}
	if _, err := f.do(t, "app.update", `{"id":"dev.test.notes"}`); err == nil || err.Error() != "update dev.test.notes: 1.1.0 is the newest version the catalog has" {
		t.Fatalf("second update = %v", err)
	}
	if a := f.lastAudit(t); a.App != notes || a.API != "app.update" || a.Decision != bridge.DecisionError {
		t.Errorf("audit %+v", a)
	}
	res = f.must(t, "app.rollback", `{"id":"dev.test.notes"}`).(App)
	if res.Version != "1.0.0" || res.Previous != "" {
		t.Fatalf("app.rollback = %+v", res)
	}
	if _, err := f.do(t, "app.rollback", `{"id":"dev.test.notes"}`); err == nil || !strings.Contains(err.Error(), "no previous version") {
		t.Fatalf("second rollback = %v", err)
	}
	if _, err := f.do(t, "catalog.install", `{"id":"dev.test.none"}`); err == nil || !strings.Contains(err.Error(), "app not in the catalog") {
		t.Fatalf("catalog.install of a missing app = %v", err)
	}
}

func TestNoCatalog(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	if list := f.must(t, "catalog.list", "").(CatalogList); list.URL != "" || list.Apps == nil || len(list.Apps) != 0 {
		t.Fatalf("catalog.list without a catalog = %+v", list)
	}
	for op, want := range map[string]string{
		"app.update":      "update dev.test.notes: no catalog is set",
		"catalog.install": "install dev.test.notes: no catalog is set",
	} {
		if _, err := f.do(t, op, `{"id":"dev.test.notes"}`); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s = %v, want %q", op, err, want)
		}
	}
}

// TestRunChecksForUpdates: Run asks the catalog, and the page hears of the update.
func TestRunChecksForUpdates(t *testing.T) {
	dir := t.TempDir()
	url := serveCatalog(t, app{id: notes, version: "2.0.0", key: key(1)}.pack(t, dir))
	f := newFixture(t, func(c *configs.Config) { c.Launcher.Catalog = url })
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	f.svc.cfg.UpdateEvery = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for len(f.page.events(EventAppsChanged)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no apps.changed after the update check")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if apps := f.must(t, "apps.list", "").(AppsList).Apps; apps[0].Update != "2.0.0" {
		t.Fatalf("apps.list update = %q", apps[0].Update)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.Paths.Cache, "bundles")); err != nil {
		t.Fatalf("the catalog's cache folder: %v", err)
	}
}
