package subpkg

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sandframe/sandframe/appstore/registry"
)

// benchApp is the benchmark's app: a 1 MB core and 4 subpackages of 1 MB each
// (incompressible, so the bundles are as large as the files).
var benchApp = shopApp{version: "1.0.0", subs: 4, subSize: 1 << 20}

// diskUsage is the bytes dir takes on disk (allocated blocks), as du counts them.
func diskUsage(tb testing.TB, dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if fi, err := os.Lstat(p); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				n += st.Blocks * 512
			}
		}
		return nil
	})
	return n
}

// BenchmarkSubpkgInstallCoreOnly installs the core as an install from a catalog does.
func BenchmarkSubpkgInstallCoreOnly(b *testing.B) { benchInstall(b, false) }

// BenchmarkSubpkgInstallWhole installs the core and its 4 subpackages.
func BenchmarkSubpkgInstallWhole(b *testing.B) { benchInstall(b, true) }

func benchInstall(b *testing.B, whole bool) {
	e := newEnv(b)
	set := packSet(b, benchApp, e.pubKey)
	var in *registry.Installed
	b.ResetTimer()
	for range b.N {
		var err error
		// The same version again is a repair: a new directory, the old one removed.
		if in, err = e.reg.Install(bytes.NewReader(set.Core), int64(len(set.Core)), registry.InstallOptions{}); err != nil {
			b.Fatal(err)
		}
		if whole {
			for _, s := range set.Subs {
				if err := e.reg.InstallSubpackage(appID, "", bytes.NewReader(s.Data), int64(len(s.Data))); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(diskUsage(b, in.Path)), "disk-B")
}

// BenchmarkSubpkgFetch is the time from Fetch of a subpackage not yet fetched (1 MB,
// from a loopback TLS catalog, not in the download cache) to its first page's file
// served by the app's fs.FS.
func BenchmarkSubpkgFetch(b *testing.B) {
	e := newEnv(b)
	e.publish(b, benchApp)
	ctx := context.Background()
	e.installFromCatalog(b)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		e.installFromCatalog(b) // a repair: the same core, no subpackage fetched
		os.RemoveAll(e.cache)   // and none in the download cache
		fsys, f, err := Open(e.reg, e.client, appID)
		if err != nil || f == nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := f.Fetch(ctx, "packageC", nil); err != nil {
			b.Fatal(err)
		}
		if _, err := fs.ReadFile(fsys, "packageC/pages/p/p.js"); err != nil {
			b.Fatal(err)
		}
	}
}
