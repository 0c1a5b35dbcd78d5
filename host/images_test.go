package host

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
)

var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

// loopbackNames resolves every name to 127.0.0.1, where the test server listens.
type loopbackNames struct{}

func (loopbackNames) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// allowTestLoopback lets the test's fetcher reach the loopback server: a test seam,
// not a production path (production refuses loopback outside network.devMode).
func allowTestLoopback(ip netip.Addr, dev bool) error {
	if ip == netip.MustParseAddr("127.0.0.1") {
		return nil
	}
	return netapi.DefaultAddrPolicy(ip, dev)
}

// writeImagesApp writes an app whose page shows ok and bad as <image>s, reporting
// their load and error events in its data, bg as a WXSS background image and cover as
// a bound background image in a style attribute.
func writeImagesApp(t *testing.T, ok, bad, bg, cover string) string {
	t.Helper()
	dir := t.TempDir()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	files := map[string]string{
		"app.json": `{"id": "test.images", "pages": ["pages/index/index"]}`,
		"app.js":   `App({})`,
		"pages/index/index.wxml": `<image id="ok" src="{{ok}}" bindload="okLoad" binderror="okError"/>
<image id="bad" src="{{bad}}" bindload="badLoad" binderror="badError"/>
<view class="bg">bg</view>
<view style="width: 10px; height: 10px; background-image: url({{cover}})">cover</view>`,
		"pages/index/index.wxss": `.bg { width: 10px; height: 10px; background-image: url(` + bg + `); }`,
		"pages/index/index.js": `Page({
  data: { ok: "", bad: "", cover: "", okWidth: -1, okErr: "", badWidth: -1, badErr: "" },
  onLoad() { this.setData({ ok: ` + q(ok) + `, bad: ` + q(bad) + `, cover: ` + q(cover) + ` }); },
  okLoad(e) { this.setData({ okWidth: e.detail.width }); },
  okError(e) { this.setData({ okErr: e.detail.errMsg }); },
  badLoad(e) { this.setData({ badWidth: e.detail.width }); },
  badError(e) { this.setData({ badErr: e.detail.errMsg }); }
});`,
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A page shows a remote image that the shell fetched from an https server, as a
// person would see it (the image's load event carries its natural width); a refused
// one is broken (its error event) with one audit line; background images from WXSS and
// from a bound style attribute take the same path; the app's cache holds what was
// fetched.
func TestRemoteImagesInAWindow(t *testing.T) {
	needLoop(t)
	var okHits, bgHits, coverHits atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.png":
			okHits.Add(1)
		case "/bg.png":
			bgHits.Add(1)
		case "/cover.png":
			coverHits.Add(1)
		}
		w.Write(onePixelPNG)
	}))
	defer srv.Close()
	port := fmt.Sprint(srv.Listener.Addr().(*net.TCPAddr).Port)
	// httptest's certificate names example.com; the test resolver sends it to loopback.
	base := "https://example.com:" + port
	dir := writeImagesApp(t, base+"/ok.png", "http://example.com:"+port+"/bad.png", base+"/bg.png", base+"/cover.png")

	o := testOptions(t)
	audit, err := bridge.OpenAuditLog(bridge.AuditConfig{Path: o.Config.AuditPath()})
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	o.Audit = audit
	o.Images = netapi.NewImages(netapi.ImageConfig{CacheDir: o.Config.Paths.Cache,
		Net: netapi.Config{Resolver: loopbackNames{}, AllowAddr: allowTestLoopback, RootCAs: srvPool(srv)}})
	defer o.Images.Close()

	app, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(app, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(func() {}); err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close(); <-s.Done() }()

	var d struct {
		OKWidth, BadWidth int
		OKErr, BadErr     string
	}
	read := func() bool {
		top, err := s.CurrentPage()
		if err != nil {
			return false
		}
		raw, err := s.PageData(context.Background(), top.ID)
		return err == nil && json.Unmarshal(raw, &d) == nil
	}
	waitFor(t, "both images to load or fail", func() bool { return read() && (d.OKWidth >= 0 || d.OKErr != "") && (d.BadWidth >= 0 || d.BadErr != "") })
	if d.OKWidth != 1 || d.OKErr != "" {
		t.Errorf("remote image: width %d, error %q; want it shown with naturalWidth 1", d.OKWidth, d.OKErr)
	}
	if d.BadWidth != -1 || !strings.Contains(d.BadErr, "bad.png") {
		t.Errorf("refused image: width %d, error %q; want it broken", d.BadWidth, d.BadErr)
	}
	waitFor(t, "the background image", func() bool { return bgHits.Load() == 1 })
	waitFor(t, "the style attribute's image", func() bool { return coverHits.Load() == 1 })
	var lines []bridge.AuditEntry
	waitFor(t, "the audit line", func() bool {
		lines = nil
		all, _ := bridge.ReadAudit(o.Config.AuditPath(), bridge.Filter{App: "test.images"})
		for _, e := range all {
			if e.Kind == "image" {
				lines = append(lines, e)
			}
		}
		return len(lines) > 0
	})
	if len(lines) != 1 || lines[0].Decision != bridge.DecisionRefused || !strings.Contains(lines[0].Reason, "http://example.com:"+port+"/bad.png: url must use https") {
		t.Errorf("audit lines for images: %+v, want one refusal of bad.png", lines)
	}
	if okHits.Load() != 1 {
		t.Errorf("ok.png fetched %d times, want 1", okHits.Load())
	}
	if entries, _ := os.ReadDir(filepath.Join(o.Config.Paths.Cache, "images")); len(entries) != 1 {
		t.Errorf("image cache folders: %d, want the app's one", len(entries))
	}
}

// A page's scheme URL naming another app is refused and audited: a window fetches for
// its own app only.
func TestRemoteImageForAnotherApp(t *testing.T) {
	o := testOptions(t)
	audit, err := bridge.OpenAuditLog(bridge.AuditConfig{Path: o.Config.AuditPath()})
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	o.Audit = audit
	o.Images = netapi.NewImages(netapi.ImageConfig{})
	defer o.Images.Close()
	app, err := LoadDir(writeImagesApp(t, "", "", "https://example.com/bg.png", ""))
	if err != nil {
		t.Fatal(err)
	}
	if css := app.Pages["pages/index/index"].CSS; !strings.Contains(css, `url("sfimg://image/?app=test.images&u=https%3A%2F%2Fexample.com%2Fbg.png")`) {
		t.Errorf("compiled WXSS does not name the app's image: %s", css)
	}
	s, err := Start(app, o)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close(); s.shutdown() }()
	if _, _, err := s.RemoteImage(context.Background(), "test.other", "https://example.com/a.png"); err == nil || !strings.Contains(err.Error(), `names app "test.other"`) {
		t.Fatalf("err = %v, want a refusal naming the other app", err)
	}
	s.opts.Config.Images.Remote = "none"
	if _, _, err := s.RemoteImage(context.Background(), "test.images", "https://example.com/a.png?token=secret"); err == nil || !strings.Contains(err.Error(), "images.remote: none") {
		t.Fatalf("err = %v, want the policy's refusal", err)
	}
	all, err := bridge.ReadAudit(o.Config.AuditPath(), bridge.Filter{App: "test.images"})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range all {
		if e.Kind == "image" && e.Decision == bridge.DecisionRefused {
			reasons = append(reasons, e.Reason)
		}
	}
	if len(reasons) != 2 || strings.Contains(strings.Join(reasons, "\n"), "secret") {
		t.Errorf("audit reasons %q: want two refusals, without the url's query", reasons)
	}
}

func srvPool(srv *httptest.Server) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return pool
}
