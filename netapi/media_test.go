package netapi

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A WAV header with a few samples: sniffs as audio/wave.
var testWAV = append([]byte("RIFF\x28\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x04\x00\x00\x00"), 0, 0, 1, 1)

// TestFetchMedia: a page's remote audio and video come from the app's declared domains
// only (whatever the image policy), over https, and must be audio or video.
func TestFetchMedia(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a.wav", func(w http.ResponseWriter, r *http.Request) { w.Write(testWAV) })
	mux.HandleFunc("/a.mp3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write([]byte{0xff, 0xfb, 0x90, 0x00, 1, 2, 3, 4}) // an MP3 frame without an ID3 tag
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4") // lies
		io.WriteString(w, "<!doctype html><p>hi")
	})
	mux.HandleFunc("/a.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		w.Write(testPNG)
	})
	srv := httptest.NewUnstartedServer(mux)
	cert, _ := testCert(t)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	port := fmt.Sprint(srv.Listener.Addr().(*net.TCPAddr).Port)
	url := func(host, path string) string { return "https://" + host + ":" + port + path }

	im := NewImages(ImageConfig{Net: Config{Resolver: testNames, AllowAddr: loopbackForTests, RootCAs: poolOf(cert)}})
	t.Cleanup(im.Close)
	app := ImageApp{ID: "dev.example.media", Domains: []string{"api.example.test:" + port}, Policy: ImagesAny}
	tests := []struct {
		name, url, typ, err string
	}{
		{"wav from a declared domain", url("api.example.test", "/a.wav"), "audio/wave", ""},
		{"mp3 by its declared type", url("api.example.test", "/a.mp3"), "audio/mpeg", ""},
		{"undeclared domain, even with images any", url("other.example.test", "/a.wav"), "", "not declared"},
		{"plain http", "http://api.example.test:" + port + "/a.wav", "", "https"},
		{"html that says video", url("api.example.test", "/page.html"), "", "not audio or video"},
		{"a picture that says audio", url("api.example.test", "/a.png"), "", "not audio or video"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := im.FetchMedia(context.Background(), app, tc.url)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.ContentType != tc.typ || len(m.Data) == 0 {
				t.Errorf("got %q (%d bytes), want %q", m.ContentType, len(m.Data), tc.typ)
			}
		})
	}
}
