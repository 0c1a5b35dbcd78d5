package host

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/files"
)

// canvasToTempFilePath asks the page for the canvas, joins its chunks and stores the
// image as a temporary file of the app.
func TestCanvasExportJoinsChunks(t *testing.T) {
	store, err := files.Open(files.Config{Dir: filepath.Join(t.TempDir(), "files")})
	if err != nil {
		t.Fatal(err)
	}
	image := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("pixels", 100))
	enc := base64.StdEncoding.EncodeToString(image)
	s, page := startHeadless(t, "testdata/canvas", func(o *Options) { o.Files = store })
	page.answerCanvas(func(r bridge.CanvasRead) {
		if r.CanvasID != "c" || r.Owner != "p1" || r.Page != "p1" || r.DestWidth != 20 || r.FileType != "png" {
			page.post(bridge.KindCanvasData, bridge.CanvasData{ID: r.ID, Error: "unexpected request"})
			return
		}
		page.post(bridge.KindCanvasData, bridge.CanvasData{ID: r.ID + 100, OK: true, Data: "AAAA"}) // nobody waits: dropped
		page.post(bridge.KindCanvasData, bridge.CanvasData{ID: r.ID, OK: true, Data: enc[:400], More: true})
		page.post(bridge.KindCanvasData, bridge.CanvasData{ID: r.ID, OK: true, Data: enc[400:]})
	})
	d := waitData(t, s, func(m map[string]any) bool { return m["path"] != "" || m["err"] != "" })
	p, _ := d["path"].(string)
	if p == "" {
		t.Fatalf("export failed: %v", d["err"])
	}
	if !strings.HasPrefix(p, "wxfile://tmp_") || !strings.HasSuffix(p, ".png") {
		t.Fatalf("tempFilePath = %q", p)
	}
	got, err := s.appFiles().ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(image) {
		t.Fatalf("stored %d bytes, want the page's %d", len(got), len(image))
	}
}

func TestCanvasExportFailureReachesTheApp(t *testing.T) {
	store, err := files.Open(files.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s, page := startHeadless(t, "testdata/canvas", func(o *Options) { o.Files = store })
	page.answerCanvas(func(r bridge.CanvasRead) {
		page.post(bridge.KindCanvasData, bridge.CanvasData{ID: r.ID, Error: "canvas \"c\" is not on the page"})
	})
	d := waitData(t, s, func(m map[string]any) bool { return m["err"] != "" })
	if d["err"] != `canvasToTempFilePath:fail canvas "c" is not on the page` {
		t.Fatalf("err = %v", d["err"])
	}
}

// answerCanvas sets how the fake page answers canvasRead, and answers what waited.
func (f *fakePage) answerCanvas(fn func(bridge.CanvasRead)) {
	f.mu.Lock()
	f.canvas = fn
	waiting := f.canvasWaiting
	f.canvasWaiting = nil
	f.mu.Unlock()
	for _, r := range waiting {
		go fn(r)
	}
}
