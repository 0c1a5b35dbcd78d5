package catalog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/internal/atomicfile"
)

// SubpackagePath is where the subpackage bundle of app id with the given sha256 lives
// under the catalog's root. Subpackage bundles are named by digest: the index does not
// list them, the core bundle's signed manifest does.
func SubpackagePath(id, sha256 string) string {
	return "bundles/" + id + "/sub/" + sha256 + ".sfa"
}

// AddSet publishes an app packed with subpackages (bundle.PackSet): every subpackage
// bundle is checked against the core's manifest (digest, size, app, version, signer)
// and written to SubpackagePath before the core is added as AddWith does, so an index
// never names a core whose subpackages the catalog lacks. A subpackage the catalog
// already holds (the same digest) need not be given again; a given bundle the core does
// not name is refused.
func AddSet(dir string, core io.ReaderAt, size int64, subs [][]byte, key ed25519.PrivateKey, o PublishOptions) (*Index, error) {
	raw := make([]byte, size)
	if _, err := core.ReadAt(raw, 0); err != nil && !(errors.Is(err, io.EOF) && int64(len(raw)) == size) {
		return nil, fmt.Errorf("catalog: publish: %w", err)
	}
	b, err := bundle.Open(bytes.NewReader(raw), size, bundle.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("catalog: publish: %w", err)
	}
	m := b.Manifest
	for _, s := range subs {
		sb, err := bundle.CheckSubpackage(m, b.SignerKey, s, bundle.DefaultLimits())
		if err != nil {
			return nil, fmt.Errorf("catalog: publish %s %s: %w", m.AppID, m.Version, err)
		}
		sp := m.Subpackage(sb.Manifest.Root)
		dst := filepath.Join(dir, filepath.FromSlash(SubpackagePath(m.AppID, sp.SHA256)))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		if err := atomicfile.WriteFrom(dst, bytes.NewReader(s), 0o644); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
	}
	return AddWith(dir, bytes.NewReader(raw), size, key, o)
}

// subpackagesPublished checks that the catalog at dir holds every subpackage bundle m
// names, byte for byte.
func subpackagesPublished(dir string, m *bundle.Manifest) error {
	for _, sp := range m.Subpackages {
		p := filepath.Join(dir, filepath.FromSlash(SubpackagePath(m.AppID, sp.SHA256)))
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: subpackage %q (sha256 %s) is not in the catalog: publish the set together (shell store add with the subpackage bundles beside the core)",
				bundle.ErrSubpackage, sp.Root, sp.SHA256)
		}
		if err != nil {
			return err
		}
		d, err := digestOf(f)
		f.Close()
		if err != nil {
			return err
		}
		if d != sp.SHA256 {
			return fmt.Errorf("%w: subpackage %q: %s has sha256 %s, the core names %s", bundle.ErrSubpackage, sp.Root, p, d, sp.SHA256)
		}
	}
	return nil
}

// DownloadSubpackage returns the path of the subpackage bundle sp of app id version in
// the cache directory, fetching it from SubpackagePath if it is not there. The download
// is checked as it streams (its size and sha256 must be the ones the core's manifest
// names; nothing is left behind otherwise) and progress, when set, hears the bytes so
// far. Whether it belongs to the installed core is the registry's check
// (InstallSubpackage), which opens it.
func (c *Client) DownloadSubpackage(ctx context.Context, id, version string, sp bundle.Subpackage, progress func(done, total int64)) (string, error) {
	if err := bundle.ValidAppID(id); err != nil {
		return "", fmt.Errorf("catalog: subpackage: app id: %w", err)
	}
	if !hexDigest.MatchString(sp.SHA256) || sp.Size <= 0 || sp.Size > MaxBundleSize {
		return "", fmt.Errorf("catalog: subpackage %q: %w: sha256 %q size %d", sp.Root, ErrIndex, sp.SHA256, sp.Size)
	}
	if c.cfg.CacheDir == "" {
		return "", errors.New("catalog: no cache directory configured")
	}
	if err := os.MkdirAll(c.cfg.CacheDir, 0o700); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	final := filepath.Join(c.cfg.CacheDir, sp.SHA256+".sfa")
	if f, err := os.Open(final); err == nil {
		d, err := digestOf(f)
		f.Close()
		if err == nil && d == sp.SHA256 {
			if progress != nil {
				progress(sp.Size, sp.Size)
			}
			return final, nil
		}
		os.Remove(final)
	}
	u, err := c.urlOf(SubpackagePath(id, sp.SHA256))
	if err != nil {
		return "", err
	}
	cc := *c
	cc.cfg.OnProgress = progress
	cc.cfg.Progress = nil
	tmp, err := cc.fetch(ctx, u, id, &Release{Version: version, SHA256: sp.SHA256, Size: sp.Size, Path: SubpackagePath(id, sp.SHA256)})
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("catalog: %w", err)
	}
	return final, nil
}
