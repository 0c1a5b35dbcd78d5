package wxss

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"

	"github.com/sandframe/sandframe/internal/cssesc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var testImages = map[string]string{
	"images/logo.png": "data:image/png;base64,iVBORw0KGgo=",
	"fonts/icon.woff": "data:font/woff;base64,d09GRg==",
}

func testImage(p string) (string, bool) {
	d, ok := testImages[p]
	return d, ok
}

var testFonts = map[string]string{
	"fonts/kit.ttf": "data:font/ttf;base64,AAEAAA==",
}

func testFont(p string) (string, bool) {
	d, ok := testFonts[p]
	return d, ok
}

// testRemote stands for the host's rewrite to the image scheme.
func testRemote(u string) string { return "sfimg://image/?app=test&u=" + url.QueryEscape(u) }

// optionsFor picks the scope from the test file's name prefix.
func optionsFor(name string) Options {
	opts := Options{Image: testImage, RemoteImage: testRemote}
	if strings.HasSuffix(name, "_kit.wxss") {
		opts.Font = testFont
	}
	switch {
	case strings.HasPrefix(name, "page_"):
		opts.Scope = `page[data-route="pages/index/index"]`
	case strings.HasPrefix(name, "comp_"):
		opts.Scope, opts.Host = `[data-sf-comp="components/item/item"]`, true
	}
	return opts
}

// TestGolden compiles testdata/NAME.wxss and compares with NAME.golden.css, which
// ends with the warnings as a comment.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.wxss")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	fsys := os.DirFS("testdata")
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".wxss"), func(t *testing.T) {
			out, warnings, err := Compile(fsys, name, optionsFor(name))
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) > 0 {
				out += "/* warnings:\n"
				for _, w := range warnings {
					out += w.String() + "\n"
				}
				out += "*/\n"
			}
			golden := strings.TrimSuffix(file, ".wxss") + ".golden.css"
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, out, want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing colon", map[string]string{"a.wxss": ".a {\n  color red;\n}"}, "a.wxss:2:9: expected colon in declaration"},
		{"missing closing brace", map[string]string{"a.wxss": ".a { color: red;\n.b { color: blue; }"}, "a.wxss:2:1: nested rules are not supported in WXSS"},
		{"never closed", map[string]string{"a.wxss": "\n\n  .a { color: red;"}, "a.wxss:3:3: block is never closed"},
		{"never closed media", map[string]string{"a.wxss": "@media screen {\n.a{color:red}"}, "a.wxss:1:1: block is never closed"},
		{"stray brace", map[string]string{"a.wxss": ".a{}\n}"}, "a.wxss:2:2: unexpected ending in qualified rule"},
		{"nested rule", map[string]string{"a.wxss": ".a {\n  color: red;\n  .b { color: blue; }\n}"}, "a.wxss:3:3: nested rules are not supported in WXSS"},
		{"semicolon in selector", map[string]string{"a.wxss": "color: red; .a { color: blue }"}, `a.wxss:1:1: unexpected ";" in selector`},
		{"empty selector", map[string]string{"a.wxss": ".a,,.b{color:red}"}, "a.wxss:1:1: empty selector in list"},
		{"declaration outside a rule", map[string]string{"a.wxss": "\n--x: 1;"}, "a.wxss:2:1: declaration --x outside a rule"},
		{"bad keyframe selector", map[string]string{"a.wxss": "@keyframes k {\n  .a { left: 0 }\n}"}, `a.wxss:2:3: "." is not a keyframe selector`},
		{"unterminated string", map[string]string{"a.wxss": ".a {\n  content: \"abc\n}"}, "a.wxss:2:3: unterminated string"},
		{"malformed url", map[string]string{"a.wxss": ".a { background: url(a b.png) }"}, "a.wxss:1:6: malformed url()"},
		{"invalid UTF-8", map[string]string{"a.wxss": ".a{content:\"\xff\"}"}, "a.wxss:1:1: not valid UTF-8, nor GBK/GB18030"},
		{"import cycle", map[string]string{"a.wxss": "@import \"b.wxss\";", "b.wxss": ".b{}\n@import \"a.wxss\";"}, "b.wxss:2:1: import cycle: a.wxss → b.wxss → a.wxss"},
		{"self import", map[string]string{"a.wxss": "\n@import url(a.wxss);"}, "a.wxss:2:1: import cycle: a.wxss → a.wxss"},
		{"import escaping the bundle", map[string]string{"pages/a.wxss": "@import \"../../etc/passwd\";"}, "pages/a.wxss:1:1: @import ../../etc/passwd: path escapes the bundle"},
		{"absolute import escaping", map[string]string{"a.wxss": "@import \"/../x.wxss\";"}, "a.wxss:1:1: @import /../x.wxss: path escapes the bundle"},
		{"import not found", map[string]string{"pages/a.wxss": ".a{}\n  @import \"common.wxss\";"}, "pages/a.wxss:2:3: @import pages/common.wxss: not found in the bundle"},
		{"error inside an import", map[string]string{"a.wxss": "@import \"c/b.wxss\";", "c/b.wxss": "\n.b { color }"}, "c/b.wxss:2:13: expected colon in declaration"},
		{"import without a file", map[string]string{"a.wxss": "@import;"}, "a.wxss:1:1: @import needs a file"},
		{"at-rule inside a rule", map[string]string{"a.wxss": ".a { @media screen { .b{} } }"}, "a.wxss:1:6: @media is not allowed here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			entry := "a.wxss"
			if _, ok := tt.files[entry]; !ok {
				entry = "pages/a.wxss"
			}
			out, _, err := Compile(fsys, entry, Options{Scope: "page"})
			if err == nil {
				t.Fatalf("compiled without error:\n%s", out)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
			var d *Diagnostic
			if !errors.As(err, &d) || d.Line == 0 || d.Col == 0 {
				t.Errorf("error %#v has no position", err)
			}
		})
	}
}

func TestCompileMissingFile(t *testing.T) {
	_, _, err := Compile(fstest.MapFS{}, "pages/x/x.wxss", Options{})
	if err == nil || !strings.Contains(err.Error(), "pages/x/x.wxss") {
		t.Errorf("err = %v", err)
	}
}

func TestRpx(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10rpx", "calc(10 * var(--sf-rpx))"},
		{"-0.5rpx", "calc(-0.5 * var(--sf-rpx))"},
		{".5RPX", "calc(.5 * var(--sf-rpx))"},
		{"+3rpx", "calc(+3 * var(--sf-rpx))"},
		{"1e2rpx", "calc(1e2 * var(--sf-rpx))"},
		{"10px", "10px"},
		{"10em", "10em"},
	}
	for _, tt := range tests {
		if got := rpx([]byte(tt.in)); got != tt.want {
			t.Errorf("rpx(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestScopeSelectors(t *testing.T) {
	page := Options{Scope: `page[data-route="p"]`}
	comp := Options{Scope: `[data-sf-comp="c"]`, Host: true}
	pageIso := Options{Scope: page.Scope, ClassScope: "p"}
	compIso := Options{Scope: comp.Scope, Host: true, ClassScope: "c1"}
	// A styleIsolation "shared" component: rules leave its subtree, classes take the page's scope.
	compShared := Options{Scope: comp.Scope, Host: true, Shared: true, ClassScope: "p"}
	tests := []struct {
		in   string
		opts Options
		want string
	}{
		{".a .b", page, `page[data-route="p"] .a .b`},
		{"page", page, `page[data-route="p"]`},
		{"page .x", page, `page[data-route="p"] .x`},
		{"page>.x", page, `page[data-route="p"] > .x`},
		{"PAGE.dark", page, `page[data-route="p"].dark`},
		{"page-header", page, `page[data-route="p"] page-header`},
		{".a,.b", page, `page[data-route="p"] .a,page[data-route="p"] .b`},
		{":host", comp, `[data-sf-comp="c"]`},
		{":host(.on) .x", comp, `[data-sf-comp="c"].on .x`},
		{":host>.x", comp, `[data-sf-comp="c"] > .x`},
		{".x :host", comp, `[data-sf-comp="c"] .x :host`},
		{"page", comp, `[data-sf-comp="c"] page`},
		{".a>.b", Options{}, `.a > .b`},
		{":not(.a,.b)", page, `page[data-route="p"] :not(.a,.b)`},
		{"li:nth-child(2n+1)", page, `page[data-route="p"] li:nth-child(2n+1)`},
		{"[lang=en i]", page, `page[data-route="p"] [lang=en i]`},
		{`[ data-x = "y" s ]`, page, `page[data-route="p"] [data-x="y"s]`},
		{":nth-child(2n of .a)", page, `page[data-route="p"] :nth-child(2n of .a)`},
		{"page:not(.dark)::after", page, `page[data-route="p"]:not(.dark)::after`},
		{`:host([data-size="large"])::before`, comp, `[data-sf-comp="c"][data-size="large"]::before`},
		// Class isolation (styleIsolation): only class selectors, outside functions
		// and :host(...), get the style scope.
		{".a .b::after", pageIso, `page[data-route="p"] .a:where([sf-s~="p"]) .b:where([sf-s~="p"])::after`},
		{"PAGE.dark view.x", pageIso, `page[data-route="p"].dark:where([sf-s~="p"]) view.x:where([sf-s~="p"])`},
		{"#id>view[data-a='.b']", pageIso, `page[data-route="p"] #id > view[data-a='.b']`},
		{".a:not(.b)", pageIso, `page[data-route="p"] .a:where([sf-s~="p"]):not(.b)`},
		{":host(.on) .x.y", compIso, `[data-sf-comp="c"].on .x:where([sf-s~="c1"]).y:where([sf-s~="c1"])`},
		{".a,.b", Options{ClassScope: "p"}, `.a:where([sf-s~="p"]),.b:where([sf-s~="p"])`},
		{".a .b", compShared, `.a:where([sf-s~="p"]) .b:where([sf-s~="p"])`},
		{"view,.a", compShared, `view,.a:where([sf-s~="p"])`},
		{":host(.on) .x", compShared, `[data-sf-comp="c"].on .x:where([sf-s~="p"])`},
		{":host", compShared, `[data-sf-comp="c"]`},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"a.wxss": {Data: []byte(tt.in + "{color:red}")}}
		got, _, err := Compile(fsys, "a.wxss", tt.opts)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if want := tt.want + "{color:red}\n"; got != want {
			t.Errorf("%s → %q, want %q", tt.in, got, want)
		}
	}
}

func TestImportDiamondIsBounded(t *testing.T) {
	// Each file imports the next twice: 2^40 copies if nothing stopped it.
	fsys := fstest.MapFS{}
	for i := range 40 {
		next := fmt.Sprintf("f%d.wxss", i+1)
		fsys[fmt.Sprintf("f%d.wxss", i)] = &fstest.MapFile{Data: []byte("@import \"" + next + "\";@import \"" + next + "\";.x{color:red}")}
	}
	fsys["f40.wxss"] = &fstest.MapFile{Data: []byte(".y{color:blue}")}
	_, _, err := Compile(fsys, "f0.wxss", Options{})
	if err == nil || !strings.Contains(err.Error(), "more than 256 @imports") {
		t.Errorf("err = %v", err)
	}
}

func FuzzCompile(f *testing.F) {
	for _, file := range []string{"page_basic.wxss", "comp_host.wxss", "app_global.wxss", "common/base.wxss", "app_kit.wxss", "page_kit.wxss", "comp_kit.wxss"} {
		src, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), true)
	}
	f.Add(".a{color:red", false)
	f.Add("@media{@media{.a{b:c}}}", true)
	f.Add(":host(.a{", true)
	f.Add(`.a{background:url( "x" )}`, false)
	f.Add(`@import url("b.wxss") screen;`, false)
	f.Fuzz(func(t *testing.T, src string, host bool) {
		fsys := fstest.MapFS{
			"a.wxss":          {Data: []byte(src)},
			"b.wxss":          {Data: []byte(".b{width:10rpx}")},
			"images/logo.png": {Data: []byte("png")},
		}
		opts := Options{Scope: `page[data-route="a"]`, Image: testImage, RemoteImage: testRemote, Font: testFont}
		if host {
			opts = Options{Scope: `[data-sf-comp="a"]`, Host: true, Image: testImage, RemoteImage: testRemote, Font: testFont}
		}
		out, warnings, err := Compile(fsys, "a.wxss", opts)
		if err != nil {
			var d *Diagnostic
			if !errors.As(err, &d) || d.Line < 1 || d.Col < 1 {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		for _, w := range warnings {
			if w.Line < 1 || w.Col < 1 || w.File == "" {
				t.Fatalf("warning without position: %+v", w)
			}
		}
		// Nothing remote survives compilation: every url in the output is data:, #id, an
		// inlined bundle file, or an https image through the image scheme.
		l := css.NewLexer(parse.NewInputString(out))
		for prevFunc := false; ; {
			tt, data := l.Next()
			if tt == css.ErrorToken {
				break
			}
			ref, isURL := "", false
			switch {
			case tt == css.URLToken:
				ref, isURL = urlTokenValue(data), true
			case tt == css.StringToken && prevFunc:
				ref, isURL = cssesc.Unquote(string(data)), true
			}
			if isURL && strings.HasPrefix(ref, "sfimg://image/?app=test&u=") {
				if u, err := url.Parse(ref); err != nil || !strings.HasPrefix(strings.ToLower(u.Query().Get("u")), "https://") {
					t.Fatalf("image scheme url %q in output:\n%s", ref, out)
				}
				isURL = false
			}
			if k := classifyURL(ref); isURL && k != urlData && k != urlFragment {
				t.Fatalf("url %q in output:\n%s", ref, out)
			}
			if tt != css.WhitespaceToken {
				prevFunc = tt == css.FunctionToken && strings.EqualFold(string(data), "url(")
			}
		}
	})
}

func TestRpxInMediaQueries(t *testing.T) {
	tests := []struct{ in, want string }{
		{"704rpx", "352px"},
		{"1116RPX", "558px"},
		{"-3rpx", "-1.5px"},
		{"1e2rpx", "50px"},
		{".5rpx", "0.25px"},
	}
	for _, tt := range tests {
		if got := rpxMediaPx([]byte(tt.in)); got != tt.want {
			t.Errorf("rpxMediaPx(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// Options.Font serves @font-face only; the same file named anywhere else is not an image.
func TestFontsOnlyInFontFace(t *testing.T) {
	fsys := fstest.MapFS{"a.wxss": {Data: []byte(
		"@font-face{font-family:k;src:url(/fonts/kit.ttf)}\n.a{background:url(/fonts/kit.ttf);color:red}")}}
	out, warns, err := Compile(fsys, "a.wxss", Options{Scope: "page", Image: testImage, Font: testFont})
	if err != nil {
		t.Fatal(err)
	}
	want := "@font-face{font-family:k;src:url(\"data:font/ttf;base64,AAEAAA==\")}\npage .a{color:red}\n"
	if out != want || len(warns) != 1 || !strings.Contains(warns[0].Msg, "not in the bundle") {
		t.Errorf("got %q %v, want %q and one warning", out, warns, want)
	}
}
