package installer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/catalog"
	"github.com/sandframe/sandframe/appstore/registry"
)

// client reads the catalog at base; progress, when set, hears of its downloads of app.
func (in *Installer) client(base, app string, progress Progress) *catalog.Client {
	cc := catalog.ClientConfig{BaseURL: base, Trust: in.cfg.Trust, CacheDir: filepath.Join(in.cfg.CacheDir, "bundles"),
		HTTP: in.cfg.HTTP, Progress: in.cfg.Bar, ShellVersion: in.cfg.ShellVersion, Logger: in.log}
	if in.cfg.MachineID != nil {
		cc.MachineID = in.cfg.MachineID()
	}
	if progress != nil {
		cc.OnProgress = func(done, total int64) { progress.report(app, StageDownload, done, total) }
	}
	return catalog.NewClient(cc)
}

// Download fetches the release of app id this machine should run on channel from the
// catalog at base (the signed index, then the bundle, checked as it streams and verified
// before it is kept) and returns its path in the cache.
func (in *Installer) Download(ctx context.Context, base, id, channel string, progress Progress) (string, error) {
	c := in.client(base, id, progress)
	idx, err := c.Index(ctx)
	if err != nil {
		return "", err
	}
	rel, err := c.Resolve(idx, id, channel)
	if err != nil {
		return "", err
	}
	progress.report(id, StageDownload, 0, rel.Size)
	path, err := c.Download(ctx, rel)
	if err != nil {
		return "", err
	}
	progress.report(id, StageDownload, rel.Size, rel.Size) // also when the cache had it
	return path, nil
}

// InstallFromCatalog downloads app id's release from the catalog at base and installs
// it, recording the catalog as its source.
func (in *Installer) InstallFromCatalog(ctx context.Context, base, id, channel string, o Options) (*registry.Installed, error) {
	path, err := in.Download(ctx, base, id, channel, o.Progress)
	if err != nil {
		return nil, err
	}
	o.Source = base
	return in.InstallFile(path, o)
}

// Update installs the catalog's release of the installed app id when it is newer than
// the installed version. It returns nil, nil when the installed version is as new; a
// download error names the app (and wraps catalog.ErrNoApp when the catalog does not
// have it); an install error is InstallFile's.
func (in *Installer) Update(ctx context.Context, base, channel, id string, progress Progress) (*registry.Installed, error) {
	reg, err := in.cfg.OpenRegistry()
	if err != nil {
		return nil, err
	}
	cur, err := reg.Get(id)
	reg.Close()
	if err != nil {
		return nil, err
	}
	path, err := in.Download(ctx, base, id, channel, progress)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	_, b, err := readBundle(path)
	if err != nil {
		return nil, err
	}
	if newer, err := bundle.CompareVersions(b.Manifest.Version, cur.Version); err != nil || newer <= 0 {
		return nil, nil
	}
	return in.InstallFile(path, Options{Source: base, Progress: progress})
}

// Listing is what a catalog offers this machine of one app.
type Listing struct {
	ID, Name string
	Version  string // the release this machine would get on the channel
}

// Browse lists the apps of the catalog at base, each with the release this machine
// would get on channel. An app with no release for the channel, or none this shell can
// run, is left out.
func (in *Installer) Browse(ctx context.Context, base, channel string) ([]Listing, error) {
	c := in.client(base, "", nil)
	idx, err := c.Index(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Listing, 0, len(idx.Apps))
	for _, a := range idx.Apps {
		r, err := c.Resolve(idx, a.ID, channel)
		if errors.Is(err, catalog.ErrNoChannel) || errors.Is(err, catalog.ErrShellTooOld) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Listing{ID: a.ID, Name: a.Name, Version: r.Version})
	}
	return out, nil
}

// Updates says which installed apps the catalog at base has a newer release of for
// this machine on channel: app id → that version.
func (in *Installer) Updates(ctx context.Context, base, channel string) (map[string]string, error) {
	offered, err := in.Browse(ctx, base, channel)
	if err != nil {
		return nil, err
	}
	apps, err := in.Installed()
	if err != nil {
		return nil, err
	}
	installed := make(map[string]string, len(apps))
	for _, a := range apps {
		installed[a.ID] = a.Version
	}
	out := map[string]string{}
	for _, l := range offered {
		if cur, ok := installed[l.ID]; ok {
			if c, err := bundle.CompareVersions(l.Version, cur); err == nil && c > 0 {
				out[l.ID] = l.Version
			}
		}
	}
	return out, nil
}

// IsURL says whether s is a web address rather than a file name.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// maxBundleDownload bounds a bundle fetched by URL (the bundle reader's own limits
// apply after).
const maxBundleDownload = 512 << 20

// Fetch downloads a bundle from url into the cache folder and returns the file, which
// the caller removes when done. Nothing about it is trusted: install verifies it like a
// local file.
func (in *Installer) Fetch(ctx context.Context, url string, progress Progress) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", badInput(err)
	}
	hc := in.cfg.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", url, resp.Status)
	}
	if resp.ContentLength > maxBundleDownload {
		return "", fmt.Errorf("%s: %d bytes is more than a bundle may be", url, resp.ContentLength)
	}
	if err := os.MkdirAll(in.cfg.CacheDir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(in.cfg.CacheDir, "download-*.sfa")
	if err != nil {
		return "", err
	}
	w := io.Writer(f)
	if in.cfg.Bar != nil {
		bar := progressbar.NewOptions64(resp.ContentLength, progressbar.OptionSetWriter(in.cfg.Bar),
			progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("downloading"), progressbar.OptionClearOnFinish())
		w = io.MultiWriter(w, bar)
	}
	total := max(resp.ContentLength, 0)
	if progress != nil {
		w = io.MultiWriter(w, &counter{report: func(n int64) { progress.report("", StageDownload, n, total) }})
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, maxBundleDownload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxBundleDownload {
		err = fmt.Errorf("%s: more than %d bytes", url, maxBundleDownload)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	progress.report("", StageDownload, n, n)
	return f.Name(), nil
}

// counter reports the bytes written through it so far.
type counter struct {
	n      int64
	report func(n int64)
}

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.report(c.n)
	return len(p), nil
}

// machineIDFile holds the machine's rollout identity, in the config folder.
const machineIDFile = "machine-id"

// MachineID is this machine's stable, random identity for rollout buckets, kept in
// configDir (made on first use); "" when it can be neither read nor made.
func MachineID(configDir string) string {
	path := filepath.Join(configDir, machineIDFile)
	if raw, err := os.ReadFile(path); err == nil && len(raw) >= 16 {
		return string(bytes.TrimSpace(raw))
	}
	pub, _, err := bundle.GenerateKey() // 32 random bytes, already at hand
	if err != nil {
		return ""
	}
	id := string(bundle.IDOf(pub))
	os.MkdirAll(configDir, 0o700)
	os.WriteFile(path, []byte(id+"\n"), 0o600)
	return id
}
