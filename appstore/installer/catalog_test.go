package installer

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/catalog"
)

func TestCatalogUpdates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	v1 := app{version: "1.0.0", key: key(1)}.pack(t, dir)
	v2 := app{version: "1.1.0", key: key(1)}.pack(t, dir)
	other := app{id: "dev.test.other", version: "3.0.0", key: key(1)}.pack(t, dir)
	tooNew := app{id: "dev.test.future", version: "1.0.0", key: key(1), minShell: "5.0.0"}.pack(t, dir)
	cat := filepath.Join(dir, "catalog")
	publish(t, cat, v1, v2, other, tooNew)
	url := serve(t, cat)

	e := newEnv(t)
	if _, err := e.in.InstallFile(v1, Options{}); err != nil {
		t.Fatal(err)
	}

	list, err := e.in.Browse(ctx, url, catalog.Stable)
	if err != nil {
		t.Fatal(err)
	}
	want := []Listing{{ID: "dev.test.app", Name: "Test App", Version: "1.1.0"}, {ID: "dev.test.other", Name: "Test App", Version: "3.0.0"}}
	if !slices.Equal(list, want) {
		t.Fatalf("Browse = %+v, want %+v (the app needing a newer shell left out)", list, want)
	}
	up, err := e.in.Updates(ctx, url, catalog.Stable)
	if err != nil || !maps.Equal(up, map[string]string{testApp: "1.1.0"}) {
		t.Fatalf("Updates = %v, %v", up, err)
	}

	var st steps
	inst, err := e.in.Update(ctx, url, catalog.Stable, testApp, st.progress)
	if err != nil || inst == nil || inst.Version != "1.1.0" || inst.Source != url || inst.Previous == nil || inst.Previous.Version != "1.0.0" {
		t.Fatalf("Update = %+v, %v", inst, err)
	}
	wantSteps := []string{"dev.test.app download false", "dev.test.app download true", "dev.test.app verify false", "dev.test.app verify true",
		"dev.test.app install false", "dev.test.app install true"}
	if got := st.stages(); !slices.Equal(got, wantSteps) {
		t.Errorf("progress %v, want %v", got, wantSteps)
	}
	if inst, err := e.in.Update(ctx, url, catalog.Stable, testApp, nil); inst != nil || err != nil {
		t.Fatalf("Update when up to date = %+v, %v; want nothing", inst, err)
	}
	if up, err := e.in.Updates(ctx, url, catalog.Stable); err != nil || len(up) != 0 {
		t.Fatalf("Updates after updating = %v, %v", up, err)
	}

	// An app from the catalog; one the catalog does not have; one this shell cannot run.
	if inst, err := e.in.InstallFromCatalog(ctx, url, "dev.test.other", catalog.Stable, Options{}); err != nil || inst.Version != "3.0.0" || inst.Source != url {
		t.Fatalf("InstallFromCatalog = %+v, %v", inst, err)
	}
	if _, err := e.in.InstallFromCatalog(ctx, url, "dev.test.none", catalog.Stable, Options{}); !errors.Is(err, catalog.ErrNoApp) {
		t.Fatalf("InstallFromCatalog of a missing app = %v", err)
	}
	if _, err := e.in.InstallFromCatalog(ctx, url, "dev.test.future", catalog.Stable, Options{}); !errors.Is(err, catalog.ErrShellTooOld) {
		t.Fatalf("InstallFromCatalog of an app for a newer shell = %v", err)
	}
	if got := e.installed(t); !slices.Equal(got, []string{"dev.test.app 1.1.0", "dev.test.other 3.0.0"}) {
		t.Fatalf("installed = %v", got)
	}
	// Updating an app the catalog does not have names it and wraps ErrNoApp.
	sideApp := app{id: "dev.test.side", version: "1.0.0", key: key(1)}.pack(t, dir)
	if _, err := e.in.InstallFile(sideApp, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.in.Update(ctx, url, catalog.Stable, "dev.test.side", nil); !errors.Is(err, catalog.ErrNoApp) || !strings.HasPrefix(err.Error(), "dev.test.side: ") {
		t.Fatalf("Update of an app not in the catalog = %v", err)
	}
	// A catalog no one trusts lists nothing.
	if _, err := e.in.Browse(ctx, url+"nothing/", catalog.Stable); err == nil {
		t.Fatal("Browse of a missing catalog succeeded")
	}
}

func TestFetch(t *testing.T) {
	body := []byte(strings.Repeat("bundle bytes ", 10000))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/app.sfa" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	ctx := context.Background()
	e := newEnv(t)

	var st steps
	path, err := e.in.Fetch(ctx, srv.URL+"/app.sfa", st.progress)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(path)
	if got, _ := os.ReadFile(path); string(got) != string(body) || filepath.Dir(path) != filepath.Join(e.root, "cache") {
		t.Fatalf("fetched %d bytes into %s", len(got), path)
	}
	last := st.list[len(st.list)-1]
	if last.Stage != StageDownload || last.Done != int64(len(body)) || last.Total != int64(len(body)) {
		t.Fatalf("last step %+v", last)
	}

	tests := []struct {
		name, url, want string
		input           bool
	}{
		{"not found", srv.URL + "/none.sfa", "404 Not Found", false},
		{"bad url", "http://a b/", "invalid character", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.in.Fetch(ctx, tt.url, nil); err == nil || !strings.Contains(err.Error(), tt.want) || IsInput(err) != tt.input {
				t.Fatalf("Fetch = %v, want %q (input %v)", err, tt.want, tt.input)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(e.root, "cache", "download-*")); len(left) != 1 {
		t.Fatalf("cache holds %v, want only the one fetched", left)
	}
}

func TestMachineID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config")
	id := MachineID(dir)
	if len(id) < 16 {
		t.Fatalf("MachineID = %q", id)
	}
	if again := MachineID(dir); again != id {
		t.Fatalf("MachineID changed: %q → %q", id, again)
	}
	if fi, err := os.Stat(filepath.Join(dir, machineIDFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("machine-id file: %v, %v", fi, err)
	}
	if other := MachineID(t.TempDir()); other == id {
		t.Fatal("two machines share an id")
	}
}

func TestIsURL(t *testing.T) {
	for s, want := range map[string]bool{"https://x/a.sfa": true, "http://x": true, "app.sfa": false, "ftp://x": false, "/tmp/https://": false} {
		if IsURL(s) != want {
			t.Errorf("IsURL(%q) = %v", s, !want)
		}
	}
}
