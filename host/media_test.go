package host

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/miniapp"
)

// A page may play its bundle's audio and video files only: a media extension, inside
// the bundle, within the size limit.
func TestBundleMedia(t *testing.T) {
	s := &Session{app: &App{Project: &miniapp.Project{FS: fstest.MapFS{
		"media/a.mp3":     {Data: []byte("ID3 tone")},
		"media/big.mp4":   {Data: make([]byte, maxBundleMedia+1)},
		"pages/a/a.js":    {Data: []byte("Page({})")},
		"media/clip.WEBM": {Data: []byte("webm")},
	}}}}
	tests := []struct{ ref, typ, err string }{
		{"media/a.mp3", "audio/mpeg", ""},
		{"/media/a.mp3", "audio/mpeg", ""},
		{"media/clip.WEBM", "video/webm", ""},
		{"pages/a/a.js", "", "not an audio or video file"},
		{"../outside.mp3", "", "not a bundle path"},
		{"media/missing.mp3", "", "not in the bundle"},
		{"media/big.mp4", "", "larger than"},
	}
	for _, tc := range tests {
		data, typ, err := s.bundleMedia(tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || typ != tc.typ || len(data) == 0 {
			t.Errorf("%s: %q, %d bytes, %v; want %s", tc.ref, typ, len(data), err, tc.typ)
		}
	}
}
