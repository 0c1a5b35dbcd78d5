package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// CacheAppData is the bundle cache at dir (ClientConfig.CacheDir) in the one wipe
// (internal/appdata): an uninstall removes the cached bundles of the app (same id, same
// signer); clearing data or a session keeps them (they are the app's code, as the
// installed files are).
func CacheAppData(dir string) appdata.Store { return bundleCache{dir} }

type bundleCache struct{ dir string }

func (bundleCache) Name() string { return "bundle cache" }

func (c bundleCache) Wipe(_ context.Context, app identity.App, scope appdata.Scope) error {
	if scope != appdata.Uninstall || c.dir == "" {
		return nil
	}
	ents, err := os.ReadDir(c.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bundle cache: %w", err)
	}
	var errs []error
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".sfa") {
			continue
		}
		p := filepath.Join(c.dir, e.Name())
		if id, signer, ok := bundleOf(p); ok && id == app.ID && signer == app.Signer {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("bundle cache: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// bundleOf reads which app a cached bundle is (it was verified when it was cached).
func bundleOf(path string) (id, signer string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", "", false
	}
	b, err := bundle.Open(f, fi.Size(), bundle.DefaultLimits())
	if err != nil {
		return "", "", false
	}
	return b.Manifest.AppID, string(b.Manifest.Signer), true
}
