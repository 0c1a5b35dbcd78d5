// Package subpkg fetches an installed app's subpackages on demand: the first time a page
// under a subpackage's root is needed, its bundle is downloaded from the catalog the app
// came from, checked against the digest the core's signed manifest names (and its
// signature), and installed atomically into the directory of the running version, where
// the app's fs.FS then serves it. See docs/subpackages.md.
//
// The shell's side (miniapp.SubpackageFetcher) is:
//
//	Present(root string) bool
//	Fetch(ctx context.Context, root string, progress func(done, total int64)) error
package subpkg

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/registry"
)

// ErrOffline is wrapped by Fetch when the subpackage is not installed and there is no
// catalog to fetch it from. A network failure is returned as the catalog reports it.
var ErrOffline = errors.New("subpackage not installed and no catalog to fetch it from")

// ErrUnknown is wrapped by Fetch for a root the core's manifest does not name.
var ErrUnknown = errors.New("no such subpackage")

// SubpackageFetcher is miniapp.SubpackageFetcher, declared alike here (the shell's side
// owns it) so that Open's result passes to host.LoadFetching as it is: a nil interface
// when every subpackage is present, never a typed nil pointer.
type SubpackageFetcher interface {
	Present(root string) bool
	Fetch(ctx context.Context, root string, progress func(done, total int64)) error
}

// Fetcher fetches the subpackages of one installed version of an app. Safe for
// concurrent use: concurrent Fetches of one root download it once.
type Fetcher struct {
	reg     *registry.Registry
	client  *catalog.Client
	id, ver string

	mu       sync.Mutex
	inflight map[string]*call
}

type call struct {
	done chan struct{}
	err  error
}

// Open returns the file system of the current version of app id (its directory: the
// core's files and every subpackage installed so far, later ones as Fetch installs them)
// and its Fetcher. client is the catalog the app is installed from; nil (no catalog,
// offline) makes Fetch of a missing subpackage fail with ErrOffline. The Fetcher is nil
// when the app has no subpackages or all of them are installed (a whole install),
// as for apps shipped in the binary and folders run as they are.
func Open(reg *registry.Registry, client *catalog.Client, id string) (fs.FS, SubpackageFetcher, error) {
	st, err := reg.Subpackages(id, "")
	if err != nil {
		return nil, nil, err
	}
	fsys := os.DirFS(st.Path)
	missing := false
	for _, sp := range st.Core.Subpackages {
		missing = missing || !st.Installed[sp.Root]
	}
	if !missing {
		return fsys, nil, nil
	}
	return fsys, New(reg, client, id, st.Version), nil
}

// New returns the Fetcher of version (the installed current or previous one) of app id.
func New(reg *registry.Registry, client *catalog.Client, id, version string) *Fetcher {
	return &Fetcher{reg: reg, client: client, id: id, ver: version, inflight: map[string]*call{}}
}

// Present reports whether the subpackage at root ("packageA", "packageA/" or
// "/packageA/") is installed. A root the core does not name is not present.
func (f *Fetcher) Present(root string) bool {
	if f == nil {
		return true // no fetcher: everything is present
	}
	st, err := f.reg.Subpackages(f.id, f.ver)
	if err != nil {
		return false
	}
	return st.Installed[strings.Trim(root, "/")]
}

// Fetch installs the subpackage at root unless it is installed already: it downloads
// its bundle from the catalog (progress hears the bytes so far and the total), and the
// registry checks it against the core's manifest and signature and installs it beside
// the core. After it returns nil the app's fs.FS serves root's files.
func (f *Fetcher) Fetch(ctx context.Context, root string, progress func(done, total int64)) error {
	if f == nil {
		return nil
	}
	root = strings.Trim(root, "/")
	f.mu.Lock()
	if c := f.inflight[root]; c != nil {
		f.mu.Unlock()
		select {
		case <-c.done:
			return c.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c := &call{done: make(chan struct{})}
	f.inflight[root] = c
	f.mu.Unlock()
	c.err = f.fetch(ctx, root, progress)
	f.mu.Lock()
	delete(f.inflight, root)
	f.mu.Unlock()
	close(c.done)
	return c.err
}

func (f *Fetcher) fetch(ctx context.Context, root string, progress func(done, total int64)) error {
	st, err := f.reg.Subpackages(f.id, f.ver)
	if err != nil {
		return fmt.Errorf("subpackage %s of %s: %w", root, f.id, err)
	}
	sp := st.Core.Subpackage(root)
	switch {
	case sp == nil:
		return fmt.Errorf("subpackage %q of %s %s: %w", root, f.id, f.ver, ErrUnknown)
	case st.Installed[root]:
		return nil
	case f.client == nil:
		return fmt.Errorf("subpackage %q of %s %s: %w", root, f.id, f.ver, ErrOffline)
	}
	path, err := f.client.DownloadSubpackage(ctx, f.id, f.ver, *sp, progress)
	if err != nil {
		return fmt.Errorf("subpackage %q of %s %s: %w", root, f.id, f.ver, err)
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("subpackage %q of %s %s: %w", root, f.id, f.ver, err)
	}
	defer file.Close()
	if err := f.reg.InstallSubpackage(f.id, f.ver, file, sp.Size); err != nil {
		return fmt.Errorf("subpackage %q of %s %s: %w", root, f.id, f.ver, err)
	}
	return nil
}

// ClientFor returns a client of the catalog an app was installed from, given its
// registry.Installed.Source (an install from a catalog records the catalog's base URL)
// and the shell's client settings (trust store, cache directory, HTTP client); nil when
// the source is not a catalog (a file, "bundled"): then Fetch reports ErrOffline.
func ClientFor(source string, cfg catalog.ClientConfig) *catalog.Client {
	if !strings.HasPrefix(source, "https://") && !strings.HasPrefix(source, "http://") {
		return nil
	}
	cfg.BaseURL = source
	return catalog.NewClient(cfg)
}
