package wxml

import (
	"os"
	"testing"
	"testing/fstest"
)

// BenchmarkCompileTodo compiles the ~60-line todo page in testdata/bench (with its
// imported template), from memory so that disk reads are not measured.
func BenchmarkCompileTodo(b *testing.B) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"index.wxml", "templates/empty.wxml"} {
		data, err := os.ReadFile("testdata/bench/" + name)
		if err != nil {
			b.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	b.SetBytes(int64(len(fsys["index.wxml"].Data) + len(fsys["templates/empty.wxml"].Data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Compile(fsys, "index.wxml"); err != nil {
			b.Fatal(err)
		}
	}
}
