package jsc

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTransform(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string // substrings of the output
		wantErr         string
	}{
		{"ES module to CommonJS", "a.js", "import x from './b'\nexport const y = x\n", []string{"require(\"./b\")", "module.exports"}, ""},
		{"TypeScript types dropped", "a.ts", "const n: number = 1\nexport type T = string\n", []string{"const n = 1"}, ""},
		{"async generator lowered", "a.js", "async function* g() { yield 1 }", []string{"__asyncGenerator"}, ""},
		{"for await lowered", "a.js", "async function f(xs) { for await (const x of xs) {} }", []string{"__forAwait"}, ""},
		{"ES2022 kept", "a.js", "class A { #p = 1; static { } }\nlet a = b ?? c?.d", []string{"#p", "??", "?."}, ""},
		{"error position in characters", "a.ts", "const s = 'ééé'; let x: = 1", nil, "a.ts:1:25: SyntaxError: Unexpected \"=\""},
		{"TS syntax in a .js file", "a.js", "let x: number = 1", nil, "a.js:1:6: SyntaxError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Transform(tt.file, []byte(tt.src))
			if tt.wantErr != "" {
				var je *Error
				if !errors.As(err, &je) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.Code, w) {
					t.Errorf("output lacks %q:\n%s", w, out.Code)
				}
			}
			var m struct {
				Sources []string `json:"sources"`
			}
			if err := json.Unmarshal(out.Map, &m); err != nil || len(m.Sources) != 1 || m.Sources[0] != tt.file {
				t.Errorf("map sources = %v (%v), want [%s]", m.Sources, err, tt.file)
			}
		})
	}
}

func TestForGoja(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"version":3,"mappings":"AAAA"}`, `";;CAAC"`},                       // columns 0 → 1
		{`{"version":3,"mappings":";AAEA,IAAI;EAAE"}`, `";;;CAEC,IAAI;GAAE"`}, // generated: each line's first; source: the first only
		{`{"version":3,"mappings":"A,AAAf"}`, `";;C,AAAd"`},                   // a 1-field segment has no source column; -15 → -14
	}
	for _, tt := range tests {
		got, err := ForGoja([]byte(tt.in), 2)
		if err != nil || !strings.Contains(string(got), tt.want) {
			t.Errorf("ForGoja(%s) = %s, %v; want mappings %s", tt.in, got, err, tt.want)
		}
	}
	for _, n := range []int{0, 1, -1, 15, 16, -16, 1000, -99999} {
		var b strings.Builder
		encodeVLQ(&b, n)
		got, err := decodeVLQ(b.String())
		if err != nil || len(got) != 1 || got[0] != n {
			t.Errorf("VLQ %d → %q → %v %v", n, b.String(), got, err)
		}
	}
}

// BenchmarkTransform compiles a TypeScript module of about 60 KB (what a large page or
// a utility library is).
func BenchmarkTransform(b *testing.B) {
	var src strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&src, "export interface T%d { a: number; b: string }\nexport function f%d(x: T%d): string { return `${x.a}:${x.b}`.repeat(2) }\n", i, i, i)
	}
	b.SetBytes(int64(src.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Transform("big.ts", []byte(src.String())); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImports(t *testing.T) {
	src := `import a from './a'
import { b } from "../b"
import './side'
export * from 'pkg/x'
const c = require('./c'), d = require(name), e = foo('./not')
const f = await import('./f')
// require('./commented')
x.require('./method') // a method named require: found, harmless
`
	got := Imports("m.js", []byte(src))
	want := []string{"./a", "../b", "./side", "pkg/x", "./c", "./f", "./method"}
	var reqs []string
	for i := 1; i < len(got); i += 2 {
		if got[i-1] != "m.js" {
			t.Errorf("pair %d names %q", i/2, got[i-1])
		}
		reqs = append(reqs, got[i])
	}
	if strings.Join(reqs, " ") != strings.Join(want, " ") {
		t.Errorf("Imports = %q, want %q", reqs, want)
	}
}
