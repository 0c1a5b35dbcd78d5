package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/filelock"
)

// seenFile, in the cache directory, remembers the highest index version seen per catalog.
const (
	seenFile   = "catalogs-seen.json"
	seenFormat = "sandframe-catalog-seen-1"
)

// ClientConfig configures a Client. The lead maps config and flags onto it.
type ClientConfig struct {
	BaseURL   string       // the catalog's root: BaseURL/index.json, BaseURL/bundles/…
	Trust     *trust.Store // the index's signer and every bundle's signer must be trusted here
	CacheDir  string       // bundles cached as <sha256>.sfa, and the highest index version seen
	HTTP      *http.Client // nil: a client with no overall timeout (ctx bounds each call)
	Progress  io.Writer    // nil: no progress; else a progress bar per download
	MachineID string       // rollout bucketing; "": this machine takes part only in full rollouts
	// ShellVersion, when set, makes Resolve skip releases whose minShell is newer.
	ShellVersion string
	Logger       *slog.Logger // nil: slog.Default()

	// OnProgress, when set, is told the bytes of a download received so far and its
	// size as they arrive (for a window's progress bar, where Progress draws a terminal's).
	OnProgress func(done, total int64)
}

// Client reads one catalog. Safe for concurrent use.
type Client struct {
	cfg  ClientConfig
	http *http.Client
	log  *slog.Logger
}

// NewClient makes a client. A bad BaseURL is reported by the first call that uses it.
func NewClient(cfg ClientConfig) *Client {
	c := &Client{cfg: cfg, http: cfg.HTTP, log: cfg.Logger}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}

// catalogKey names the catalog in the record of versions seen.
func (c *Client) catalogKey() string { return strings.TrimRight(c.cfg.BaseURL, "/") }

// urlOf joins a path under the catalog's root to the base URL.
func (c *Client) urlOf(rel string) (string, error) {
	u, err := url.Parse(c.cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("catalog: base URL %q: want http(s)://host/path", c.cfg.BaseURL)
	}
	u.RawQuery, u.Fragment = "", ""
	return u.JoinPath(strings.Split(rel, "/")...).String(), nil
}

// Index fetches index.json and returns it once its signature verifies with a key the
// trust store trusts (not revoked), and its version is not lower than the highest this
// cache has seen from this catalog (a replayed old index would hide updates, or bring
// back a pulled release). The version seen is then remembered.
func (c *Client) Index(ctx context.Context) (*Index, error) {
	if c.cfg.Trust == nil {
		return nil, errors.New("catalog: no trust store configured")
	}
	u, err := c.urlOf(IndexFile)
	if err != nil {
		return nil, err
	}
	data, err := c.get(ctx, u, MaxIndexSize)
	if err != nil {
		return nil, err
	}
	env, sig, err := parseEnvelope(data)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", u, err)
	}
	t, err := c.cfg.Trust.Check(env.Signer)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: checking signer %s: %w", u, env.Signer, err)
	}
	if t.Status != trust.Trusted {
		return nil, fmt.Errorf("catalog: %s: %w: signer %s is %s", u, ErrUntrusted, env.Signer, t.Status)
	}
	idx, err := verifyEnvelope(env, sig, t.Key.Public)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", u, err)
	}
	if err := c.checkReplay(idx, env.Signer); err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", u, err)
	}
	return idx, nil
}

// get fetches u, refusing a status other than 200 and a body over limit bytes.
func (c *Client) get(ctx context.Context, u string, limit int64) ([]byte, error) {
	resp, err := c.do(ctx, u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", u, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("catalog: %s: %w: over %d bytes", u, ErrIndex, limit)
	}
	return data, nil
}

func (c *Client) do(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", u, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("catalog: %s: %s", u, resp.Status)
	}
	return resp, nil
}

// seenState is the record of the highest index version seen per catalog.
type seenState struct {
	Format   string              `json:"format"`
	Catalogs map[string]seenInfo `json:"catalogs"`
}

type seenInfo struct {
	Version int          `json:"version"`
	Signer  bundle.KeyID `json:"signer"`
	Seen    time.Time    `json:"seen"`
}

// checkReplay refuses idx if an index with a higher version was seen from this catalog,
// and otherwise records idx's version. The record is changed under a lock, so two shells
// updating at once cannot lower it.
func (c *Client) checkReplay(idx *Index, signer bundle.KeyID) error {
	if c.cfg.CacheDir == "" {
		return errors.New("no cache directory configured (it remembers index versions seen)")
	}
	if err := os.MkdirAll(c.cfg.CacheDir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(c.cfg.CacheDir, seenFile)
	unlock, err := filelock.Lock(path+".lock", 0o600)
	if err != nil {
		return fmt.Errorf("locking %s: %w", path, err)
	}
	defer unlock()
	st := seenState{Format: seenFormat, Catalogs: map[string]seenInfo{}}
	switch data, err := os.ReadFile(path); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		// A damaged record is an error, not a fresh start: starting over would accept
		// any replayed index.
		if err := json.Unmarshal(data, &st); err != nil || st.Format != seenFormat || st.Catalogs == nil {
			return fmt.Errorf("%s: unreadable (remove it to start over): %v", path, err)
		}
	}
	key := c.catalogKey()
	prev, ok := st.Catalogs[key]
	if ok && idx.Version < prev.Version {
		return fmt.Errorf("%w: version %d, already saw %d", ErrReplay, idx.Version, prev.Version)
	}
	if ok && idx.Version == prev.Version && prev.Signer == signer {
		return nil
	}
	st.Catalogs[key] = seenInfo{Version: idx.Version, Signer: signer, Seen: time.Now().UTC().Truncate(time.Second)}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFrom(path, bytes.NewReader(append(data, '\n')), 0o600)
}

// Resolve picks the release of appID this machine should run on channel ("" means
// stable). A machine asking for a channel gets its release, or stable's if that is newer.
// A machine on stable gets a newer release of another channel when its rollout bucket for
// (MachineID, appID, that version) falls under the channel's rollout percentage; the
// newest such release wins. With ShellVersion set, releases needing a newer shell are
// passed over (ErrShellTooOld when none is left).
func (c *Client) Resolve(idx *Index, appID, channel string) (*Release, error) {
	if channel == "" {
		channel = Stable
	}
	app := idx.App(appID)
	if app == nil {
		return nil, fmt.Errorf("catalog: %w: %q", ErrNoApp, appID)
	}
	stable := app.Channel(Stable)
	if stable == nil {
		return nil, fmt.Errorf("catalog: %s: %w: %s", appID, ErrNoChannel, Stable)
	}
	candidates := []string{stable.Version}
	add := func(v string) {
		if newer(v, candidates[0]) {
			candidates = append([]string{v}, candidates...)
		}
	}
	if channel != Stable {
		ch := app.Channel(channel)
		if ch == nil {
			return nil, fmt.Errorf("catalog: %s: %w: %q", appID, ErrNoChannel, channel)
		}
		add(ch.Version)
	} else {
		best := ""
		for _, ch := range app.Channels {
			if ch.Name != Stable && inRollout(c.cfg.MachineID, appID, ch.Version, ch.Rollout) &&
				(best == "" || newer(ch.Version, best)) {
				best = ch.Version
			}
		}
		if best != "" {
			add(best)
		}
	}
	for _, v := range candidates {
		r := app.Release(v)
		if r == nil {
			return nil, fmt.Errorf("catalog: %s: %w: channel names missing release %q", appID, ErrIndex, v)
		}
		if c.shellCanRun(r) {
			return r.clone(), nil
		}
		c.log.Info("catalog: release needs a newer shell", "app", appID, "version", v, "minShell", r.MinShell, "shell", c.cfg.ShellVersion)
	}
	return nil, fmt.Errorf("catalog: %s: %w (shell %s)", appID, ErrShellTooOld, c.cfg.ShellVersion)
}

func (c *Client) shellCanRun(r *Release) bool {
	if c.cfg.ShellVersion == "" {
		return true
	}
	cmp, err := bundle.CompareVersions(r.MinShell, c.cfg.ShellVersion)
	return err == nil && cmp <= 0
}

// newer reports whether a is a higher version than b (both valid in a verified index).
func newer(a, b string) bool {
	c, err := bundle.CompareVersions(a, b)
	return err == nil && c > 0
}

// Download returns the path of r's bundle in the cache directory (<sha256>.sfa), fetching
// it if it is not there. The download is checked as it streams: more or fewer bytes than
// r.Size, or another sha256, are refused and nothing is left behind. The bundle is then
// opened and verified (every file's digest, its signature by a key the trust store trusts)
// and must be the app and version r names, before it is renamed into the cache, so the
// cache only ever holds verified bundles. A cached bundle is checked the same way, without
// the network; a damaged one is fetched again.
func (c *Client) Download(ctx context.Context, r *Release) (string, error) {
	appID, err := checkRelease(r)
	if err != nil {
		return "", err
	}
	if c.cfg.CacheDir == "" {
		return "", errors.New("catalog: no cache directory configured")
	}
	if c.cfg.Trust == nil {
		return "", errors.New("catalog: no trust store configured")
	}
	if err := os.MkdirAll(c.cfg.CacheDir, 0o700); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	final := filepath.Join(c.cfg.CacheDir, r.SHA256+".sfa")
	switch err := c.checkFile(final, appID, r); {
	case err == nil:
		return final, nil
	case !errors.Is(err, fs.ErrNotExist):
		c.log.Warn("catalog: cached bundle damaged; fetching it again", "path", final, "err", err)
		os.Remove(final)
	}

	u, err := c.urlOf(r.Path)
	if err != nil {
		return "", err
	}
	tmp, err := c.fetch(ctx, u, appID, r)
	if err != nil {
		return "", err
	}
	if err := c.checkFile(tmp, appID, r); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("catalog: %s: %w", u, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("catalog: %w", err)
	}
	return final, nil
}

// checkRelease checks a Release handed in by the caller as Validate checks one in an
// index, and returns the app id its path names.
func checkRelease(r *Release) (string, error) {
	if r == nil {
		return "", errors.New("catalog: download: no release")
	}
	parts := strings.Split(r.Path, "/")
	if len(parts) != 3 || parts[0] != "bundles" {
		return "", fmt.Errorf("catalog: download: %w: path %q", ErrIndex, r.Path)
	}
	a := App{ID: parts[1], Name: parts[1], Versions: []Release{*r}, Channels: []Channel{{Name: Stable, Version: r.Version, Rollout: 100}}}
	if err := a.validate(); err != nil {
		return "", fmt.Errorf("catalog: download: %w: %w", ErrIndex, err)
	}
	return a.ID, nil
}

// fetch streams u into a temporary file in the cache directory, checking size and digest,
// and returns its name. On any failure the file is removed.
func (c *Client) fetch(ctx context.Context, u, appID string, r *Release) (_ string, err error) {
	resp, err := c.do(ctx, u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.ContentLength >= 0 && resp.ContentLength != r.Size {
		return "", fmt.Errorf("catalog: %s: %w: server sends %d bytes, index says %d", u, ErrSize, resp.ContentLength, r.Size)
	}
	f, err := os.CreateTemp(c.cfg.CacheDir, "."+r.SHA256+".partial-*")
	if err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()

	h := sha256.New()
	w := io.MultiWriter(f, h)
	var bar *progressbar.ProgressBar
	if c.cfg.Progress != nil {
		bar = newBar(c.cfg.Progress, appID+" "+r.Version, r.Size)
		w = io.MultiWriter(w, barWriter{bar})
		defer func() {
			if err != nil {
				bar.Exit()
			}
		}()
	}
	if c.cfg.OnProgress != nil {
		w = io.MultiWriter(w, &progressWriter{total: r.Size, report: c.cfg.OnProgress})
	}
	// One byte more than promised is enough to know the server sends too much.
	n, err := io.Copy(w, io.LimitReader(resp.Body, r.Size+1))
	if err != nil {
		return "", fmt.Errorf("catalog: %s: %w", u, err)
	}
	if n != r.Size {
		return "", fmt.Errorf("catalog: %s: %w: got %s bytes, index says %d", u, ErrSize, countText(n, r.Size), r.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != r.SHA256 {
		return "", fmt.Errorf("catalog: %s: %w: got sha256 %s, index says %s", u, ErrDigest, got, r.SHA256)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	return f.Name(), nil
}

func countText(n, size int64) string {
	if n > size {
		return fmt.Sprintf("more than %d", size)
	}
	return fmt.Sprint(n)
}

// checkFile verifies a bundle file against r: size, sha256, bundle.Open (every file's
// digest and the signature), the signer trusted, and the manifest's app, version and
// minShell equal to the index's.
func (c *Client) checkFile(path, appID string, r *Release) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Size() != r.Size {
		return fmt.Errorf("%w: %s has %d bytes, index says %d", ErrSize, path, fi.Size(), r.Size)
	}
	if d, err := digestOf(f); err != nil {
		return err
	} else if d != r.SHA256 {
		return fmt.Errorf("%w: %s has sha256 %s, index says %s", ErrDigest, path, d, r.SHA256)
	}
	b, err := bundle.Open(f, r.Size, bundle.DefaultLimits())
	if err != nil {
		return err
	}
	if _, err := c.cfg.Trust.Verify(b); err != nil {
		return err
	}
	m := b.Manifest
	if m.AppID != appID || m.Version != r.Version || m.MinShell != r.MinShell {
		return fmt.Errorf("%w: bundle is %s %s (minShell %s), index says %s %s (minShell %s)",
			ErrBundle, m.AppID, m.Version, m.MinShell, appID, r.Version, r.MinShell)
	}
	return nil
}

// newBar is a byte-counting progress bar on w, for a download of size bytes.
func newBar(w io.Writer, desc string, size int64) *progressbar.ProgressBar {
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		progressbar.OptionSetRenderBlankState(true),
	)
}

// progressWriter counts the bytes written and reports them to a callback.
type progressWriter struct {
	done, total int64
	report      func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.done += int64(len(b))
	p.report(min(p.done, p.total), p.total) // a server sending too much is the size check's to report
	return len(b), nil
}

// barWriter feeds a progress bar without letting its errors (a server sending more than
// promised overflows the bar) fail the download: the size check reports that.
type barWriter struct{ bar *progressbar.ProgressBar }

func (b barWriter) Write(p []byte) (int, error) {
	b.bar.Add(len(p))
	return len(p), nil
}
