package assets

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestRuntimeOrderListsEveryFileOnce(t *testing.T) {
	names, err := fs.Glob(Files(), "*.js")
	if err != nil {
		t.Fatal(err)
	}
	listed := slices.Clone(runtimeOrder)
	slices.Sort(listed)
	if dup := slices.Compact(slices.Clone(listed)); len(dup) != len(listed) {
		t.Errorf("runtimeOrder lists a file twice: %v", runtimeOrder)
	}
	slices.Sort(names)
	if !slices.Equal(names, listed) {
		t.Errorf("runtime files %v\nbut runtimeOrder %v", names, listed)
	}
	for _, name := range pureFiles {
		if !slices.Contains(runtimeOrder[:len(pureFiles)], name) {
			t.Errorf("pure file %s must come before the DOM files", name)
		}
	}
}

func TestRuntimeScriptIsOneStrictIIFEInOrder(t *testing.T) {
	src := RuntimeScript()
	if !strings.HasPrefix(src, "(function () {\n\"use strict\";") || !strings.HasSuffix(src, "})();\n") {
		t.Fatalf("runtime is not wrapped in one strict IIFE: %q … %q", src[:40], src[len(src)-20:])
	}
	last := -1
	for _, name := range runtimeOrder {
		at := strings.Index(src, "// ---- "+name+" ----")
		if at < 0 || at < last {
			t.Errorf("%s missing or out of order", name)
		}
		last = at
	}
	if !strings.Contains(src, "var CHROME_CSS = \"/* chrome.css") {
		t.Error("chrome CSS constant missing")
	}
	if _, err := goja.Compile("runtime.js", src, true); err != nil {
		t.Fatalf("runtime does not parse: %v", err)
	}
}

// TestRuntimeLoadsAndWaitsForTheDocument runs the whole script against a stub
// window still loading: every file's top level must run, only __sf_recv is exposed,
// and nothing is posted before the document exists.
func TestRuntimeLoadsAndWaitsForTheDocument(t *testing.T) {
	vm := goja.New()
	_, err := vm.RunString(`
		var posted = [], listeners = {};
		var window = { __sf_post: function (s) { posted.push(s); }, addEventListener: function () {} };
		var document = { readyState: "loading", addEventListener: function (type, fn) { listeners[type] = fn; } };
		var console = { error: function () {}, log: function () {} };
	`)
	if err != nil {
		t.Fatal(err)
	}
	before := globalNames(t, vm)
	if _, err := vm.RunScript("runtime.js", RuntimeScript()); err != nil {
		t.Fatalf("runtime top level failed: %v", err)
	}
	if added := slices.DeleteFunc(globalNames(t, vm), func(n string) bool { return slices.Contains(before, n) }); len(added) != 0 {
		t.Errorf("runtime leaked globals: %v", added)
	}
	for _, check := range []string{
		`typeof window.__sf_recv === "function"`,
		`typeof listeners.DOMContentLoaded === "function"`,
		`posted.length === 0`,
		`(window.__sf_recv({v: 1, kind: "init", payload: {}}), posted.length === 0)`, // waits for the document
	} {
		v, err := vm.RunString(check)
		if err != nil || !v.ToBoolean() {
			t.Errorf("%s: %v %v", check, v, err)
		}
	}
}

func globalNames(t *testing.T, vm *goja.Runtime) []string {
	t.Helper()
	v, err := vm.RunString(`Object.getOwnPropertyNames(globalThis)`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := vm.ExportTo(v, &names); err != nil {
		t.Fatal(err)
	}
	return names
}

// forbiddenSinks are the ways a string could become markup or code in the page.
var forbiddenSinks = []struct {
	name string
	re   *regexp.Regexp
}{
	{"innerHTML", regexp.MustCompile(`innerHTML`)},
	{"outerHTML", regexp.MustCompile(`outerHTML`)},
	{"insertAdjacentHTML", regexp.MustCompile(`insertAdjacentHTML`)},
	{"document.write", regexp.MustCompile(`document\.write`)},
	{"eval", regexp.MustCompile(`\beval\s*\(`)},
	{"Function constructor", regexp.MustCompile(`\bFunction\s*\(`)},
	{"timer with a string", regexp.MustCompile(`set(Timeout|Interval)\s*\(\s*["'` + "`" + `]`)},
	{"inline handler attribute", regexp.MustCompile(`setAttribute\(\s*["']on`)},
	{"srcdoc", regexp.MustCompile(`srcdoc`)},
	{"javascript: URL", regexp.MustCompile(`javascript:`)},
	{"createContextualFragment", regexp.MustCompile(`createContextualFragment`)},
	{"DOMParser", regexp.MustCompile(`DOMParser`)},
	{"network", regexp.MustCompile(`\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts)\b`)},
}

func TestRuntimeHasNoForbiddenSinks(t *testing.T) {
	err := fs.WalkDir(Files(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (path.Ext(name) != ".js" && path.Ext(name) != ".css") {
			return err
		}
		data, err := fs.ReadFile(Files(), name)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, sink := range forbiddenSinks {
				if sink.re.MatchString(line) {
					t.Errorf("%s:%d uses %s: %s", name, i+1, sink.name, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRuntimeLoadsNothingRemote(t *testing.T) {
	url := regexp.MustCompile(`https?://[^\s"')]+`)
	for _, name := range append(slices.Clone(runtimeOrder), "base.css", "chrome.css") {
		data, err := fs.ReadFile(Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range url.FindAllString(string(data), -1) {
			if u != "http://www.w3.org/2000/svg" { // the SVG namespace name, never fetched
				t.Errorf("%s mentions %s", name, u)
			}
		}
		if strings.Contains(string(data), "@import") {
			t.Errorf("%s uses @import", name)
		}
	}
}

func TestPageHTML(t *testing.T) {
	html := PageHTML()
	base, err := fs.ReadFile(Files(), "base.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want string
	}{
		{"doctype", "<!doctype html>"},
		{"charset", `<meta charset="utf-8">`},
		{"CSP", `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: sfimg:; media-src data:; font-src data:">`},
		{"base CSS in a style element", "<style id=\"sf-base\">\n" + string(base) + "</style>"},
		{"empty body", "<body></body>"},
	}
	for _, tc := range tests {
		if !strings.Contains(html, tc.want) {
			t.Errorf("%s: PageHTML lacks %q", tc.name, tc.want)
		}
	}
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Error("PageHTML must carry no script: the runtime is injected as a user script")
	}
	if strings.Index(html, "Content-Security-Policy") > strings.Index(html, "<style") {
		t.Error("the CSP must come before anything it governs")
	}
	for _, name := range []string{"base.css", "chrome.css"} {
		data, _ := fs.ReadFile(Files(), name)
		if strings.Contains(strings.ToLower(string(data)), "</style") {
			t.Errorf("%s would close its <style> element", name)
		}
	}
}
