package wxml

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCompileErrors compiles broken inputs and checks the exact error, position
// included. The entry file is always p/index.wxml.
func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		files map[string]string // other files in the bundle
		want  string
	}{
		{"mismatched close", "<view>\n  <text>hi\n    </view>", nil,
			"p/index.wxml:3:5: unexpected </view>, expected </text>"},
		{"close without open", "<view/>\n</view>", nil,
			"p/index.wxml:2:1: unexpected </view>: no element is open"},
		{"unclosed tag", "<view>\n  <text>hi</text>\n  <view class=\"x\">", nil,
			"p/index.wxml:3:3: unclosed <view>"},
		{"unclosed start tag", "<view class=\"a\"", nil,
			"p/index.wxml:1:1: unclosed <view> tag: missing >"},
		{"unclosed attribute quote", "<view class=\"a>\n</view>", nil,
			"p/index.wxml:1:13: unclosed attribute value: missing \""},
		{"unclosed comment", "<view/>\n<!-- never closed", nil,
			"p/index.wxml:2:1: unclosed comment: missing -->"},
		{"unclosed mustache in text", "<view>{{a + </view>", nil,
			"p/index.wxml:1:7: unclosed {{: missing }}"},
		{"unclosed mustache in attribute", "<view class=\"{{a\"></view>", nil,
			"p/index.wxml:1:14: unclosed {{: missing }}"},
		{"doctype", "<!DOCTYPE html>", nil,
			"p/index.wxml:1:1: unexpected \"<!\": only elements, text and <!-- comments --> are allowed"},
		{"wxs syntax error", "<view/>\n<wxs module=\"m\">\nvar a = ;\n</wxs>", nil,
			"p/index.wxml:3:9: WXS syntax error: Unexpected token ;"},
		{"wxs let", "<wxs module=\"m\">let a = 1;</wxs>", nil,
			"p/index.wxml:1:17: WXS has no let: declare variables with var"},
		{"wxs new", "<wxs module=\"m\">\n  var d = new Date();</wxs>", nil,
			"p/index.wxml:2:11: WXS has no new: use getDate(...) and getRegExp(...)"},
		{"wxs regexp literal", "<wxs module=\"m\">var r = /a+/g;</wxs>", nil,
			"p/index.wxml:1:25: WXS has no regular expression literals: use getRegExp(\"a+\", \"g\")"},
		{"wxs arrow", "<wxs module=\"m\">var f = x => x;</wxs>", nil,
			"p/index.wxml:1:25: WXS has no arrow functions: use function"},
		{"wxs without module", "<wxs>var a;</wxs>", nil,
			"p/index.wxml:1:1: <wxs> needs module=\"NAME\""},
		{"wxs bad module name", "<wxs module=\"1m\">var a;</wxs>", nil,
			"p/index.wxml:1:14: WXS module name \"1m\" must be a letter or _ followed by letters, digits or _"},
		{"wxs unclosed", "<wxs module=\"m\">var a = 1 < 2;", nil,
			"p/index.wxml:1:1: unclosed <wxs>: missing </wxs>"},
		{"wxs src missing", "<wxs module=\"m\" src=\"./nope.wxs\"/>", nil,
			"p/index.wxml:1:22: cannot load WXS p/nope.wxs: file does not exist"},
		{"wxs src not wxs", "<wxs module=\"m\" src=\"./util.js\"/>", nil,
			"p/index.wxml:1:22: <wxs src>: \"./util.js\" is not a .wxs file"},
		{"wxs src leaves bundle", "<wxs module=\"m\" src=\"../../x.wxs\"/>", nil,
			"p/index.wxml:1:22: <wxs src>: path \"../../x.wxs\" leaves the mini-app bundle"},
		{"error inside wxs file", "<wxs module=\"m\" src=\"/u/a.wxs\"/>",
			map[string]string{"u/a.wxs": "var b = require('./b.wxs');\nmodule.exports = b;", "u/b.wxs": "\nfunction f() {\n  for (var x of y) {}\n}"},
			"u/b.wxs:3:3: WXS has no for-of: use for (var i = 0; i < list.length; i++)"},
		{"wxs require dynamic", "<wxs module=\"m\">var b = require(name);</wxs>", nil,
			"p/index.wxml:1:25: require takes a static path to a .wxs file"},
		{"call of data", "<wxs module=\"m\">module.exports = {};</wxs>\n<view>{{ m.f(1) + format(2) }}</view>", nil,
			"p/index.wxml:2:25: WXML expressions can call only functions of WXS modules"},
		{"else without if", "<view>a</view>\n<view wx:else>b</view>", nil,
			"p/index.wxml:2:7: wx:else without a preceding wx:if"},
		{"elif without if", "<view>\n  <text wx:elif=\"{{b}}\">b</text>\n</view>", nil,
			"p/index.wxml:2:9: wx:elif without a preceding wx:if"},
		{"else after else", "<view wx:if=\"{{a}}\"/>\n<view wx:else/>\n<view wx:else/>", nil,
			"p/index.wxml:3:7: wx:else without a preceding wx:if"},
		{"text breaks chain", "<view wx:if=\"{{a}}\"/>\ntext\n<view wx:else/>", nil,
			"p/index.wxml:3:7: wx:else without a preceding wx:if"},
		{"else after for+if", "<view wx:for=\"{{l}}\" wx:if=\"{{item}}\"/>\n<view wx:else/>", nil,
			"p/index.wxml:2:7: wx:else follows an element with both wx:for and wx:if, where wx:if tests each item; put the loop inside a <block wx:if> to branch"},
		{"if and else together", "<view wx:if=\"{{a}}\" wx:else/>", nil,
			"p/index.wxml:1:21: wx:else cannot be combined with another wx:if, wx:elif or wx:else on one element"},
		{"if without condition", "<view wx:if/>", nil,
			"p/index.wxml:1:7: wx:if needs a condition, e.g. wx:if=\"{{ok}}\""},
		{"if and else on one element", "<view wx:if=\"{{a}}\" wx:else/>", nil,
			"p/index.wxml:1:21: wx:else cannot be combined with another wx:if, wx:elif or wx:else on one element"},
		{"for item not a name", "<view wx:for=\"{{l}}\" wx:for-item=\"a.b\"/>", nil,
			"p/index.wxml:1:22: wx:for-item must be a plain name like \"item\", not \"a.b\""},
		{"dynamic handler broken", "<view\n  bindtap=\"{{handler(}}\"/>", nil,
			"p/index.wxml:2:21: WXML expressions can call only functions of WXS modules"},
		{"handler not a name", "<view bind:tap=\"a.b\"/>", nil,
			"p/index.wxml:1:17: event handler \"a.b\" of bind:tap is not a method name"},
		{"handler without value", "<view catchtap/>", nil,
			"p/index.wxml:1:7: catchtap needs a handler method name"},
		{"function call", "<view>\n  {{ format(a) }}\n</view>", nil,
			"p/index.wxml:2:12: WXML expressions can call only functions of WXS modules"},
		{"method call", "<view class=\"{{ list.join(',') }}\"/>", nil,
			"p/index.wxml:1:26: WXML expressions can call only functions of WXS modules"},
		{"assignment", "<view hidden=\"{{a = 1}}\"/>", nil,
			"p/index.wxml:1:19: assignment (=) is not allowed in WXML expressions"},
		{"new", "<view>{{new Date()}}</view>", nil,
			"p/index.wxml:1:9: new is not allowed in WXML expressions"},
		{"regex", "<view>\n\t{{ /ab+c/.test(s) }}</view>", nil,
			"p/index.wxml:2:5: regular expressions are not supported in WXML expressions"},
		{"template literal", "<view>{{ `a${b}` }}</view>", nil,
			"p/index.wxml:1:10: template literals are not supported in WXML expressions"},
		{"unterminated string", "<view>{{ 'abc }}</view>", nil,
			"p/index.wxml:1:10: unterminated string"},
		{"bad token after unicode", "<view>\n  héllo {{ a # b }}</view>", nil,
			"p/index.wxml:2:14: unexpected \"#\" after expression"},
		{"entity inside expression", "<view>{{a &lt; b}}</view>", nil,
			"p/index.wxml:1:11: operator & is not supported in WXML expressions"},
		{"template without is or name", "<template data=\"{{a}}\"/>", nil,
			"p/index.wxml:1:1: <template> needs is=\"NAME\" to use a template, or name=\"NAME\" to define one"},
		{"template data not an object body", "<template is=\"x\" data=\"a{{b}}\"/>", nil,
			"p/index.wxml:1:24: template data must be one {{…}} of object properties, e.g. data=\"{{...item, index}}\""},
		{"template data bad property", "<template is=\"x\" data=\"{{a, 1 + 2}}\"/>", nil,
			"p/index.wxml:1:31: expected \":\" after property \"1\""},
		{"dynamic template name", "<template name=\"{{n}}\"/>", nil,
			"p/index.wxml:1:11: template name must be a static, non-empty name"},
		{"include missing", "<view/>\n<include src=\"parts/none\"/>", nil,
			"p/index.wxml:2:1: cannot include p/parts/none.wxml: file does not exist"},
		{"import escapes bundle", "<import src=\"../../../secret\"/>", nil,
			"p/index.wxml:1:14: <import src>: path \"../../../secret\" leaves the mini-app bundle"},
		{"dynamic src", "<include src=\"{{f}}\"/>", nil,
			"p/index.wxml:1:15: <include src> must be a static path, not {{…}}"},
		{"include cycle", "<include src=\"a\"/>",
			map[string]string{"p/a.wxml": "<view/>\n<include src=\"/p/b\"/>", "p/b.wxml": "<include src=\"index\"/>"},
			"p/b.wxml:1:1: include cycle: p/index.wxml → p/a.wxml → p/b.wxml → p/index.wxml"},
		{"import cycle", "<import src=\"a\"/>",
			map[string]string{"p/a.wxml": "<import src=\"a\"/>"},
			"p/a.wxml:1:1: import cycle: p/a.wxml → p/a.wxml"},
		{"error inside included file", "<include src=\"a\"/>",
			map[string]string{"p/a.wxml": "<view>\n  <text>{{ a( }}</text>\n</view>"},
			"p/a.wxml:2:13: WXML expressions can call only functions of WXS modules"},
		{"slot name without value", "<slot name/>", nil,
			"p/index.wxml:1:7: slot name needs a value"},
		{"attribute without value", "<view class= >", nil,
			"p/index.wxml:1:7: attribute class has \"=\" but no value"},
		{"elements too deep", strings.Repeat("<view>", maxDepth+1), nil,
			"p/index.wxml:1:1537: elements nested deeper than 256 levels"},
		{"expression too deep", "<view>{{" + strings.Repeat("(", maxDepth+1) + "a" + strings.Repeat(")", maxDepth+1) + "}}</view>", nil,
			"p/index.wxml:1:265: expression nested deeper than 256 levels"},
		{"expression tree too deep", "<view>{{a" + strings.Repeat("+a", maxDepth) + "}}</view>", nil,
			"p/index.wxml:1:9: expression nested deeper than 256 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"p/index.wxml": {Data: []byte(tt.src)}}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			tpl, _, err := Compile(fsys, "p/index.wxml")
			if err == nil {
				t.Fatalf("compiled without error: %+v", tpl)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
			var d Diagnostic
			if !errors.As(err, &d) || d.Line == 0 {
				t.Errorf("error %v is not a positioned Diagnostic", err)
			}
		})
	}
}

func TestIncludeDepthAcrossFiles(t *testing.T) {
	half := maxDepth/2 + 1
	fsys := fstest.MapFS{
		"index.wxml": {Data: []byte(strings.Repeat("<view>", half) + `<include src="deep"/>` + strings.Repeat("</view>", half))},
		"deep.wxml":  {Data: []byte(strings.Repeat("<view>", half) + strings.Repeat("</view>", half))},
	}
	_, _, err := Compile(fsys, "index.wxml")
	if err == nil || !strings.Contains(err.Error(), "nests elements deeper than 256 levels") {
		t.Errorf("err = %v", err)
	}
}

// TestIncludeBlowUp: each file includes the next one twice, which would expand to
// 2^30 nodes; the compiler stops at its node budget instead.
func TestIncludeBlowUp(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := 0; i < 30; i++ {
		src := `<view><include src="f` + string(rune('a'+i+1)) + `"/><include src="f` + string(rune('a'+i+1)) + `"/></view>`
		fsys["f"+string(rune('a'+i))+".wxml"] = &fstest.MapFile{Data: []byte(src)}
	}
	fsys["f"+string(rune('a'+30))+".wxml"] = &fstest.MapFile{Data: []byte("<text>leaf</text>")}
	_, _, err := Compile(fsys, "fa.wxml")
	if err == nil || !strings.Contains(err.Error(), "template too large") {
		t.Errorf("err = %v", err)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name, src string
		files     map[string]string
		want      []string
	}{
		{"import without templates", `<import src="plain"/>`, map[string]string{"plain.wxml": "<view/>"},
			[]string{"index.wxml:1:1: <import> of plain.wxml: it defines no templates"}},
		{"static wx:if string", `<view wx:if="false"/>`, nil,
			[]string{`index.wxml:1:14: wx:if="false" is a non-empty string and always true; write wx:if="{{…}}" for an expression`}},
		{"empty handler", `<view bindtap=""/>`, nil,
			[]string{"index.wxml:1:7: bindtap has an empty handler and is ignored"}},
		{"slot fallback", `<slot><view/></slot>`, nil,
			[]string{"index.wxml:1:7: content inside <slot> is ignored: slots have no fallback content"}},
		{"duplicate template", "<template name=\"a\"/>\n<template name=\"a\"/>", nil,
			[]string{"index.wxml:2:1: template \"a\" is defined twice in index.wxml: the last definition is used"}},
		{"empty mustache", "<view>{{ }}</view>", nil,
			[]string{"index.wxml:1:7: empty {{}} renders as nothing"}},
		{"if with text around", "<view wx:if=\"x{{a}}\"/>", nil,
			[]string{`index.wxml:1:14: wx:if with text around {{…}} is a non-empty string and always true; write wx:if="{{…}}" with the whole condition inside`}},
		{"two ifs", `<view wx:if="{{a}}" wx:if="{{b}}"/>`, nil,
			[]string{"index.wxml:1:7: duplicate attribute wx:if: the last one is used"}},
		{"two ifs on a block", `<block wx:if="{{a}}" wx:if="{{b}}">x</block>`, nil,
			[]string{"index.wxml:1:8: duplicate attribute wx:if: the last one is used"}},
		{"GBK file", "<view>\xbc\xc6\xca\xb1</view>", nil,
			[]string{"index.wxml:1:1: not UTF-8: read as GB18030; save the file as UTF-8"}},
		{"attribute on include", `<include src="x" wx:if="{{a}}"/>`, map[string]string{"x.wxml": "<view/>"},
			[]string{"index.wxml:1:18: attribute wx:if on <include> is ignored"}},
		{"WXS event response", "<wxs module=\"w\">module.exports = {move: function (e, ins) {}}</wxs>\n<view bindtouchmove=\"{{w.move}}\" change:prop=\"{{w.watch}}\" prop=\"{{x}}\"/>", nil,
			[]string{`index.wxml:2:7: bindtouchmove="{{w.move}}": a WXS function as an event handler (WXS response to events) is not supported yet; the binding is inert`,
				"index.wxml:2:34: change:prop: a WXS property observer is not supported yet; it is ignored"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"index.wxml": {Data: []byte(tt.src)}}
			for name, src := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(src)}
			}
			_, warnings, err := Compile(fsys, "index.wxml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range warnings {
				got = append(got, w.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("warnings\n got: %q\nwant: %q", got, tt.want)
			}
		})
	}
}

func TestDiagnosticError(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{"a.wxml", 12, 5, "msg"}, "a.wxml:12:5: msg"},
		{Diagnostic{"", 1, 3, "msg"}, "1:3: msg"},
		{Diagnostic{"a.wxml", 0, 0, "msg"}, "a.wxml: msg"},
		{Diagnostic{"", 0, 0, "msg"}, "msg"},
	}
	for _, tt := range tests {
		if got := tt.d.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestWXSTooDeep: nesting that would overflow goja's parser is refused before it parses
// (the screen is internal/jsguard's, so only the kind of error is asserted here).
func TestWXSTooDeep(t *testing.T) {
	src := "<wxs module=\"m\">var a = " + strings.Repeat("[", 200_000) + "</wxs>"
	_, _, err := Compile(fstest.MapFS{"p/index.wxml": {Data: []byte(src)}}, "p/index.wxml")
	if err == nil || !strings.HasPrefix(err.Error(), "p/index.wxml:1:") || !strings.Contains(err.Error(), "WXS code refused") {
		t.Fatalf("err = %v", err)
	}
}
