package bundle

import (
	"strings"
	"testing"
)

func TestMinifySource(t *testing.T) {
	js, err := MinifySource("pages/a/a.js", []byte("// a comment\nconst answer = 40 + 2\nPage({ data: { answer: answer } })\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "comment") || !strings.Contains(string(js), "Page(") {
		t.Fatalf("js minified to %q", js)
	}
	wxss, err := MinifySource("app.wxss", []byte(".a {\n  width: 100rpx;\n  color: #ffffff;\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wxss), "100rpx") || strings.Contains(string(wxss), "\n") {
		t.Fatalf("wxss minified to %q", wxss)
	}
	same, _ := MinifySource("pages/a/a.wxml", []byte("<view> a  b </view>"))
	if string(same) != "<view> a  b </view>" {
		t.Fatalf("wxml changed: %q", same)
	}
	if _, err := MinifySource("broken.js", []byte("var = ;")); err == nil {
		t.Fatal("a broken script minified without an error")
	}
}
