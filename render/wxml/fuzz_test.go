package wxml

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// FuzzCompile feeds arbitrary markup as index.wxml, next to a fixed helper file it may
// import or include. No input may panic or hang; every error must be a positioned
// Diagnostic, and every template must encode to JSON.
func FuzzCompile(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".wxml") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(string(data))
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(`<include src="part"/><import src="part"/><template is="t" data="{{...a}}"/>`)
	f.Add(`<include src="index"/>`)
	f.Add(`<wxs module="m" src="m.wxs"/><wxs module="n">var x = require('./m.wxs'); module.exports = {g: function (a) { for (var k in a) { if (k < 2) break; } return x.f(a) }};</wxs><view bindtap="{{n.g(1)}}">{{m.f(1)}}</view>`)
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{
			"index.wxml": {Data: []byte(src)},
			"m.wxs":      {Data: []byte(`module.exports.f = function (a) { switch (a) { case 1: return 'one'; default: return a; } };`)},
			"part.wxml":  {Data: []byte(`<template name="t"><view bindtap="onT">{{a}}</view></template><text>part</text>`)},
		}
		tpl, _, err := Compile(fsys, "index.wxml")
		if err != nil {
			d, ok := err.(Diagnostic)
			if !ok || d.Line < 1 || d.Col < 1 || d.File == "" {
				t.Fatalf("error without a position: %#v", err)
			}
			return
		}
		if _, err := json.Marshal(tpl); err != nil {
			t.Fatalf("template does not encode: %v", err)
		}
	})
}

// FuzzParseExpr checks that the expression parser never panics and that what it
// accepts encodes to JSON.
func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"a.b[c] + 1", "{a, ...b}", "x ? 'y' : `z`", "[1, [2, {a: -3}]]", "'\\u{1F600}'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseExpr(src)
		if err != nil {
			return
		}
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("ParseExpr(%q) does not encode: %v", src, err)
		}
	})
}

// TestPathologicalInputsStayFast compiles large hostile inputs: each must finish (with
// a template or an error) well within the time a quadratic scan would take.
func TestPathologicalInputsStayFast(t *testing.T) {
	inputs := map[string]string{
		"unclosed strings in mustaches": "<view>" + strings.Repeat("{{\"}}\n", 100_000) + "</view>",
		"one long line of elements":     strings.Repeat("<view a=\"{{x}}\">a {{b}}</view>", 30_000),
		"many mustaches in one text":    "<view>" + strings.Repeat("{{a}}", 200_000) + "</view>",
		"many mustaches in one attr":    `<view a="` + strings.Repeat("{{'", 100_000) + `"/>`,
		"braces in mustaches":           "<view>" + strings.Repeat("{{ {", 100_000) + "</view>",
		"quotes in attributes":          "<view " + strings.Repeat(`a="{{'" `, 50_000) + "/>",
		"long flat expression":          "<view>{{" + strings.Repeat("a+", 200_000) + "a}}</view>",
		"wide tree":                     "<view>" + strings.Repeat("<text wx:if=\"{{a}}\">x</text><text wx:else>y</text>", 20_000) + "</view>",
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"index.wxml": {Data: []byte(src)}}
			done := make(chan error, 1)
			go func() {
				_, _, err := Compile(fsys, "index.wxml")
				done <- err
			}()
			select {
			case err := <-done:
				t.Logf("%d bytes: %v", len(src), err)
			case <-time.After(5 * time.Second):
				t.Fatal("compile took longer than 5s")
			}
		})
	}
}

// FuzzWXS compiles arbitrary code as an inline WXS module: every input ends in a tree
// that encodes, or in a positioned error, never in a panic.
func FuzzWXS(f *testing.F) {
	for _, s := range []string{
		"var a = 1; module.exports = {f: function (x) { return x + a; }};",
		"function f(n) { var s = 0; for (var i = 0; i < n; i++) { s += i; } return s; } module.exports.f = f;",
		"try { throw 'x'; } catch (e) { } finally { } switch (1) { case 1: break; default: }",
		"var r = getRegExp('a', 'g'); do { r.lastIndex++; } while (false); for (var k in {a: 1}) {}",
		"var x = a ? b : c, y = (1, 2); x += y; x >>>= 1; delete x.y; void 0; typeof q; !~-+x; x++; --x;",
		"let a = 1", "var f = x => x", "new Date()", "/re/", "`t${1}`", "a?.b", "class A {}", "l: for (;;) {}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		fsys := fstest.MapFS{
			"index.wxml": {Data: []byte("<wxs module=\"m\">" + code + "</wxs><view>{{m.f(1)}}</view>")},
		}
		tpl, _, err := Compile(fsys, "index.wxml")
		if err != nil {
			if d, ok := err.(Diagnostic); !ok || d.Line < 1 || d.Col < 1 {
				t.Fatalf("error without a position: %#v", err)
			}
			return
		}
		if _, err := json.Marshal(tpl); err != nil {
			t.Fatalf("template does not encode: %v", err)
		}
	})
}
