package files

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

type fakeHost struct {
	paths    []string
	multiple bool
	title    string
	patterns []string
	af       *AppFiles
	saveTo   string
}

func (f *fakeHost) FilePicker() (Picker, error) { return f, nil }
func (f *fakeHost) AppTitle() string            { return "Notes" }
func (f *fakeHost) AppFiles() (*AppFiles, error) {
	return f.af, nil
}
func (f *fakeHost) PickFiles(_ context.Context, title string, multiple bool) ([]string, error) {
	f.title, f.multiple = title, multiple
	return f.paths, nil
}
func (f *fakeHost) PickFilesOf(ctx context.Context, title string, multiple bool, _ string, patterns []string) ([]string, error) {
	f.patterns = patterns
	return f.PickFiles(ctx, title, multiple)
}
func (f *fakeHost) FileSaver() (Saver, error) { return f, nil }
func (f *fakeHost) SaveFileAs(_ context.Context, title, name string) (string, error) {
	f.title = title + " " + name
	return f.saveTo, nil
}

// call runs one API through the registry: the schema check, then the handler.
func call(t *testing.T, h any, name, args string) (map[string]any, error) {
	t.Helper()
	d, ok := hostapi.Lookup(name)
	if !ok || !d.Implemented() {
		t.Fatalf("%s is not an implemented declaration", name)
	}
	if err := d.Check(json.RawMessage(args)); err != nil {
		return nil, err
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: "dev.example.notes@unverified"},
		Args: json.RawMessage(args), Host: h})
	return res, err
}

func TestPickHandsOverBytesNotPaths(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.png"), filepath.Join(dir, "b.txt")
	os.WriteFile(a, []byte("png"), 0o600)
	os.WriteFile(b, []byte("text"), 0o600)
	h := &fakeHost{paths: []string{a, b}}
	res, err := call(t, h, "pickFile", `{"count":1}`)
	if err != nil {
		t.Fatal(err)
	}
	files := res["tempFiles"].([]map[string]any)
	if len(files) != 1 || files[0]["type"] != "image" || files[0]["data"] != base64.StdEncoding.EncodeToString([]byte("png")) ||
		files[0]["path"] != "sffile://picked/0/a.png" || h.multiple || h.title != "Choose a file for Notes" {
		t.Errorf("picked %v (multiple %v, title %q)", files, h.multiple, h.title)
	}
	if _, err := call(t, h, "pickFile", `{"count":101}`); err == nil || err.Error() != "count 101 is outside 1..100" {
		t.Errorf("count bound: %v", err)
	}
	if _, err := call(t, &fakeHost{}, "pickFile", `{}`); err == nil || err.Error() != "cancel" {
		t.Errorf("nothing picked: %v", err)
	}
	if _, err := call(t, &fakeHost{paths: []string{dir}}, "pickFile", `{}`); err == nil {
		t.Error("a directory was handed over")
	}
}
