package assets

import "testing"

// TestRichTextCleaning checks that rich-text keeps WeChat's tags and attributes only,
// from a nodes array or an HTML string: no script, handler, link target or frame.
func TestRichTextCleaning(t *testing.T) {
	e := newJSEnv(t)
	tests := []struct {
		name, expr, want string
	}{
		{"html string", `cleanRichNodes('<div class="a" style="color:red">Hi <b>there</b></div>')`,
			`[{"name":"div","attrs":{"class":"a","style":"color:red"},"children":[{"type":"text","text":"Hi "},{"name":"b","attrs":{},"children":[{"type":"text","text":"there"}]}]}]`},
		{"script dropped with its content", `cleanRichNodes('a<script>alert(1)</script>b')`,
			`[{"type":"text","text":"a"},{"type":"text","text":"b"}]`},
		{"handlers and href dropped", `cleanRichNodes('<a href="javascript:x" onclick="x()">go</a><img src="/i.png" onerror="x()" width="10">')`,
			`[{"name":"a","attrs":{},"children":[{"type":"text","text":"go"}]},{"name":"img","attrs":{"src":"/i.png","width":"10"},"children":[]}]`},
		{"unknown element keeps its text", `cleanRichNodes('<marquee><i>x</i></marquee><iframe src="https://e.com">y</iframe>')`,
			`[{"name":"i","attrs":{},"children":[{"type":"text","text":"x"}]}]`},
		{"entities and comments", `cleanRichNodes('&lt;b&gt; &amp; &#x4e2d;&#25991;<!-- no -->&nbsp;')`,
			"[{\"type\":\"text\",\"text\":\"<b> & 中文\"},{\"type\":\"text\",\"text\":\"\u00a0\"}]"},
		{"unclosed and stray tags", `cleanRichNodes('<p>one<p>two</span></p>')`,
			`[{"name":"p","attrs":{},"children":[{"type":"text","text":"one"},{"name":"p","attrs":{},"children":[{"type":"text","text":"two"}]}]}]`},
		{"nodes array", `cleanRichNodes([{name:"DIV",attrs:{style:"x:y",id:"k",onclick:"z"},children:[{type:"text",text:"a&amp;b"},{name:"script",children:[{type:"text",text:"bad"}]}]}])`,
			`[{"name":"div","attrs":{"style":"x:y"},"children":[{"type":"text","text":"a&b"}]}]`},
		{"style with script url", `cleanRichNodes('<span style="background:url(javascript:x)">s</span>')`,
			`[{"name":"span","attrs":{},"children":[{"type":"text","text":"s"}]}]`},
		{"long attribute", `cleanRichNodes('<img alt="' + new Array(2000).join("x") + '" src="/a.png">').map(function (n) { return n.attrs.src + n.attrs.alt.length; })`, `["/a.png1999"]`},
		{"not nodes", `cleanRichNodes(42)`, `[]`},
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
	// Deep nesting and many nodes stay bounded.
	if got, err := e.run(`(function(){ var s = ""; for (var i = 0; i < 5000; i++) s += "<div>"; function depth(ns) { var d = 0; ns.forEach(function (x) { if (x.children) d = Math.max(d, depth(x.children)); }); return d + 1; } return depth(cleanRichNodes(s)) <= 66; })()`); err != nil || got != "true" {
		t.Errorf("deep nesting: %s %v", got, err)
	}
	if got, err := e.run(`cleanRichNodes(new Array(50001).join("<br>")).length`); err != nil || got != "20000" {
		t.Errorf("many nodes: %s %v", got, err)
	}
}

// TestPickerModels checks each picker mode's columns and the value a choice sends.
func TestPickerModels(t *testing.T) {
	e := newJSEnv(t)
	tests := []struct {
		name, expr, want string
	}{
		{"selector", `pickerModel("selector", {range: ["a","b","c"], value: 1})`, `{"columns":[["a","b","c"]],"selected":[1]}`},
		{"selector range-key", `pickerModel("selector", {range: [{n:"x"},{n:"y"}], "range-key": "n", value: "9"})`, `{"columns":[["x","y"]],"selected":[1]}`},
		{"selector value", `(function(){ var m = pickerModel("selector", {range: ["a","b"]}); m.selected[0] = 1; return pickerValue("selector", {}, m); })()`, `1`},
		{"multiSelector", `pickerModel("multiSelector", {range: [["a","b"],["c","d","e"]], value: [1, 2]})`, `{"columns":[["a","b"],["c","d","e"]],"selected":[1,2]}`},
		{"multiSelector value", `pickerValue("multiSelector", {}, {columns: [[1],[2]], selected: [0, 1]})`, `[0,1]`},
		{"time", `pickerModel("time", {value: "09:30", start: "08:00", end: "18:00"}).selected`, `[1,30]`},
		{"time clamps to end", `(function(){ var a = {start: "08:00", end: "18:15"}; var m = pickerModel("time", a); m.selected = [10, 59]; return pickerValue("time", a, m); })()`, `"18:15"`},
		{"date", `pickerModel("date", {value: "2024-02-10", start: "2020-01-01", end: "2030-12-31"}).selected`, `[4,1,9]`},
		{"date leap february", `pickerModel("date", {value: "2024-02-10"}).columns[2].length`, `29`},
		{"date refit keeps a valid day", `(function(){ var a = {value: "2024-01-31"}; var m = pickerModel("date", a); m.selected[1] = 1; m = pickerRefit("date", a, m); return pickerValue("date", a, m); })()`, `"2024-02-29"`},
		{"date fields month", `(function(){ var a = {value: "2024-05-06", fields: "month"}; return pickerValue("date", a, pickerModel("date", a)); })()`, `"2024-05"`},
		{"date default today", `pickerValue("date", {}, pickerModel("date", {}, {y: 2026, m: 12, d: 6}))`, `"2026-12-06"`},
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
