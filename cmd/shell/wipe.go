package main

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/host"
	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/codecache"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
)

// openStores opens the services that keep something per app (the fields appStores
// lists). Storage first: opening it runs the identity migration, whose own handles on
// the other stores must be closed before this process opens its long-lived ones (a
// second SQLite handle closed in-process can leave a long-lived one reading a stale
// snapshot: another process's `shell perms revoke` went unseen).
func (s *services) openStores() error {
	cfg := s.cfg
	var err error
	if s.storage, err = openStorage(cfg); err != nil {
		return err
	}
	if s.store, err = perms.OpenStore(cfg.PermsPath()); err != nil {
		return err
	}
	if s.quarantine, err = monitor.OpenQuarantine(cfg.QuarantinePath()); err != nil {
		return err
	}
	if s.shares, err = share.Open(s.storage, cfg.SharesPath()); err != nil {
		return err
	}
	if s.files, err = files.Open(files.Config{Dir: filesDir(cfg)}); err != nil {
		return err
	}
	if s.code, err = openCodeCache(cfg); err != nil {
		return err
	}
	s.network = netapi.New(netapi.Config{Timeout: cfg.Network.Timeout, MaxResponseBytes: cfg.Network.MaxResponseBytes, DevMode: cfg.Network.DevMode})
	im := cfg.Images
	s.images = netapi.NewImages(netapi.ImageConfig{Net: netapi.Config{DevMode: cfg.Network.DevMode}, CacheDir: cfg.Paths.Cache,
		MaxBytes: im.MaxBytes, PerMinute: im.PerMinute, Concurrent: im.Concurrent, CacheBytes: im.CacheBytes, CacheTTL: im.CacheTTL})
	return nil
}

// filesDir is where apps' own files live (files.Store: FileSystemManager, temporary
// and saved files).
func filesDir(cfg configs.Config) string { return filepath.Join(cfg.Paths.Data, "files") }

// openCodeCache opens the disk level of the code cache ($XDG_CACHE_HOME/sandframe/code,
// its MAC key in the data folder, where a cache folder shared or restored from elsewhere
// cannot reach it) and makes every launch of this process use it.
func openCodeCache(cfg configs.Config) (*codecache.Cache, error) {
	if cfg.CodeCache.MaxBytes == 0 {
		host.SetDiskCache(nil, "")
		return nil, nil
	}
	c, err := codecache.Open(filepath.Join(cfg.Paths.Cache, "code"), filepath.Join(cfg.Paths.Data, "codecache.key"), cfg.CodeCache.MaxBytes)
	if err != nil {
		return nil, err
	}
	host.SetDiskCache(c, shellVersion())
	return c, nil
}

// bundleCacheDir is where the installer caches catalog bundles (installer.Config.CacheDir
// + "bundles").
func bundleCacheDir(cfg configs.Config) string { return filepath.Join(cfg.Paths.Cache, "bundles") }

// appStores is everything an app has in this process: the one list that uninstall,
// clearing an app's data and the kiosk's idle wipe go through (internal/appdata). Every
// field of services that keeps something per app is here; TestEveryStoreIsListed fails
// when one is not.
func (s *services) appStores() appdata.List {
	l := appdata.List{
		s.storage.AppData(),
		login.AppData(s.storage),
		s.shares.AppData(),
		s.store.AppData(),
		s.quarantine.AppData(),
		s.network.AppData(),
		s.images.AppData(),
		s.files.AppData(),
		catalog.CacheAppData(bundleCacheDir(s.cfg)),
		s.code.AppData(),
		codeCaches{},
	}
	// What only a running shell holds in memory (withStores has none of it).
	if s.perms != nil {
		l = append(l, s.perms.AppData())
	}
	return l
}

// withStores opens the per-app stores alone (no monitor, no audit log: a CLI command
// or an uninstall's wipe) and closes them after f.
func withStores(cfg configs.Config, f func(s *services) error) error {
	s := &services{cfg: cfg}
	if err := s.openStores(); err != nil {
		s.close()
		return err
	}
	return errors.Join(f(s), s.close())
}

// wipeApp removes everything the shell keeps of these identities of an app (an
// uninstall from the command line, or a signer change): every store of appStores,
// with the scope appdata.Uninstall. Cookie jars live in the memory of a running shell:
// a shell that holds them wipes through its own list (see runLauncher).
func wipeApp(cfg configs.Config, apps []identity.App) error {
	return withStores(cfg, func(s *services) error {
		return s.appStores().WipeAll(context.Background(), apps, appdata.Uninstall)
	})
}

// codeCaches are this process's caches of compiled code (host's compiled apps, logic's
// compiled modules). They are keyed by content, so that identical apps share one
// compilation, and hold the app's code: an uninstall empties them whole (another app's
// next launch compiles once more). A logic child's caches end with the child.
type codeCaches struct{}

func (codeCaches) Name() string { return "code caches" }

func (codeCaches) Wipe(_ context.Context, _ identity.App, scope appdata.Scope) error {
	if scope == appdata.Uninstall {
		host.ClearCompileCache()
		logic.ClearProgramCache()
	}
	return nil
}
