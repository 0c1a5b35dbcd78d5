package subpkg

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
)

func newInstaller(e *env) *installer.Installer {
	return installer.New(installer.Config{
		OpenRegistry: func() (*registry.Registry, error) { return registry.Open(e.regCfg) },
		Trust:        e.trust, CacheDir: e.cache, HTTP: e.srv.Client(), Logger: quiet(),
		Block: []lint.Severity{lint.SeverityError},
	})
}

// The install flow the CLI and launcher use: from a catalog, the core only (the core
// passes the install-time lint without its subpackages); from a file, with the
// subpackage bundles shell pack wrote beside it.
func TestInstallerCoreOnlyAndSideloadedSet(t *testing.T) {
	e := newEnv(t)
	set := e.publish(t, shopApp{version: "1.0.0"})
	in := newInstaller(e)
	inst, err := in.InstallFromCatalog(context.Background(), e.srv.URL, appID, "", installer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.reg.Subpackages(appID, "")
	if err != nil || len(st.Installed) != 0 || len(st.Core.Subpackages) != 2 {
		t.Fatalf("from the catalog: %+v, %v", st, err)
	}
	if ClientFor(inst.Source, catalog.ClientConfig{Trust: e.trust, CacheDir: e.cache}) == nil {
		t.Fatalf("no catalog client for source %q", inst.Source)
	}
	if ClientFor("bundled", catalog.ClientConfig{Trust: e.trust, CacheDir: e.cache}) != nil {
		t.Fatal("a client for a bundled app")
	}

	// Sideloaded as files: the same version again (a repair) with both subpackages beside.
	dir := t.TempDir()
	core := filepath.Join(dir, "shop.sfa")
	os.WriteFile(core, set.Core, 0o644)
	for _, s := range set.Subs {
		os.WriteFile(bundle.SubpackageFile(core, s.Root), s.Data, 0o644)
	}
	if _, err := in.InstallFile(core, installer.Options{}); err != nil {
		t.Fatal(err)
	}
	fsys, f, err := Open(e.reg, nil, appID)
	if err != nil || f != nil {
		t.Fatalf("after a whole sideload: fetcher %v, %v", f, err)
	}
	if _, err := fs.Stat(fsys, "packageB/pages/p/p.js"); err != nil {
		t.Fatal(err)
	}
}
