package catalog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
)

// fixture is a catalog with 1.0.0 on stable and 1.1.0 on canary at 10%, served on
// 127.0.0.1, and a client trusting the catalog key and the publisher key.
type fixture struct {
	dir    string
	catKey ed25519.PrivateKey
	pubKey ed25519.PrivateKey
	v1, v2 []byte
	srv    *server
	trust  *trust.Store
	cache  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), catKey: key(1), pubKey: key(2), cache: t.TempDir()}
	f.v1 = packApp(t, testApp, "1.0.0", key(2), nil)
	f.v2 = packApp(t, testApp, "1.1.0", key(2), nil)
	publish(t, f.dir, f.v1, key(1), PublishOptions{})
	publish(t, f.dir, f.v2, key(1), PublishOptions{Channel: Canary, Rollout: 10})
	f.srv = serveDir(t, f.dir)
	f.trust = trustStore(t, key(1), key(2))
	return f
}

func (f *fixture) client(t *testing.T) *Client {
	return newClient(t, f.srv.URL, f.trust, f.cache)
}

func TestClientFetchVerifyDownload(t *testing.T) {
	f := newFixture(t)
	var progress bytes.Buffer
	c := NewClient(ClientConfig{BaseURL: f.srv.URL + "/", Trust: f.trust, CacheDir: f.cache, Progress: &progress, MachineID: "m"})
	ctx := context.Background()
	idx, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if idx.Version != 2 || idx.App(testApp) == nil {
		t.Fatalf("index = %+v", idx)
	}
	r, err := c.Resolve(idx, testApp, Canary)
	if err != nil || r.Version != "1.1.0" {
		t.Fatalf("Resolve canary = %+v, %v", r, err)
	}
	path, err := c.Download(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(f.cache, r.SHA256+".sfa") {
		t.Fatalf("path = %s", path)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, f.v2) {
		t.Fatal("cached bundle differs from the published one")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("cached bundle mode %v", fi.Mode())
	}
	if out := progress.String(); !strings.Contains(out, "100%") || !strings.Contains(out, testApp+" 1.1.0") {
		t.Fatalf("progress output = %q", out)
	}
	b, err := bundle.Open(bytes.NewReader(got), int64(len(got)), bundle.DefaultLimits())
	if err != nil || b.Manifest.Version != "1.1.0" {
		t.Fatalf("downloaded bundle: %v", err)
	}
}

func TestIndexRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	good, err := os.ReadFile(filepath.Join(f.dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	// otherCat is the same index content signed by a key the client does not trust.
	otherDir := t.TempDir()
	publish(t, otherDir, f.v1, key(9), PublishOptions{})
	otherSigned, _ := os.ReadFile(filepath.Join(otherDir, IndexFile))

	cases := []struct {
		name string
		body []byte
		want error
	}{
		{"rollout raised", bytes.Replace(good, []byte(`"rollout":10`), []byte(`"rollout":90`), 1), ErrSignature},
		{"digest swapped", bytes.Replace(good, []byte(`"sha256":"`), []byte(`"sha256":"0`), 1), ErrSignature},
		{"signature of another index", spliceSignature(t, good, otherSigned), ErrUntrusted},
		{"signer relabelled", relabel(t, good, bundle.IDOf(pub(key(2)))), ErrSignature},
		{"untrusted signer", otherSigned, ErrUntrusted},
		{"not json", []byte("<html>"), ErrIndex},
		{"unknown envelope field", bytes.Replace(good, []byte(`{"index"`), []byte(`{"x":1,"index"`), 1), ErrIndex},
		{"no signature", bytes.Replace(good, []byte(`"signature":"`), []byte(`"signature":"!`), 1), ErrIndex},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(tc.body) }))
			_, err := newClient(t, srv.URL, f.trust, t.TempDir()).Index(ctx)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}

	t.Run("revoked signer", func(t *testing.T) {
		ts := trustStore(t, key(1))
		if err := ts.Revoke(bundle.IDOf(pub(key(1))), "leaked"); err != nil {
			t.Fatal(err)
		}
		if _, err := newClient(t, f.srv.URL, ts, t.TempDir()).Index(ctx); !errors.Is(err, ErrUntrusted) {
			t.Fatalf("err = %v, want ErrUntrusted", err)
		}
	})
	t.Run("no trust store", func(t *testing.T) {
		if _, err := newClient(t, f.srv.URL, nil, t.TempDir()).Index(ctx); err == nil {
			t.Fatal("index accepted with no trust store")
		}
	})
	t.Run("server error", func(t *testing.T) {
		srv := serveHandler(t, http.NotFoundHandler())
		if _, err := newClient(t, srv.URL, f.trust, t.TempDir()).Index(ctx); err == nil || !strings.Contains(err.Error(), "404") {
			t.Fatalf("err = %v", err)
		}
	})
}

// spliceSignature puts the signature and signer of src onto dst's index.
func spliceSignature(t *testing.T, dst, src []byte) []byte {
	t.Helper()
	d, _, err := parseEnvelope(dst)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := parseEnvelope(src)
	if err != nil {
		t.Fatal(err)
	}
	d.Signature, d.Signer = s.Signature, s.Signer
	out, err := marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// relabel claims another (trusted) signer for the same signature.
func relabel(t *testing.T, data []byte, id bundle.KeyID) []byte {
	t.Helper()
	e, _, err := parseEnvelope(data)
	if err != nil {
		t.Fatal(err)
	}
	e.Signer = id
	out, err := marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIndexReplayRefused(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.client(t)
	old, _ := os.ReadFile(filepath.Join(f.dir, IndexFile)) // version 2
	if _, err := c.Index(ctx); err != nil {
		t.Fatal(err)
	}
	v3 := packApp(t, testApp, "1.2.0", f.pubKey, nil)
	publish(t, f.dir, v3, f.catKey, PublishOptions{})
	idx, err := c.Index(ctx)
	if err != nil || idx.Version != 3 {
		t.Fatalf("new index: %v, %v", idx, err)
	}
	// The same index again is fine (another process, a retry).
	if _, err := f.client(t).Index(ctx); err != nil {
		t.Fatalf("same version refused: %v", err)
	}

	// An attacker (or a stale mirror) serves the old, validly signed index.
	os.WriteFile(filepath.Join(f.dir, IndexFile), old, 0o644)
	if _, err := c.Index(ctx); !errors.Is(err, ErrReplay) {
		t.Fatalf("err = %v, want ErrReplay", err)
	}
	// A new client on the same cache remembers too.
	if _, err := f.client(t).Index(ctx); !errors.Is(err, ErrReplay) {
		t.Fatalf("err = %v, want ErrReplay", err)
	}
	// The record is per catalog URL: another catalog in the same cache is unaffected.
	other := t.TempDir()
	publish(t, other, f.v1, f.catKey, PublishOptions{})
	if _, err := newClient(t, serveDir(t, other).URL, f.trust, f.cache).Index(ctx); err != nil {
		t.Fatalf("another catalog: %v", err)
	}

	// A damaged record is an error, not a fresh start.
	os.WriteFile(filepath.Join(f.cache, seenFile), []byte("{"), 0o600)
	if _, err := c.Index(ctx); err == nil {
		t.Fatal("damaged record accepted")
	}
}

func TestDownloadRefusesWrongBytes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	idx, err := f.client(t).Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.client(t).Resolve(idx, testApp, Stable)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(f.v1)
	flipped[len(flipped)/2] ^= 1

	cases := []struct {
		name    string
		body    []byte
		chunked bool // no Content-Length: the size is found out while streaming
		want    error
	}{
		{"one byte flipped", flipped, false, ErrDigest},
		{"short, declared", f.v1[:len(f.v1)-1], false, ErrSize},
		{"short, chunked", f.v1[:len(f.v1)-1], true, ErrSize},
		{"long, chunked", append(bytes.Clone(f.v1), 'x'), true, ErrSize},
		{"long, declared", append(bytes.Clone(f.v1), 'x'), false, ErrSize},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if !tc.chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(tc.body)))
				}
				w.Write(tc.body)
				if tc.chunked {
					w.(http.Flusher).Flush()
				}
			}))
			cache := t.TempDir()
			var progress bytes.Buffer
			c := NewClient(ClientConfig{BaseURL: srv.URL, Trust: f.trust, CacheDir: cache, Progress: &progress})
			path, err := c.Download(ctx, r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Download = %q, %v; want %v", path, err, tc.want)
			}
			if left := cacheLeftovers(t, cache); len(left) != 0 {
				t.Fatalf("left in the cache: %v", left)
			}
		})
	}
}

func TestDownloadRefusesUntrustedPublisher(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	// The catalog key is trusted, the bundle's publisher is not.
	ts := trustStore(t, key(1))
	c := newClient(t, f.srv.URL, ts, f.cache)
	idx, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Resolve(idx, testApp, Stable)
	if _, err := c.Download(ctx, r); !errors.Is(err, trust.ErrUntrusted) {
		t.Fatalf("err = %v, want trust.ErrUntrusted", err)
	}
	if left := cacheLeftovers(t, f.cache); len(left) != 0 {
		t.Fatalf("left in the cache: %v", left)
	}
}

func TestDownloadRefusesBundleOfAnotherApp(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	// A release entry whose bytes are another app's bundle (digest and size match it).
	evil := packApp(t, "dev.test.evil", "1.0.0", f.pubKey, nil)
	digest, _ := digestOf(bytes.NewReader(evil))
	r := &Release{Version: "1.0.0", SHA256: digest, Path: BundlePath(testApp, "1.0.0"), Size: int64(len(evil)), MinShell: "0.0.0"}
	srv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { w.Write(evil) }))
	if _, err := newClient(t, srv.URL, f.trust, f.cache).Download(ctx, r); !errors.Is(err, ErrBundle) {
		t.Fatalf("err = %v, want ErrBundle", err)
	}
	if left := cacheLeftovers(t, f.cache); len(left) != 0 {
		t.Fatalf("left in the cache: %v", left)
	}
	// A release whose path leaves the catalog is refused before any request.
	r.Path = "../../etc/passwd"
	before := srv.requests.Load()
	if _, err := newClient(t, srv.URL, f.trust, f.cache).Download(ctx, r); !errors.Is(err, ErrIndex) {
		t.Fatalf("err = %v, want ErrIndex", err)
	}
	if srv.requests.Load() != before {
		t.Fatal("a request was made for a bad path")
	}
}

func TestDownloadCacheHit(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.client(t)
	idx, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.Resolve(idx, testApp, Stable)
	first, err := c.Download(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	before := f.srv.requests.Load()
	second, err := f.client(t).Download(ctx, r)
	if err != nil || second != first {
		t.Fatalf("second Download = %q, %v", second, err)
	}
	if n := f.srv.requests.Load() - before; n != 0 {
		t.Fatalf("cache hit made %d requests", n)
	}

	// A damaged cached file is fetched again.
	data, _ := os.ReadFile(first)
	data[len(data)/2] ^= 1
	os.WriteFile(first, data, 0o600)
	if _, err := c.Download(ctx, r); err != nil {
		t.Fatal(err)
	}
	if n := f.srv.requests.Load() - before; n != 1 {
		t.Fatalf("damaged cache: %d requests, want 1", n)
	}
	if got, _ := os.ReadFile(first); !bytes.Equal(got, f.v1) {
		t.Fatal("cache not repaired")
	}
}

func TestResolve(t *testing.T) {
	f := newFixture(t)
	idx, err := f.client(t).Index(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Find one machine inside the 10% canary rollout and one outside.
	var in, out string
	for i := 0; in == "" || out == ""; i++ {
		id := fmt.Sprintf("m-%d", i)
		if inRollout(id, testApp, "1.1.0", 10) {
			in = id
		} else {
			out = id
		}
	}
	cases := []struct {
		machine, channel, shell string
		want                    string
		err                     error
	}{
		{out, Stable, "", "1.0.0", nil},
		{out, "", "", "1.0.0", nil},
		{in, Stable, "", "1.1.0", nil},
		{"", Stable, "", "1.0.0", nil}, // no machine id: no partial rollouts
		{out, Canary, "", "1.1.0", nil},
		{out, "beta", "", "", ErrNoChannel},
		{in, Stable, "0.0.1", "1.1.0", nil},
	}
	for _, tc := range cases {
		c := NewClient(ClientConfig{MachineID: tc.machine, ShellVersion: tc.shell})
		r, err := c.Resolve(idx, testApp, tc.channel)
		if !errors.Is(err, tc.err) || (err == nil && r.Version != tc.want) {
			t.Errorf("Resolve(%q, %q) = %+v, %v; want %s, %v", tc.machine, tc.channel, r, err, tc.want, tc.err)
		}
	}
	if _, err := NewClient(ClientConfig{}).Resolve(idx, "dev.test.none", Stable); !errors.Is(err, ErrNoApp) {
		t.Errorf("unknown app: %v", err)
	}
	// The returned release is a copy: editing it does not edit the index.
	r, _ := NewClient(ClientConfig{}).Resolve(idx, testApp, Stable)
	r.SHA256 = "x"
	if idx.App(testApp).Release("1.0.0").SHA256 == "x" {
		t.Error("Resolve handed out the index's own release")
	}
}

func TestResolveMinShell(t *testing.T) {
	dir := t.TempDir()
	publish(t, dir, packApp(t, testApp, "1.0.0", key(2), nil), key(1), PublishOptions{})
	idx, err := ReadIndex(dir, pub(key(1)))
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the canary needs shell 9.0.0 (the index is built by hand, not fetched).
	app := idx.App(testApp)
	canary := app.Versions[0]
	canary.Version, canary.MinShell, canary.Path = "2.0.0", "9.0.0", BundlePath(testApp, "2.0.0")
	app.Versions = append(app.Versions, canary)
	app.Channels = append(app.Channels, Channel{Name: Canary, Version: "2.0.0", Rollout: 100})
	sortApp(app)
	if err := idx.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := NewClient(ClientConfig{MachineID: "m", ShellVersion: "1.0.0"}).Resolve(idx, testApp, Canary)
	if err != nil || r.Version != "1.0.0" {
		t.Fatalf("old shell: %+v, %v; want stable 1.0.0", r, err)
	}
	r, err = NewClient(ClientConfig{MachineID: "m", ShellVersion: "9.1.0"}).Resolve(idx, testApp, Canary)
	if err != nil || r.Version != "2.0.0" {
		t.Fatalf("new shell: %+v, %v", r, err)
	}
	app.Versions[0].MinShell = "9.0.0"
	if _, err := NewClient(ClientConfig{ShellVersion: "1.0.0"}).Resolve(idx, testApp, Stable); !errors.Is(err, ErrShellTooOld) {
		t.Fatalf("err = %v, want ErrShellTooOld", err)
	}
}
