package render

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/bridge"
)

func TestImageURLRoundTrip(t *testing.T) {
	for _, tc := range []struct{ app, remote string }{
		{"dev.example.a", "https://img.example.com/a.png?x=1&y=2#f"},
		{"a b&c=d", "https://img.example.com/%E4%B8%AD.png"},
	} {
		app, remote, err := ParseImageURL(RemoteImageURL(tc.app, tc.remote))
		if err != nil || app != tc.app || remote != tc.remote {
			t.Errorf("round trip of (%q, %q) = (%q, %q, %v)", tc.app, tc.remote, app, remote, err)
		}
	}
	for _, bad := range []string{"sfimg://image/?u=https%3A%2F%2Fx", "sfimg://image/?app=a", "sfimg://other/?app=a&u=x", "https://image/?app=a&u=x", "sfimg:%zz"} {
		if _, _, err := ParseImageURL(bad); err == nil {
			t.Errorf("ParseImageURL(%q) accepted it", bad)
		}
	}
}

// The image page loads what it is told and reports each image's natural width (0
// and failed when broken): {"id", "src"} puts an <img>, {"id", "css"} an element with
// that background image.
const imagePageScript = `window.__sf_recv = function (text) { JSON.parse(text).forEach(function (env) { show(Array.isArray(env) ? env[1] : env.payload); }); };
function show(p) {
  if (p.css) {
    var st = document.createElement("style");
    st.textContent = "#" + p.id + "{width:4px;height:4px;background-image:url(\"" + p.css + "\")}";
    document.head.appendChild(st);
    var d = document.createElement("div");
    d.id = p.id;
    document.body.appendChild(d);
    return;
  }
  var img = document.createElement("img");
  img.addEventListener("load", function () { window.__sf_post(JSON.stringify({id: p.id, width: img.naturalWidth})); });
  img.addEventListener("error", function () { window.__sf_post(JSON.stringify({id: p.id, width: img.naturalWidth, failed: true})); });
  img.src = p.src;
  document.body.appendChild(img);
};
document.addEventListener("DOMContentLoaded", function () { window.__sf_post(JSON.stringify({id: "loaded"})); });`

var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

// fakeImages serves one PNG for app "t" and refuses everything else, counting asks.
type fakeImages struct {
	mu    sync.Mutex
	asked []string
}

func (f *fakeImages) RemoteImage(ctx context.Context, urlApp, remote string) ([]byte, string, error) {
	f.mu.Lock()
	f.asked = append(f.asked, urlApp+" "+remote)
	f.mu.Unlock()
	if urlApp != "t" || !strings.HasPrefix(remote, "https://img.example.com/a.png") {
		return nil, "", errors.New("refused")
	}
	return onePixelPNG, "image/png", nil
}

func (f *fakeImages) saw(what string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.asked {
		if a == what {
			return true
		}
	}
	return false
}

type imageResult struct {
	ID     string `json:"id"`
	Width  int    `json:"width"`
	Failed bool   `json:"failed"`
}

// openImagePage opens a window with the mini-app page's CSP and the image page script.
func openImagePage(t testing.TB, src ImageSource) (*Window, chan imageResult) {
	t.Helper()
	results := make(chan imageResult, 16)
	w, err := OpenWindow(WindowOptions{
		Title: "images", Width: 200, Height: 200, HTML: assets.PageHTML(), Script: imagePageScript, Images: src,
		OnMessage: func(raw string) {
			var r imageResult
			if json.Unmarshal([]byte(raw), &r) == nil {
				results <- r
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	if r := waitImage(t, results); r.ID != "loaded" {
		t.Fatalf("first message %+v, want loaded", r)
	}
	return w, results
}

func waitImage(t testing.TB, results chan imageResult) imageResult {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("the image page did not answer")
		return imageResult{}
	}
}

func showImage(t testing.TB, w *Window, results chan imageResult, id, src string) imageResult {
	t.Helper()
	env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]string{"id": id, "src": src})
	if err := w.Send(env); err != nil {
		t.Fatal(err)
	}
	r := waitImage(t, results)
	if r.ID != id {
		t.Fatalf("answer for %q, want %q", r.ID, id)
	}
	return r
}

// The page shows remote images only through the scheme, served by its window's
// source; its own requests to the network are blocked by the CSP.
func TestImageSchemeServesThePage(t *testing.T) {
	needWindow(t)
	var hits atomic.Int64
	// Plain http on loopback, which WebKit would load without the CSP (a TLS server's
	// unknown certificate would fail the image on its own).
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(onePixelPNG)
	}))
	defer srv.Close()

	src := &fakeImages{}
	w, results := openImagePage(t, src)
	if r := showImage(t, w, results, "ok", RemoteImageURL("t", "https://img.example.com/a.png")); r.Failed || r.Width != 1 {
		t.Errorf("served image: %+v, want naturalWidth 1", r)
	}
	if r := showImage(t, w, results, "refused", RemoteImageURL("t", "https://img.example.com/b.png")); !r.Failed || r.Width != 0 {
		t.Errorf("refused image: %+v, want broken", r)
	}
	if r := showImage(t, w, results, "direct", srv.URL+"/a.png"); !r.Failed {
		t.Errorf("the page fetched %s itself: %+v", srv.URL, r)
	}
	if hits.Load() != 0 {
		t.Errorf("the test server saw %d requests from the page", hits.Load())
	}
	// A WXSS background image goes the same way.
	css := RemoteImageURL("t", "https://img.example.com/bg.png")
	env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]string{"id": "bg", "css": css})
	if err := w.Send(env); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !src.saw("t https://img.example.com/bg.png") {
		if time.Now().After(deadline) {
			t.Fatalf("the background image never reached the source; it saw %v", src.asked)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A window without a source shows no remote image.
func TestImageSchemeWithoutSource(t *testing.T) {
	needWindow(t)
	w, results := openImagePage(t, nil)
	if r := showImage(t, w, results, "none", RemoteImageURL("t", "https://img.example.com/a.png")); !r.Failed {
		t.Errorf("image without a source: %+v, want broken", r)
	}
}

// BenchmarkImageScheme measures one remote image shown through the scheme, from the
// page setting src to its load event, with a source that answers at once.
func BenchmarkImageScheme(b *testing.B) {
	needWindow(b)
	w, results := openImagePage(b, &fakeImages{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := showImage(b, w, results, fmt.Sprint(i), RemoteImageURL("t", fmt.Sprintf("https://img.example.com/a.png?v=%d", i))); r.Failed {
			b.Fatalf("image %d broken", i)
		}
	}
}
