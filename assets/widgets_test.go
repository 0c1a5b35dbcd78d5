package assets

import (
	"strings"
	"testing"
)

// TestRegionTable checks the region picker's built-in table: every province of China
// with its cities and districts and GB/T 2260 codes, municipalities shown as WeChat shows
// them, and the table's size bounded.
func TestRegionTable(t *testing.T) {
	e := newJSEnv(t)
	tests := []struct {
		name, expr, want string
	}{
		{"34 provinces", `regionTable().length`, `34`},
		{"Guangdong", `(function(){ var p = regionTable().find(function (x) { return x.name === "广东省"; }); return [p.code, p.children.length, p.children[0].name, p.children[0].code]; })()`,
			`["440000",21,"广州市","440100"]`},
		{"a district", `regionDetail({}, regionModel({value: ["广东省", "广州市", "海珠区"]}))`,
			`{"value":["广东省","广州市","海珠区"],"code":["440000","440100","440105"],"postcode":""}`},
		{"Beijing is its own city", `regionDetail({}, regionModel({value: ["北京市", "北京市", "海淀区"]}))`,
			`{"value":["北京市","北京市","海淀区"],"code":["110000","110100","110108"],"postcode":""}`},
		{"a Chongqing county", `regionDetail({}, regionModel({value: ["重庆市", "重庆市", "巫山县"]})).code`, `["500000","500100","500237"]`},
		{"a city without counties is its own district", `regionDetail({}, regionModel({value: ["广东省", "东莞市", "东莞市"]}))`,
			`{"value":["广东省","东莞市","东莞市"],"code":["440000","441900","441900"],"postcode":""}`},
		{"unknown names pick the first entries", `regionDetail({}, regionModel({value: ["X", "Y"]})).value`, `["北京市","北京市","东城区"]`},
		{"columns follow the choice", `(function(){ var m = regionModel({value: ["广东省", "广州市", "海珠区"]}); m.selected[1] = 2; m = pickerRefit("region", {}, m); return [m.columns[1][2], m.columns[2][0], m.selected[2] < m.columns[2].length]; })()`,
			`["深圳市","罗湖区",true]`},
		{"custom-item heads every column", `(function(){ var a = {"custom-item": "全部", value: ["全部"]}; var m = regionModel(a); return [m.columns.map(function (c) { return c[0]; }), m.columns[1].length, regionDetail(a, m)]; })()`,
			`[["全部","全部","全部"],1,{"value":["全部","全部","全部"],"code":["","",""],"postcode":""}]`},
		{"custom-item under a province", `(function(){ var a = {"custom-item": "全部", value: ["广东省", "全部"]}; var m = regionModel(a); return [m.columns[1].length, regionDetail(a, m).value]; })()`,
			`[22,["广东省","全部","全部"]]`},
		{"level city", `(function(){ var a = {level: "city", value: ["浙江省", "杭州市"]}; var m = regionModel(a); return [m.columns.length, regionDetail(a, m)]; })()`,
			`[2,{"value":["浙江省","杭州市"],"code":["330000","330100"],"postcode":""}]`},
		{"level province", `pickerValue("region", {level: "province"}, pickerModel("region", {level: "province", value: ["江苏省"]}))`, `["江苏省"]`},
		{"Hong Kong", `regionDetail({}, regionModel({value: ["香港特别行政区", "九龙"]})).value`, `["香港特别行政区","九龙","油尖旺区"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.run(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	got, err := e.run(`regionTable().reduce(function (n, p) { return n + p.children.reduce(function (m, c) { return m + c.children.length; }, 0); }, 0)`)
	if err != nil || got < "3000" || len(got) != 4 {
		t.Errorf("districts: %s %v, want 3000-9999", got, err)
	}
	// Every code is six digits and unique within its level.
	if got, err := e.run(`(function(){ var seen = {}, bad = []; regionTable().forEach(function (p) { [p].concat(p.children).forEach(function (x) { if (!/^\d{6}$/.test(x.code) || seen[x.code]) bad.push(x.name + x.code); seen[x.code] = 1; }); }); return bad; })()`); err != nil || got != "[]" {
		t.Errorf("bad or repeated codes: %s %v", got, err)
	}
	// Every page carries the table: it stays small.
	if src := mustRead("regions.js"); len(src) > 80<<10 || strings.Count(src, "\n") > 8 {
		t.Errorf("regions.js: %d bytes, %d lines (at most 80 KiB, one line of data)", len(src), strings.Count(src, "\n"))
	}
}

// TestWidgetMath checks picker-view's rows, movable-view's bounds and glide, and
// match-media's conditions.
func TestWidgetMath(t *testing.T) {
	e := newJSEnv(t)
	tests := []struct {
		name, expr, want string
	}{
		{"indicator px", `indicatorHeight("height: 50px;", 0.5, 34)`, `50`},
		{"indicator rpx", `indicatorHeight("border:0; height:100rpx", 0.5, 34)`, `50`},
		{"indicator line-height is not height", `indicatorHeight("line-height: 50px", 0.5, 34)`, `34`},
		{"rows", `[rowAt(0, 50, 10), rowAt(74, 50, 10), rowAt(76, 50, 10), rowAt(9999, 50, 10), rowAt(-20, 50, 10)]`, `[0,1,2,9,0]`},
		{"value fits columns", `pickerViewValue([3, 99, -1, "x"], [5, 4, 3, 2])`, `[3,3,0,0]`},
		{"value missing", `pickerViewValue(null, [5, 4])`, `[0,0]`},
		{"bounds small view", `movableBounds({width: 300, height: 200}, {width: 50, height: 50}, 1)`, `{"x":{"min":0,"max":250},"y":{"min":0,"max":150}}`},
		{"bounds big view", `movableBounds({width: 300, height: 200}, {width: 400, height: 100}, 1)`, `{"x":{"min":-100,"max":0},"y":{"min":0,"max":100}}`},
		{"bounds scaled", `movableBounds({width: 300, height: 200}, {width: 50, height: 50}, 2).x`, `{"min":0,"max":200}`},
		{"clamp", `movableClamp({x: -30, y: 400}, movableBounds({width: 300, height: 200}, {width: 50, height: 50}, 1), false)`, `{"x":0,"y":150}`},
		{"clamp rubber band", `movableClamp({x: -30, y: 400}, movableBounds({width: 300, height: 200}, {width: 50, height: 50}, 1), true)`, `{"x":-15,"y":275}`},
		{"glide", `[movableGlide(1, 2), movableGlide(-1, 2), movableGlide(1, 4) < movableGlide(1, 2), movableGlide(0, 2)]`, `[100,-100,true,0]`},
		{"media none", `mediaMatches({}, 800, 600)`, `true`},
		{"media min-width", `[mediaMatches({"min-width": 600}, 800, 600), mediaMatches({"min-width": "900"}, 800, 600)]`, `[true,false]`},
		{"media max-height", `[mediaMatches({"max-height": 600}, 800, 600), mediaMatches({"max-height": 599}, 800, 600)]`, `[true,false]`},
		{"media orientation", `[mediaMatches({orientation: "landscape"}, 800, 600), mediaMatches({orientation: "portrait"}, 800, 600), mediaMatches({orientation: "portrait"}, 400, 600)]`, `[true,false,true]`},
		{"media width exact", `[mediaMatches({width: 800}, 800, 600), mediaMatches({width: 801}, 800, 600)]`, `[true,false]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.run(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
