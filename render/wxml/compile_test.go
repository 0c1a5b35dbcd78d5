package wxml

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the compiler's output")

// goldenCase is testdata/NAME.wxml, or testdata/NAME/index.wxml for cases with
// several files; its expected output is testdata/NAME.golden.json.
type goldenCase struct {
	name string
	fsys fs.FS
	file string
}

func goldenCases(t testing.TB) []goldenCase {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		switch name := e.Name(); {
		case e.IsDir() && name != "fuzz":
			cases = append(cases, goldenCase{name, os.DirFS(filepath.Join("testdata", name)), "index.wxml"})
		case strings.HasSuffix(name, ".wxml"):
			cases = append(cases, goldenCase{strings.TrimSuffix(name, ".wxml"), os.DirFS("testdata"), name})
		}
	}
	return cases
}

// goldenOutput is what a golden file holds: the template and the warnings.
type goldenOutput struct {
	Template *Template `json:"template"`
	Warnings []string  `json:"warnings"`
}

func encodeIndent(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	cases := goldenCases(t)
	if len(cases) < 20 {
		t.Errorf("only %d golden cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tpl, warnings, err := Compile(c.fsys, c.file)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			out := goldenOutput{Template: tpl, Warnings: []string{}}
			for _, w := range warnings {
				out.Warnings = append(out.Warnings, w.Error())
			}
			got := encodeIndent(out)
			path := filepath.Join("testdata", c.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

// TestJSONRoundTrip decodes every golden template and encodes it again: the JSON form
// can be stored and read back without loss.
func TestJSONRoundTrip(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			tpl, _, err := Compile(c.fsys, c.file)
			if err != nil {
				t.Fatal(err)
			}
			first, err := json.Marshal(tpl)
			if err != nil {
				t.Fatal(err)
			}
			var back Template
			if err := json.Unmarshal(first, &back); err != nil {
				t.Fatal(err)
			}
			second, err := json.Marshal(&back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Errorf("round trip changed the JSON:\n%s\n%s", first, second)
			}
		})
	}
}

// TestTemplateShape checks properties of the compiled todo page that the render
// runtime and the bridge rely on, independent of the golden bytes.
func TestTemplateShape(t *testing.T) {
	tpl, warnings, err := Compile(os.DirFS("testdata/bench"), "index.wxml")
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	wantHandlers := []string{"onAdd", "onClearDone", "onEdit", "onEditDone", "onFilter", "onInput", "onRemove", "onToggle", "openStats"}
	if strings.Join(tpl.Handlers, ",") != strings.Join(wantHandlers, ",") {
		t.Errorf("handlers = %v, want %v", tpl.Handlers, wantHandlers)
	}
	if got := tpl.Scopes["index.wxml"]["empty"]; got != "templates/empty.wxml#empty" {
		t.Errorf("scope of empty = %q", got)
	}
	if _, ok := tpl.Defs["templates/empty.wxml#empty"]; !ok {
		t.Errorf("defs lack the imported template: %v", tpl.Defs)
	}
	raw, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "root", "defs", "scopes", "handlers"} {
		if _, ok := generic[k]; !ok {
			t.Errorf("template JSON lacks %q", k)
		}
	}
}

func TestEmptyTemplateJSON(t *testing.T) {
	tpl, _, err := Compile(fstest.MapFS{"a.wxml": {Data: []byte("<!-- nothing -->\n")}}, "a.wxml")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(tpl)
	want := `{"file":"a.wxml","root":[],"defs":{},"scopes":{"a.wxml":{}},"handlers":[]}`
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestIncludedNodesNameTheirFile(t *testing.T) {
	fsys := fstest.MapFS{
		"p/index.wxml":  {Data: []byte("<view>a</view>\n<include src=\"/c/part\"/>")},
		"c/part.wxml":   {Data: []byte("\n  <text bindtap=\"onPart\">b</text>")},
		"c/unused.wxml": {Data: []byte("<view bindtap=\"never\"/>")},
	}
	tpl, _, err := Compile(fsys, "p/index.wxml")
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Root) != 2 {
		t.Fatalf("root has %d nodes", len(tpl.Root))
	}
	if n := tpl.Root[0]; n.F != "" || n.Ln != 1 || n.Col != 1 {
		t.Errorf("own node: f=%q %d:%d", n.F, n.Ln, n.Col)
	}
	if n := tpl.Root[1]; n.F != "c/part.wxml" || n.Ln != 2 || n.Col != 3 || n.Tag != "text" {
		t.Errorf("included node: f=%q %d:%d tag %q", n.F, n.Ln, n.Col, n.Tag)
	}
	if strings.Join(tpl.Handlers, ",") != "onPart" {
		t.Errorf("handlers = %v", tpl.Handlers)
	}
}

func TestRootFileErrors(t *testing.T) {
	fsys := fstest.MapFS{"a.wxml": {Data: []byte("<view/>")}}
	if _, _, err := Compile(fsys, "missing.wxml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	for _, bad := range []string{"../a.wxml", "/a.wxml", `a\b.wxml`, ""} {
		if _, _, err := Compile(fsys, bad); err == nil {
			t.Errorf("Compile(%q) succeeded", bad)
		}
	}
	big := fstest.MapFS{"big.wxml": {Data: bytes.Repeat([]byte("a"), maxFileSize+1)}}
	if _, _, err := Compile(big, "big.wxml"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: %v", err)
	}
}

func TestResolveSrc(t *testing.T) {
	tests := []struct {
		from, src, want, err string
	}{
		{"pages/index/index.wxml", "item", "pages/index/item.wxml", ""},
		{"pages/index/index.wxml", "./item.wxml", "pages/index/item.wxml", ""},
		{"pages/index/index.wxml", "../common/item.wxml", "pages/common/item.wxml", ""},
		{"pages/index/index.wxml", "../../common/item", "common/item.wxml", ""},
		{"pages/index/index.wxml", "/common/item.wxml", "common/item.wxml", ""},
		{"pages/index/index.wxml", "//common//item", "common/item.wxml", ""},
		{"index.wxml", "a.b", "a.b.wxml", ""},
		{"pages/index/index.wxml", "../../../etc/passwd", "", "leaves the mini-app bundle"},
		{"index.wxml", "/../x", "", "leaves the mini-app bundle"},
		{"index.wxml", "/", "", "leaves the mini-app bundle"},
		{"index.wxml", " ", "", "empty path"},
		{"index.wxml", `a\b`, "", "must use / as separator"},
	}
	for _, tt := range tests {
		got, err := resolveSrc(tt.from, tt.src)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("resolveSrc(%q, %q) error = %v, want %q", tt.from, tt.src, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("resolveSrc(%q, %q) = %q, %v; want %q", tt.from, tt.src, got, err, tt.want)
		}
	}
}

func TestDatasetKey(t *testing.T) {
	tests := map[string]string{
		"id": "id", "user-id": "userId", "userName": "username", "a-1": "a-1",
		"x-y-z": "xYZ", "trailing-": "trailing-", "ALL-CAPS": "allCaps",
	}
	for in, want := range tests {
		if got := datasetKey(in); got != want {
			t.Errorf("datasetKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEventAttr(t *testing.T) {
	tests := []struct {
		name string
		want Event
		ok   bool
	}{
		{"bindtap", Event{Type: "tap"}, true},
		{"bind:tap", Event{Type: "tap"}, true},
		{"catchtap", Event{Type: "tap", Catch: true}, true},
		{"catch:tap", Event{Type: "tap", Catch: true}, true},
		{"capture-bind:tap", Event{Type: "tap", Capture: true}, true},
		{"capture-catch:tap", Event{Type: "tap", Catch: true, Capture: true}, true},
		{"mut-bind:tap", Event{Type: "tap", Mut: true}, true},
		{"bind:my-event", Event{Type: "my-event"}, true},
		{"bindtoggle", Event{Type: "toggle"}, true},
		{"bind", Event{}, false},
		{"bind:", Event{}, false},
		{"class", Event{}, false},
		{"data-bind", Event{}, false},
	}
	for _, tt := range tests {
		got, ok := eventAttr(tt.name)
		if ok != tt.ok || got != tt.want {
			t.Errorf("eventAttr(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
