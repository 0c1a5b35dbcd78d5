package subpkg

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

func TestPackSetSplitsAndNamesDigests(t *testing.T) {
	for _, upper := range []bool{false, true} {
		set := packSet(t, shopApp{version: "1.0.0", upper: upper}, key(1))
		m := set.Manifest
		if len(set.Subs) != 2 || len(m.Subpackages) != 2 {
			t.Fatalf("upper=%v: %d sub bundles, manifest names %d; want 2", upper, len(set.Subs), len(m.Subpackages))
		}
		for _, f := range m.Files {
			if strings.HasPrefix(f.Path, "packageA/") || strings.HasPrefix(f.Path, "packageB/") {
				t.Errorf("core holds %s", f.Path)
			}
		}
		core, err := bundle.Open(bytes.NewReader(set.Core), int64(len(set.Core)), bundle.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range set.Subs {
			sp := m.Subpackage(s.Root)
			if sp == nil || sp.Size != int64(len(s.Data)) {
				t.Fatalf("manifest entry for %s: %+v", s.Root, sp)
			}
			if (s.Root == "packageB") != sp.Independent {
				t.Errorf("%s: independent %v", s.Root, sp.Independent)
			}
			b, err := bundle.CheckSubpackage(m, core.SignerKey, s.Data, bundle.Limits{})
			if err != nil {
				t.Fatalf("%s: %v", s.Root, err)
			}
			if b.Manifest.Root != s.Root || len(b.Manifest.Files) != 2 || !b.Signed {
				t.Errorf("%s: manifest %+v", s.Root, b.Manifest)
			}
		}
	}
}

func TestPackSetWithoutSubpackagesIsPack(t *testing.T) {
	dir := writeTree(t, map[string][]byte{
		"app.json": []byte(`{"id": "dev.sandframe.plain", "version": "1.0.0", "pages": ["pages/index/index"]}`),
		"app.js":   []byte("App({})\n"),
	})
	set, err := bundle.PackSet(dir, bundle.PackOptions{Key: key(1)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := bundle.Pack(dir, &buf, bundle.PackOptions{Key: key(1)}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(set.Core, buf.Bytes()) || len(set.Subs) != 0 {
		t.Fatalf("PackSet of an app without subpackages differs from Pack (%d subs)", len(set.Subs))
	}
	if bytes.Contains(buf.Bytes(), []byte(`"subpackages"`)) || bytes.Contains(buf.Bytes(), []byte(`"root"`)) {
		t.Fatal("the manifest of an app without subpackages gained a field")
	}
}

func TestCheckSubpackageRefusesSwappedAndAltered(t *testing.T) {
	v1 := packSet(t, shopApp{version: "1.0.0"}, key(1))
	other := packSet(t, shopApp{version: "1.0.0", marker: "evil"}, key(1)) // same app, version, root, key
	otherKey := packSet(t, shopApp{version: "1.0.0"}, key(2))
	core, err := bundle.Open(bytes.NewReader(v1.Core), int64(len(v1.Core)), bundle.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(raw []byte) error {
		_, err := bundle.CheckSubpackage(v1.Manifest, core.SignerKey, raw, bundle.Limits{})
		return err
	}
	if err := check(other.Subs[0].Data); !errors.Is(err, bundle.ErrSubpackage) ||
		!(errors.Is(err, bundle.ErrDigest) || errors.Is(err, bundle.ErrSize)) || !strings.Contains(err.Error(), `"packageA"`) {
		t.Errorf("swapped subpackage: %v", err)
	}
	if err := check(otherKey.Subs[0].Data); !errors.Is(err, bundle.ErrSubpackage) {
		t.Errorf("subpackage signed by another key: %v", err)
	}
	altered := bytes.Clone(v1.Subs[0].Data)
	altered[len(altered)-30] ^= 1 // in the central directory's tail: still a zip
	if err := check(altered); !errors.Is(err, bundle.ErrSubpackage) {
		t.Errorf("altered subpackage: %v", err)
	}
	if err := check(v1.Core); !errors.Is(err, bundle.ErrSubpackage) {
		t.Errorf("a core as a subpackage: %v", err)
	}
	if err := check(v1.Subs[1].Data); err != nil {
		t.Errorf("the genuine packageB: %v", err)
	}
	// The manifest binds the digests: re-signing a core would change them, so Sign refuses.
	var out bytes.Buffer
	if _, err := bundle.Sign(bytes.NewReader(v1.Core), int64(len(v1.Core)), &out, key(2)); err == nil {
		t.Error("Sign re-signed a core that names subpackages")
	}
}

func TestCatalogPublishesTheSet(t *testing.T) {
	e := newEnv(t)
	set := packSet(t, shopApp{version: "1.0.0"}, e.pubKey)
	// The core alone is refused while its subpackages are not in the catalog.
	if _, err := catalog.Add(e.catalogDir, bytes.NewReader(set.Core), int64(len(set.Core)), e.pubKey); !errors.Is(err, bundle.ErrSubpackage) {
		t.Fatalf("core without its subpackages: %v", err)
	}
	// A swapped subpackage is refused, naming it, and nothing is published.
	other := packSet(t, shopApp{version: "1.0.0", marker: "x"}, e.pubKey)
	_, err := catalog.AddSet(e.catalogDir, bytes.NewReader(set.Core), int64(len(set.Core)), [][]byte{other.Subs[0].Data, set.Subs[1].Data}, e.pubKey, catalog.PublishOptions{Logger: quiet()})
	if !errors.Is(err, bundle.ErrSubpackage) || !strings.Contains(err.Error(), "packageA") {
		t.Fatalf("swapped subpackage published: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.catalogDir, "index.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("an index was written: %v", err)
	}
	// A subpackage bundle is not a release.
	if _, err := catalog.Add(e.catalogDir, bytes.NewReader(set.Subs[0].Data), int64(len(set.Subs[0].Data)), e.pubKey); !errors.Is(err, bundle.ErrSubpackage) {
		t.Fatalf("subpackage published as a release: %v", err)
	}
	e.publish(t, shopApp{version: "1.0.0"})
	for _, s := range set.Subs {
		resp, err := e.srv.Client().Get(e.srv.URL + "/" + catalog.SubpackagePath(appID, set.Manifest.Subpackage(s.Root).SHA256))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got.Bytes(), s.Data) {
			t.Errorf("%s served %s, %d bytes", s.Root, resp.Status, got.Len())
		}
	}
}

func TestInstallCoreOnlyThenFetch(t *testing.T) {
	e := newEnv(t)
	set := e.publish(t, shopApp{version: "1.0.0"})
	in := e.installFromCatalog(t)
	if slices.ContainsFunc(tree(t, in.Path), func(p string) bool { return strings.HasPrefix(p, "package") }) {
		t.Fatalf("install from the catalog installed subpackages: %v", tree(t, in.Path))
	}
	// A sub bundle is not installable as an app.
	if _, err := e.reg.Install(bytes.NewReader(set.Subs[0].Data), int64(len(set.Subs[0].Data)), registry.InstallOptions{}); !errors.Is(err, bundle.ErrSubpackage) {
		t.Fatalf("subpackage installed as an app: %v", err)
	}

	fsys, f, err := Open(e.reg, e.client, appID)
	if err != nil {
		t.Fatal(err)
	}
	if f == nil {
		t.Fatal("nil fetcher for an app whose subpackages are missing")
	}
	if f.Present("packageA") || f.Present("packageB/") {
		t.Fatal("present before any fetch")
	}
	if _, err := fs.ReadFile(fsys, "packageA/pages/p/p.js"); err == nil {
		t.Fatal("served before the fetch")
	}
	var last, total int64
	before := e.requests.Load()
	if err := f.Fetch(context.Background(), "/packageA/", func(d, t int64) { last, total = d, t }); err != nil {
		t.Fatal(err)
	}
	if e.requests.Load() != before+1 {
		t.Errorf("%d requests for one fetch", e.requests.Load()-before)
	}
	if last != total || total != int64(len(set.Subs[0].Data)) {
		t.Errorf("progress ended at %d/%d, bundle is %d bytes", last, total, len(set.Subs[0].Data))
	}
	data, err := fs.ReadFile(fsys, "packageA/pages/p/p.js")
	if err != nil || !bytes.Contains(data, []byte(`"1.0.0"`)) {
		t.Fatalf("after the fetch: %q, %v", data, err)
	}
	if !f.Present("packageA") || f.Present("packageB") {
		t.Fatal("Present after fetching packageA")
	}
	// Fetched again: nothing downloaded. The launch check covers the subpackage's files.
	if err := f.Fetch(context.Background(), "packageA", nil); err != nil || e.requests.Load() != before+1 {
		t.Fatalf("second fetch: %v, %d requests", err, e.requests.Load()-before)
	}
	if _, _, err := e.reg.Verify(appID); err != nil {
		t.Fatalf("launch check with a fetched subpackage: %v", err)
	}
	os.WriteFile(filepath.Join(in.Path, "packageA", "pages", "p", "p.js"), []byte("evil"), 0o600)
	if _, _, err := e.reg.Verify(appID); !errors.Is(err, registry.ErrModified) {
		t.Fatalf("launch check of an altered subpackage file: %v", err)
	}
	if err := f.Fetch(context.Background(), "packageZ", nil); !errors.Is(err, ErrUnknown) {
		t.Fatalf("unknown root: %v", err)
	}
}

func TestFetchOffline(t *testing.T) {
	e := newEnv(t)
	e.publish(t, shopApp{version: "1.0.0"})
	in := e.installFromCatalog(t)
	_, f, err := Open(e.reg, nil, appID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Fetch(context.Background(), "packageA", nil); !errors.Is(err, ErrOffline) {
		t.Fatalf("no catalog: %v", err)
	}
	e.srv.Close() // the network is gone
	_, f, err = Open(e.reg, e.client, appID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Fetch(context.Background(), "packageB", nil); err == nil {
		t.Fatal("fetched with the catalog down")
	}
	if f.Present("packageA") || f.Present("packageB") {
		t.Fatal("present after failed fetches")
	}
	if got := tree(t, in.Path); slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, "package") }) {
		t.Fatalf("a failed fetch left files: %v", got)
	}
	if _, _, err := e.reg.Verify(appID); err != nil {
		t.Fatalf("the app after failed fetches: %v", err)
	}
}

func TestFetchRefusesSwappedSubpackage(t *testing.T) {
	e := newEnv(t)
	set := e.publish(t, shopApp{version: "1.0.0"})
	in := e.installFromCatalog(t)
	// The server (or a cache in between) now serves another packageA under the name.
	other := packSet(t, shopApp{version: "1.0.0", marker: "evil"}, e.pubKey)
	p := filepath.Join(e.catalogDir, filepath.FromSlash(catalog.SubpackagePath(appID, set.Manifest.Subpackage("packageA").SHA256)))
	swapped := other.Subs[0].Data
	if len(swapped) != len(set.Subs[0].Data) {
		swapped = append(bytes.Clone(set.Subs[0].Data[:len(set.Subs[0].Data)-1]), set.Subs[0].Data[len(set.Subs[0].Data)-1]^1)
	}
	if err := os.WriteFile(p, swapped, 0o644); err != nil {
		t.Fatal(err)
	}
	_, f, err := Open(e.reg, e.client, appID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Fetch(context.Background(), "packageA", nil); !errors.Is(err, catalog.ErrDigest) {
		t.Fatalf("swapped subpackage: %v", err)
	}
	if f.Present("packageA") || slices.ContainsFunc(tree(t, in.Path), func(p string) bool { return strings.HasPrefix(p, "package") }) {
		t.Fatal("the swapped subpackage was installed")
	}
	if got, _ := filepath.Glob(filepath.Join(e.cache, "*.sfa")); len(got) != 1 { // the core only
		t.Fatalf("cache holds %v", got)
	}
	// Handed straight to the registry (not through the catalog), it is refused too.
	if err := e.reg.InstallSubpackage(appID, "", bytes.NewReader(other.Subs[0].Data), int64(len(other.Subs[0].Data))); !errors.Is(err, bundle.ErrSubpackage) {
		t.Fatalf("registry took a swapped subpackage: %v", err)
	}
}

func TestUpdateRollbackUninstallWithSubpackages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.publish(t, shopApp{version: "1.0.0"})
	v1 := e.installFromCatalog(t)
	_, f1, _ := Open(e.reg, e.client, appID)
	if err := f1.Fetch(ctx, "packageA", nil); err != nil {
		t.Fatal(err)
	}

	// Update: the new core comes alone; the old version keeps its fetched subpackage.
	e.publish(t, shopApp{version: "2.0.0"})
	v2 := e.installFromCatalog(t)
	if v2.Version != "2.0.0" || v2.Previous == nil || v2.Previous.Path != v1.Path {
		t.Fatalf("update: %+v", v2)
	}
	fsys2, f2, err := Open(e.reg, e.client, appID)
	if err != nil {
		t.Fatal(err)
	}
	if f2 == nil || f2.Present("packageA") {
		t.Fatal("the new version has the old version's subpackage")
	}
	if _, err := fs.Stat(fsys2, "packageA"); err == nil {
		t.Fatal("the new version's directory serves packageA before a fetch")
	}
	if err := f2.Fetch(ctx, "packageA", nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := fs.ReadFile(fsys2, "packageA/pages/p/p.js"); !bytes.Contains(data, []byte(`"2.0.0"`)) {
		t.Fatalf("after the update: %q", data)
	}
	// The running 1.0.0 (its Fetcher) still fetches its own version's packageB.
	if err := f1.Fetch(ctx, "packageB", nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(v1.Path, "packageB", "pages", "p", "p.js")); !bytes.Contains(data, []byte(`"1.0.0"`)) {
		t.Fatalf("1.0.0's packageB: %q", data)
	}

	// Rollback: 1.0.0 with its fetched subpackages; 2.0.0 and its subpackages are gone.
	back, err := e.reg.Rollback(appID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Version != "1.0.0" || back.Path != v1.Path {
		t.Fatalf("rollback: %+v", back)
	}
	if _, err := os.Stat(v2.Path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("2.0.0's directory after rollback: %v", err)
	}
	st, err := e.reg.Subpackages(appID, "")
	if err != nil || !st.Installed["packageA"] || !st.Installed["packageB"] {
		t.Fatalf("after rollback: %+v, %v", st, err)
	}
	if _, err := e.reg.Subpackages(appID, "2.0.0"); !errors.Is(err, registry.ErrNotInstalled) {
		t.Fatalf("2.0.0's subpackages after rollback: %v", err)
	}
	if _, _, err := e.reg.Verify(appID); err != nil {
		t.Fatal(err)
	}

	// Uninstall and wipe: nothing of the app is left, in the registry or the cache.
	if err := e.reg.Uninstall(appID); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, e.regCfg.Dir); !slices.Equal(got, []string{".lock", ".staging"}) && !slices.Equal(got, []string{".staging"}) {
		t.Fatalf("after uninstall the apps directory holds %v", got)
	}
	if err := catalog.CacheAppData(e.cache).Wipe(ctx, identity.Signed(appID, string(bundle.IDOf(e.pubKey.Public().(ed25519.PublicKey)))), appdata.Uninstall); err != nil {
		t.Fatal(err)
	}
	if got, _ := filepath.Glob(filepath.Join(e.cache, "*.sfa")); len(got) != 0 {
		t.Fatalf("the wipe left cached bundles: %v", got)
	}
	// Installed again, the app starts with no subpackage rows left from before.
	e.installFromCatalog(t)
	if st, err := e.reg.Subpackages(appID, ""); err != nil || len(st.Installed) != 0 {
		t.Fatalf("reinstalled: %+v, %v", st, err)
	}
}

func TestInterruptedSubpackageInstallIsSwept(t *testing.T) {
	e := newEnv(t)
	e.publish(t, shopApp{version: "1.0.0"})
	in := e.installFromCatalog(t)
	// A crash between the rename into place and the commit leaves packageA unrecorded.
	leftover := filepath.Join(in.Path, "packageA", "pages")
	if err := os.MkdirAll(leftover, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(leftover, "half.js"), []byte("x"), 0o600)
	e.reg.Close()
	e.openRegistry(t)
	if _, err := os.Stat(filepath.Join(in.Path, "packageA")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("leftover after reopening: %v", err)
	}
	if _, _, err := e.reg.Verify(appID); err != nil {
		t.Fatal(err)
	}
}

func TestWholeInstallNeedsNoFetcher(t *testing.T) {
	e := newEnv(t)
	set := packSet(t, shopApp{version: "1.0.0"}, e.pubKey)
	if _, err := e.reg.Install(bytes.NewReader(set.Core), int64(len(set.Core)), registry.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range set.Subs {
		if err := e.reg.InstallSubpackage(appID, "", bytes.NewReader(s.Data), int64(len(s.Data))); err != nil {
			t.Fatal(err)
		}
	}
	fsys, f, err := Open(e.reg, nil, appID)
	if err != nil || f != nil {
		t.Fatalf("whole install: fetcher %v, %v", f, err)
	}
	if _, err := fs.ReadFile(fsys, "packageB/pages/p/p.wxml"); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentFetchesDownloadOnce(t *testing.T) {
	e := newEnv(t)
	e.publish(t, shopApp{version: "1.0.0"})
	e.installFromCatalog(t)
	_, f, err := Open(e.reg, e.client, appID)
	if err != nil {
		t.Fatal(err)
	}
	before := e.requests.Load()
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- f.Fetch(context.Background(), "packageA", nil) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := e.requests.Load() - before; n != 1 {
		t.Fatalf("%d downloads for 4 concurrent fetches", n)
	}
	if !f.Present("packageA") {
		t.Fatal("not present")
	}
}
