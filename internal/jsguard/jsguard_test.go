package jsguard

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"
)

func TestCheck(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("(", n) + "1" + strings.Repeat(")", n) }
	tests := []struct {
		name    string
		src     string
		refused bool
	}{
		{"shallow", "var a = [1, {b: (2)}]", false},
		{"999 levels", "x = " + deep(999), false},
		{"1001 levels", "x = " + deep(1001), true},
		{"division after ) keeps counting closers", strings.Repeat("x=(a+b)/2;y=(c)", 3000), false},
		{"division after } keeps counting closers", strings.Repeat("x={a:1}/2;y=(c);", 3000), false},
		{"regex after if head", strings.Repeat("if(a)/[(]/.test(s);", 3000), false},
		{"regex after for await head", "async function f(){ for await (const x of y) /[(]/.test(x) }", false},
		{"regex with brackets after =", strings.Repeat("r=/[({[]+/g;", 3000), false},
		{"template nesting", strings.Repeat("`a${", 500) + "1" + strings.Repeat("}`", 500), false},
		{"template too deep", strings.Repeat("`a${", 1001) + "1" + strings.Repeat("}`", 1001), true},
		// A "/" after ")" read as a division: closers up to where a regular expression
		// would end are not trusted, so brackets hidden in it cannot lower the count.
		{"hidden closers do not lower the count", "x=(a)/" + strings.Repeat(")", 2000) + "/;" + strings.Repeat("(", 1001), true},
		{"property named if is not a head", "o.if(a)/" + strings.Repeat("(", 1001), true},
		{"bomb on one line after a division", "x=(a)/2;" + deep(5000), true},
		{"label chain", strings.Repeat("a:", 5001) + "1", true},
		{"arrow chain", strings.Repeat("a=>", 5001) + "1", true},
		{"prefix run", strings.Repeat("!", 5001) + "1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off, what := Check(tt.src)
			if (off >= 0) != tt.refused {
				t.Fatalf("Check = %d %q, want refused=%v", off, what, tt.refused)
			}
		})
	}
}

// minified builds n statements of the shapes minifiers emit, on one line: divisions
// after ) and }, regular expressions holding brackets, templates, arrows, object
// literals, ternaries, IIFEs; every bracket balanced, at most a few levels deep.
func minified(rng *rand.Rand, n int) string {
	var b strings.Builder
	b.WriteString("!function(e,t){\"object\"==typeof exports?module.exports=t():e.lib=t()}(this,function(){\"use strict\";var ")
	shapes := []func(i int) string{
		func(i int) string { return fmt.Sprintf("a%d=(b+c)/2,", i) },
		func(i int) string { return fmt.Sprintf("f%d=function(e){return e.replace(/[()[\\]{}]/g,\"\")/1},", i) },
		func(i int) string { return fmt.Sprintf("o%d={x:[1,2,(3)],y:{z:`t${(e=>e*2)(%d)}`}},", i, i) },
		func(i int) string { return fmt.Sprintf("g%d=(e,t)=>e?t/(e||1):{a:e}.a/2,", i) },
		func(i int) string {
			return fmt.Sprintf("h%d=function(){if(a)/[)}]/.test(b);for(;;)break;return{}}(),", i)
		},
		func(i int) string { return fmt.Sprintf("k%d=[].concat((function(){return[(1),(2)]})())[0]/3,", i) },
		func(i int) string { return fmt.Sprintf("m%d=/\\/(?:[^/]|\\[\\/\\])*\\//.source.length/2,", i) },
	}
	for i := 0; i < n; i++ {
		b.WriteString(shapes[rng.Intn(len(shapes))](i))
	}
	b.WriteString("end=0;return{}});")
	return b.String()
}

// Every minified library that goja parses passes, however long its line.
func TestCheckMinifiedLibraries(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{10, 500, 3000} {
		src := minified(rng, n)
		if _, err := parser.ParseFile(nil, "lib.js", src, 0, parser.WithDisableSourceMaps); err != nil {
			t.Fatalf("generator made code goja cannot parse (n=%d): %v", n, err)
		}
		if off, what := Check(src); off >= 0 {
			t.Errorf("%d statements (%d bytes, one line): refused at %d: %s (near %q)", n, len(src), off, what, src[max(off-40, 0):min(off+40, len(src))])
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("x=(a)/2;/[(]/.test(s)")
	f.Add("if(a)/[)]/g;({a:`${1}`})")
	f.Fuzz(func(t *testing.T, src string) {
		// The screen never refuses shallow code that goja parses.
		if len(src) > 2000 {
			return
		}
		if off, _ := Check(src); off >= 0 {
			if _, err := parser.ParseFile(nil, "f.js", src, 0, parser.WithDisableSourceMaps); err == nil && strings.Count(src, "(")+strings.Count(src, "[")+strings.Count(src, "{") < 1000 {
				t.Fatalf("refused shallow code goja parses: %q", src)
			}
		}
	})
}
