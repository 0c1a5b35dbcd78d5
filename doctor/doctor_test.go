package doctor

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/appstore/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden checks each fixture app's report, as text and as JSON, against its golden
// files (go test ./doctor -update rewrites them).
func TestGolden(t *testing.T) {
	tests := []struct {
		app  string
		runs bool
		// counts of blocking, unsupported, partly items
		counts Counts
	}{
		{"clean", true, Counts{}},
		{"partly", true, Counts{Blocking: 0, Unsupported: 5, Partly: 9}},
		{"blocked", false, Counts{Blocking: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.app, func(t *testing.T) {
			dir := filepath.Join("testdata", tc.app)
			r, err := Check(os.DirFS(dir), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Runs != tc.runs || r.Counts != tc.counts {
				t.Errorf("runs = %v, counts = %+v; want %v, %+v", r.Runs, r.Counts, tc.runs, tc.counts)
			}
			var text, js bytes.Buffer
			if err := WriteText(&text, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, r); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tc.app+".txt"), text.Bytes())
			golden(t, filepath.Join("testdata", tc.app+".json"), js.Bytes())
		})
	}
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

// TestJSONSchema pins the JSON document's field names (docs/doctor.md).
func TestJSONSchema(t *testing.T) {
	r, err := Check(os.DirFS("testdata/partly"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs   *bool            `json:"runs"`
		Items  []map[string]any `json:"items"`
		Counts map[string]int   `json:"counts"`
	}
	dec := json.NewDecoder(&buf)
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Runs == nil || len(doc.Items) == 0 || len(doc.Counts) != 3 {
		t.Fatalf("document = %+v", doc)
	}
	for _, it := range doc.Items {
		for _, k := range []string{"level", "kind", "file", "line", "col", "message"} {
			if _, ok := it[k]; !ok {
				t.Errorf("item %v lacks %q", it, k)
			}
		}
	}
}

func TestCheckBadInput(t *testing.T) {
	if _, err := Check(fstest.MapFS{"x.js": {Data: []byte("1")}}, Options{}); err == nil {
		t.Error("a folder without app.json must be an error")
	}
	// app.json that is not JSON is an item, not an error: it is the app's own problem.
	r, err := Check(fstest.MapFS{"app.json": {Data: []byte("{")}}, Options{})
	if err != nil || r.Runs || r.Counts.Blocking != 1 {
		t.Errorf("broken app.json, reported once: %+v, %v", r, err)
	}
}

// TestBlockSeverities: the lint severities that block follow the config.
func TestBlockSeverities(t *testing.T) {
	fsys := fstest.MapFS{
		"app.json":       {Data: []byte(`{"pages":["pages/a/a"]}`)},
		"app.js":         {Data: []byte(`App({}); var u = "http://example.com/x";`)},
		"pages/a/a.js":   {Data: []byte(`Page({})`)},
		"pages/a/a.wxml": {Data: []byte(`<view/>`)},
	}
	for _, tc := range []struct {
		block []lint.Severity
		runs  bool
	}{{nil, true}, {[]lint.Severity{lint.SeverityError, lint.SeverityWarning}, false}} {
		r, err := Check(fsys, Options{Block: tc.block})
		if err != nil {
			t.Fatal(err)
		}
		if r.Runs != tc.runs {
			t.Errorf("block %v: runs = %v, items %+v", tc.block, r.Runs, r.Items)
		}
	}
}

func TestSupportedTagsReadFromRuntime(t *testing.T) {
	for _, tag := range []string{"view", "text", "button", "scroll-view", "switch", "image", "navigator"} {
		if !supportedTags()[tag] {
			t.Errorf("%s should be supported", tag)
		}
	}
	if supportedTags()["live-pusher"] {
		t.Error("the list should come from the runtime, which has no live-pusher")
	}
}
