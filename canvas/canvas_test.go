package canvas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
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

func (h *fakeHost) CanvasTempFiles() TempStore {
	if h.store == nil {
		return nil // a shell without a file store
	}
	return h.store
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
	store := &memTemp{}
	h := &fakeHost{store: store, data: pngBytes}
	res, err := call(t, h, `{"canvasId":"bars","owner":"p1","page":"p1","x":1,"destWidth":600,"quality":7}`)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := res["tempFilePath"].(string)
	if p != "wxfile://tmp_1.png" {
		t.Fatalf("tempFilePath = %q", p)
	}
	want := bridge.CanvasRead{Page: "p1", Owner: "p1", CanvasID: "bars", X: 1, DestWidth: 600, FileType: "png", Quality: 1}
	if h.got != want {
		t.Fatalf("request = %+v, want %+v", h.got, want)
	}
	if len(store.saved) != 1 || string(store.saved[0]) != string(pngBytes) {
		t.Fatal("the stored file is not the page's image")
	}
}

// memTemp is a TempStore in memory.
type memTemp struct{ saved [][]byte }

func (m *memTemp) SaveTemp(ext string, data []byte) (string, error) {
	m.saved = append(m.saved, data)
	return fmt.Sprintf("wxfile://tmp_%d.%s", len(m.saved), ext), nil
}

func TestToTempFilePathRefuses(t *testing.T) {
	files := &memTemp{}
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
