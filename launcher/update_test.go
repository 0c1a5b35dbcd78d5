package launcher

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/configs"
)

// A running app's UpdateManager: CheckUpdate names the catalog's newer release, and
// ApplyUpdate installs it, then stops and starts the app on it.
func TestAppAppliesItsOwnUpdate(t *testing.T) {
	dir := t.TempDir()
	url := serveCatalog(t, app{id: notes, version: "2.0.0", key: key(1)}.pack(t, dir))
	f := newFixture(t, func(c *configs.Config) { c.Launcher.Catalog = url })
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	f.runner.set(notes, StateRunning)
	ctx := context.Background()
	if v, err := f.svc.CheckUpdate(ctx, notes); err != nil || v != "2.0.0" {
		t.Fatalf("CheckUpdate = %q, %v", v, err)
	}
	if v, err := f.svc.CheckUpdate(ctx, "dev.test.absent"); err != nil || v != "" {
		t.Fatalf("CheckUpdate of an app not installed = %q, %v", v, err)
	}
	if err := f.svc.ApplyUpdate(ctx, notes); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second) // a hang limit
	for !slices.Contains(f.runner.called(), "launch "+notes) {
		if time.Now().After(deadline) {
			t.Fatalf("the app was not restarted: %v", f.runner.called())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if calls := f.runner.called(); !slices.Equal(calls, []string{"stop " + notes, "launch " + notes}) {
		t.Errorf("runner calls %v", calls)
	}
	if apps := f.must(t, "apps.list", "").(AppsList).Apps; apps[0].Version != "2.0.0" {
		t.Errorf("installed %q", apps[0].Version)
	}
	if err := f.svc.ApplyUpdate(ctx, notes); err == nil {
		t.Error("a second ApplyUpdate found an update")
	}
}
