package canvas

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/identity"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n....")

type fakeHost struct {
	store TempStore
	got   bridge.CanvasRead
	data  []byte
	err   error
}

func (h *fakeHost) CanvasExport(_ context.Context, req bridge.CanvasRead) ([]byte, error) {
	h.got = req
	return h.data, h.err
}

func (h *fakeHost) CanvasTempFiles() (TempStore, identity.App) {
	return h.store, identity.Unverified("chart")
}

func call(t *testing.T, h *fakeHost, args string) (map[string]any, error) {
	t.Helper()
	d, ok := hostapi.Lookup("canvasToTempFilePath")
	if !ok || !d.Implemented() {
		t.Fatal("canvasToTempFilePath is not declared")
	}
	if err := d.Check(json.RawMessage(args)); err != nil {
		return nil, err
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Args: json.RawMessage(args), Host: h})
	return res, err
}

func TestToTempFilePath(t *testing.T) {
	files, err := OpenTempFiles(filepath.Join(t.TempDir(), "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	h := &fakeHost{store: files, data: pngBytes}
	res, err := call(t, h, `{"canvasId":"bars","owner":"p1","page":"p1","x":1,"destWidth":600,"quality":7}`)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := res["tempFilePath"].(string)
	if !strings.HasPrefix(p, TempPrefix) || !strings.HasSuffix(p, ".png") {
		t.Fatalf("tempFilePath = %q", p)
	}
	want := bridge.CanvasRead{Page: "p1", Owner: "p1", CanvasID: "bars", X: 1, DestWidth: 600, FileType: "png", Quality: 1}
	if h.got != want {
		t.Fatalf("request = %+v, want %+v", h.got, want)
	}
	f, err := files.Resolve(identity.Unverified("chart"), p)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f); string(b) != string(pngBytes) {
		t.Fatal("the stored file is not the page's image")
	}
	// Another app (or a signed app of the same id) cannot reach it.
	if _, err := files.Resolve(identity.Signed("chart", "0123456789abcdef"), p); err == nil {
		t.Fatal("another identity resolved the app's temporary file")
	}
	for _, bad := range []string{"wxfile://tmp/../x.png", "wxfile://tmp/canvas-zz.png", "/etc/passwd", p + "x"} {
		if _, err := files.Resolve(identity.Unverified("chart"), bad); err == nil {
			t.Errorf("Resolve(%q) succeeded", bad)
		}
	}
	// The wipe takes it.
	if err := files.AppData().Wipe(context.Background(), identity.Unverified("chart"), appdata.Session); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Resolve(identity.Unverified("chart"), p); err == nil {
		t.Fatal("the wipe left the temporary file")
	}
}

func TestToTempFilePathRefuses(t *testing.T) {
	files, err := OpenTempFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args, data, err string
		pageErr         error
	}{
		{`{"owner":"p1","page":"p1"}`, "", "canvasId or canvas is required", nil},
		{`{"canvasId":"c"}`, "", "no page is open", nil},
		{`{"canvasId":"c","owner":"p1","page":"p1","fileType":"gif"}`, "", `fileType "gif" is not png or jpg`, nil},
		{`{"canvasId":"c","owner":"p1","page":"p1","width":-1}`, "", "must not be negative", nil},
		{`{"canvasId":"c","owner":"p1","page":"p1","destWidth":9000}`, "", "at most 8192", nil},
		{`{"canvasId":7}`, "", "parameter.canvasId should be String instead of Number", nil},
		{`{"canvasId":"c","owner":"p1","page":"p1"}`, "<html>", "not answer with a PNG or JPEG", nil},
		{`{"canvasId":"c","owner":"p1","page":"p1","fileType":"jpg"}`, string(pngBytes), "made a png image, not jpg", nil},
		{`{"canvasId":"c","owner":"p1","page":"p1"}`, "", "canvas \"c\" is not on the page", errors.New(`canvas "c" is not on the page`)},
	} {
		_, err := call(t, &fakeHost{store: files, data: []byte(c.data), err: c.pageErr}, c.args)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err = %v, want %q", c.args, err, c.err)
		}
	}
	if _, err := call(t, &fakeHost{data: pngBytes}, `{"canvasId":"c","owner":"p1","page":"p1"}`); err == nil {
		t.Error("a shell without a temporary file store made a file")
	}
}

func TestTempFilesKeepTheNewest(t *testing.T) {
	files, err := OpenTempFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	app := identity.Unverified("many")
	var paths []string
	for i := 0; i < MaxTempFiles+3; i++ {
		p, err := files.SaveTemp(app, "png", pngBytes)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	kept := 0
	for _, p := range paths {
		if _, err := files.Resolve(app, p); err == nil {
			kept++
		}
	}
	if kept != MaxTempFiles {
		t.Fatalf("%d files kept, want %d", kept, MaxTempFiles)
	}
	if _, err := files.Resolve(app, paths[len(paths)-1]); err != nil {
		t.Fatal("the newest file was removed")
	}
	if _, err := files.SaveTemp(app, "exe", pngBytes); err == nil {
		t.Fatal("saved an exe")
	}
}

func TestGetImageData(t *testing.T) {
	d, _ := hostapi.Lookup("canvasGetImageData")
	h := &fakeHost{data: []byte{1, 2, 3, 4, 5, 6, 7, 8}}
	args := json.RawMessage(`{"canvasId":"c","x":1,"y":2,"width":2,"height":1,"owner":"c3","page":"p1"}`)
	if err := d.Check(args); err != nil {
		t.Fatal(err)
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Args: args, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	if res["data"] != "AQIDBAUGBwg=" || res["width"] != 2 || res["height"] != 1 {
		t.Fatalf("result = %v", res)
	}
	if h.got.FileType != "rgba" || h.got.DestWidth != 2 || h.got.DestHeight != 1 || h.got.Owner != "c3" {
		t.Fatalf("request = %+v", h.got)
	}
	h.data = h.data[:4]
	if _, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Args: args, Host: h}); err == nil {
		t.Fatal("a short answer was taken")
	}
	if err := d.Check(json.RawMessage(`{"canvasId":"c"}`)); err == nil {
		t.Fatal("x, y, width, height are required")
	}
}
