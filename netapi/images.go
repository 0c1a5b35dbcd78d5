package netapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ImagePolicy says which remote images an app's page may show (config images.remote).
type ImagePolicy string

// The image policies: any https image (WeChat's behaviour), only images from the app's
// declared network domains, or none.
const (
	ImagesAny      ImagePolicy = "any"
	ImagesDeclared ImagePolicy = "declared"
	ImagesNone     ImagePolicy = "none"
)

// Defaults for a zero ImageConfig field.
const (
	DefaultImageBytes      = 10 << 20
	DefaultImagesPerMinute = 300
	DefaultImageConcurrent = 6
	DefaultImageCacheBytes = 64 << 20
	DefaultImageCacheTTL   = 24 * time.Hour
	DefaultImageTimeout    = 30 * time.Second
	maxImageRedirects      = 5
)

// ImageConfig configures Images.
type ImageConfig struct {
	// Net holds the address policy, dev mode, roots and test seams, as for wx.request;
	// its Timeout bounds one image (0: DefaultImageTimeout).
	Net        Config
	CacheDir   string        // the per-app caches live under it ("": no disk cache)
	MaxBytes   int64         // one image; 0: DefaultImageBytes
	PerMinute  int           // network fetches per app per minute (cache hits are free); 0: DefaultImagesPerMinute
	Concurrent int           // network fetches per app at once; 0: DefaultImageConcurrent
	CacheBytes int64         // one app's disk cache; 0: DefaultImageCacheBytes
	CacheTTL   time.Duration // how long a cached image is used; 0: DefaultImageCacheTTL
	Now        func() time.Time
}

// ImageApp is what Images needs to know of the app whose page shows an image.
type ImageApp struct {
	ID      string
	Domains []string // app.json network.domains (policy declared)
	Policy  ImagePolicy
}

// Image is a fetched image, its type sniffed from its bytes.
type Image struct {
	Data        []byte
	ContentType string
}

// Images fetches remote images for the pages of all apps: the page itself has no
// network, so an <image src="https://..."> or a WXSS url() reaches the shell through
// the render runtime's image scheme and is fetched here, over https only, with no
// cookies and no referer, within size, rate and concurrency limits, into a per-app
// disk cache. Safe for concurrent use.
type Images struct {
	cfg    ImageConfig
	client *Client // its transport: the address policy and anti-rebinding dial

	mu       sync.Mutex
	apps     map[string]*imageQuota
	inflight map[string]*imageCall
}

type imageQuota struct {
	slots  chan struct{} // concurrency
	window time.Time     // start of the current minute
	count  int
}

type imageCall struct {
	done chan struct{}
	img  Image
	err  error
}

// NewImages makes an image fetcher.
func NewImages(cfg ImageConfig) *Images {
	if cfg.Net.Timeout <= 0 {
		cfg.Net.Timeout = DefaultImageTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultImageBytes
	}
	cfg.Net.MaxResponseBytes = cfg.MaxBytes
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = DefaultImagesPerMinute
	}
	if cfg.Concurrent <= 0 {
		cfg.Concurrent = DefaultImageConcurrent
	}
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultImageCacheBytes
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultImageCacheTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Images{cfg: cfg, client: New(cfg.Net), apps: map[string]*imageQuota{}, inflight: map[string]*imageCall{}}
}

// Close drops idle connections.
func (im *Images) Close() { im.client.Close() }

// IsRefusal reports whether err is the shell's refusal (a policy or a limit) rather
// than a failure of the server or the network.
func IsRefusal(err error) bool {
	var r *refusal
	return errors.As(err, &r)
}

// Fetch returns the image at raw ("https://..." or "//host/...") for app, from its
// cache or the network. An error's text says why the image is broken.
func (im *Images) Fetch(ctx context.Context, app ImageApp, raw string) (Image, error) {
	if app.ID == "" {
		return Image{}, refusef("no app id")
	}
	var rules []domainRule
	switch app.Policy {
	case ImagesAny:
	case ImagesDeclared:
		var err error
		if rules, err = parseDomains(app.Domains); err != nil {
			return Image{}, fmt.Errorf("app.json %w", err)
		}
	case ImagesNone, "":
		return Image{}, refusef("remote images are off for this app (images.remote: none)")
	default:
		return Image{}, refusef("unknown images.remote policy %q", app.Policy)
	}
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return Image{}, refusef("invalid image url %q", raw)
	}
	u.Fragment, u.RawFragment = "", ""
	check := func(u *url.URL) error {
		if app.Policy == ImagesAny {
			return checkTarget(u, im.cfg.Net.DevMode)
		}
		return checkURL(u, rules, im.cfg.Net.DevMode)
	}
	if err := check(u); err != nil {
		return Image{}, err
	}
	key := cacheKey(u.String())
	if img, ok := im.cached(app.ID, key); ok {
		return img, nil
	}

	// One fetch per app and url at a time: a list showing one avatar fifty times
	// costs one request.
	callKey := app.ID + "\x00" + key
	im.mu.Lock()
	if c, ok := im.inflight[callKey]; ok {
		im.mu.Unlock()
		select {
		case <-c.done:
			return c.img, c.err
		case <-ctx.Done():
			return Image{}, errors.New("abort")
		}
	}
	c := &imageCall{done: make(chan struct{})}
	im.inflight[callKey] = c
	im.mu.Unlock()
	c.img, c.err = im.fetch(ctx, app.ID, u, key, check)
	im.mu.Lock()
	delete(im.inflight, callKey)
	im.mu.Unlock()
	close(c.done)
	return c.img, c.err
}

// fetch takes a rate token and a concurrency slot, then gets the image.
func (im *Images) fetch(ctx context.Context, appID string, u *url.URL, key string, check func(*url.URL) error) (Image, error) {
	data, header, err := im.get(ctx, appID, u, check, "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8", "image")
	if err != nil {
		return Image{}, err
	}
	typ := sniffImage(data, header.Get("Content-Type"))
	if typ == "" {
		return Image{}, refusef("not an image (the content sniffs as %s)", http.DetectContentType(data))
	}
	img := Image{Data: data, ContentType: typ}
	if !strings.Contains(strings.ToLower(header.Get("Cache-Control")), "no-store") {
		im.store(appID, key, img)
	}
	return img, nil
}

// get fetches u for the page of appID, images and media alike: one rate token and one
// concurrency slot of the app's, the network timeout, no cookies and no Referer either
// way, every redirect checked again; only a 200 is a body, read within the size limit.
func (im *Images) get(ctx context.Context, appID string, u *url.URL, check func(*url.URL) error, accept, what string) ([]byte, http.Header, error) {
	q, err := im.take(appID)
	if err != nil {
		return nil, nil, err
	}
	select {
	case q.slots <- struct{}{}:
		defer func() { <-q.slots }()
	case <-ctx.Done():
		return nil, nil, errors.New("abort")
	}
	tctx, cancel := context.WithTimeoutCause(ctx, im.cfg.Net.Timeout, errTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, refusef("invalid %s url: %v", what, err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "Sandframe")
	client := &http.Client{
		Transport: im.client.transport, // no Jar: no cookies either way; net/http sends no Referer of its own
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if len(via) >= maxImageRedirects {
				return refusef("stopped after %d redirects", maxImageRedirects)
			}
			if err := check(next.URL); err != nil {
				return refusef("redirect to %s refused: %v", next.URL.Redacted(), err)
			}
			next.Header.Del("Referer")
			return nil
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, im.client.reason(ctx, tctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	data, err := im.client.readBody(resp)
	if err != nil {
		return nil, nil, im.client.reason(ctx, tctx, err)
	}
	return data, resp.Header, nil
}

// take counts one network fetch against the app's budget for this minute.
func (im *Images) take(appID string) (*imageQuota, error) {
	now := im.cfg.Now()
	im.mu.Lock()
	defer im.mu.Unlock()
	q, ok := im.apps[appID]
	if !ok {
		q = &imageQuota{slots: make(chan struct{}, im.cfg.Concurrent)}
		im.apps[appID] = q
	}
	if now.Sub(q.window) >= time.Minute {
		q.window, q.count = now, 0
	}
	if q.count >= im.cfg.PerMinute {
		return nil, refusef("more than %d remote images a minute", im.cfg.PerMinute)
	}
	q.count++
	return q, nil
}

// sniffImage returns the type of data when it is an image: by its bytes, or, for SVG
// (which sniffs as text), by the declared type and an <svg element. "" otherwise.
func sniffImage(data []byte, declared string) string {
	typ := http.DetectContentType(data)
	if strings.HasPrefix(typ, "image/") {
		return typ
	}
	decl := strings.ToLower(strings.TrimSpace(strings.Split(declared, ";")[0]))
	if decl == "image/svg+xml" && (strings.HasPrefix(typ, "text/xml") || strings.HasPrefix(typ, "text/plain")) &&
		bytes.Contains(data[:min(len(data), 4096)], []byte("<svg")) {
		return "image/svg+xml"
	}
	return ""
}

// cacheKey names a url in an app's cache.
func cacheKey(u string) string {
	sum := sha256.Sum256([]byte(u))
	return hex.EncodeToString(sum[:])
}

// imageCacheDir is an app's cache folder: one per app, so that wiping an app removes it.
func imageCacheDir(root, appID string) string {
	sum := sha256.Sum256([]byte(appID))
	return filepath.Join(root, "images", hex.EncodeToString(sum[:16]))
}

// wipeImageCache removes app's cached remote images under cacheDir (uninstall, clear,
// kiosk wipe).
func wipeImageCache(cacheDir, appID string) error {
	if cacheDir == "" {
		return nil
	}
	if err := os.RemoveAll(imageCacheDir(cacheDir, appID)); err != nil {
		return fmt.Errorf("wipe the image cache of %s: %w", appID, err)
	}
	return nil
}

// ForgetApp wipes the app's image cache and resets its budget.
func (im *Images) ForgetApp(appID string) error {
	im.mu.Lock()
	delete(im.apps, appID)
	im.mu.Unlock()
	return wipeImageCache(im.cfg.CacheDir, appID)
}

// A cache file is the content type, a newline, and the image; its mtime is when it was
// fetched.
func (im *Images) cached(appID, key string) (Image, bool) {
	if im.cfg.CacheDir == "" {
		return Image{}, false
	}
	p := filepath.Join(imageCacheDir(im.cfg.CacheDir, appID), key)
	st, err := os.Stat(p)
	if err != nil || im.cfg.Now().Sub(st.ModTime()) > im.cfg.CacheTTL || st.Size() > im.cfg.MaxBytes+256 {
		return Image{}, false
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return Image{}, false
	}
	typ, data, ok := bytes.Cut(raw, []byte("\n"))
	if !ok || sniffImage(data, string(typ)) != string(typ) {
		return Image{}, false // damaged or not ours: fetch again
	}
	return Image{Data: data, ContentType: string(typ)}, true
}

// store writes img to the app's cache (best effort: a full disk only costs a refetch)
// and evicts the oldest entries past the app's cache size.
func (im *Images) store(appID, key string, img Image) {
	if im.cfg.CacheDir == "" {
		return
	}
	dir := imageCacheDir(im.cfg.CacheDir, appID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, err = io.WriteString(f, img.ContentType+"\n")
	if err == nil {
		_, err = f.Write(img.Data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	now := im.cfg.Now()
	if err == nil {
		err = os.Chtimes(f.Name(), now, now)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, key))
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	im.evict(dir)
}

// evict removes the oldest files of dir until it holds at most CacheBytes.
func (im *Images) evict(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, file{e.Name(), info.Size(), info.ModTime()})
		total += info.Size()
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	for _, f := range files {
		if total <= im.cfg.CacheBytes {
			return
		}
		if os.Remove(filepath.Join(dir, f.name)) == nil {
			total -= f.size
		}
	}
}
