package logic

import (
	"strings"
	"testing"
)

// A data path may not write far past the end of an array: the page would pad the gap
// with null, so one short key could allocate a million entries there (issue 16 item 5).
// The refusal is a catchable error naming the path, and data stays as it was.
func TestSetDataIndexGap(t *testing.T) {
	tests := []struct {
		name     string
		initial  string
		code     string
		wantData string // JSON of the page data afterwards ("" = not checked)
		wantErr  string // substring of the caught error; "" = accepted
	}{
		{"index at the end appends", `{"l":[1,2]}`, `this.setData({'l[2]': 3})`, `{"l":[1,2,3]}`, ""},
		{"gap up to the bound", `{"l":[]}`, `this.setData({'l[1024]': 1})`, "", ""},
		{"gap over the bound", `{"l":[1]}`, `this.setData({'l[1026]': 1})`, `{"l":[1]}`,
			`"l[1026]": index 1026 is more than 1024 past the end of the array (length 1)`},
		{"new array starts empty", `{}`, `this.setData({'n[5000]': 1})`, `{}`, `index 5000 is more than 1024`},
		{"through a primitive", `{"p":1}`, `this.setData({'p[2000].x': 1})`, `{"p":1}`, `index 2000`},
		{"nested index", `{"g":[[1]]}`, `this.setData({'g[0][2000]': 1})`, `{"g":[[1]]}`, `"g[0][2000]"`},
		{"inner array under a new element", `{"g":[]}`, `this.setData({'g[0][1500]': 1})`, `{"g":[]}`, `index 1500`},
		{"the review's balloon", `{}`,
			`const o = {}; for (let i = 0; i < 400; i++) o['a' + i + '[1048575]'] = 1; this.setData(o)`, `{}`, `index 1048575`},
		{"appending item by item in one call", `{"l":[]}`,
			`const o = {}; for (let i = 0; i < 1000; i++) o['l[' + i + ']'] = i; this.setData(o)`, "", ""},
		{"numeric keys of an object are no array", `{"o":{}}`, `this.setData({'o[999999]': 1})`, `{"o":{"999999":1}}`, ""},
		{"refused path refuses the whole call", `{"a":1,"l":[]}`, `this.setData({a: 2, 'l[9999]': 1})`, `{"a":1,"l":[]}`, `index 9999`},
		{"too deep", `{}`, `this.setData({['a' + '.a'.repeat(64)]: 1})`, `{}`, `more than 64 parts`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := runCase(t, tt.initial, tt.code+`; console.log('done')`, 0)
			if tt.wantErr != "" {
				msg := a.logs.waitConsole(t, "caught: ")
				if !strings.Contains(msg, tt.wantErr) {
					t.Errorf("error = %q, want it to contain %q", msg, tt.wantErr)
				}
			} else {
				a.logs.waitConsole(t, "done")
				for _, l := range a.logs.console() {
					if strings.HasPrefix(l, "caught: ") {
						t.Fatalf("refused: %s", l)
					}
				}
			}
			if tt.wantData != "" {
				raw, err := a.rt.PageData("p1")
				if err != nil {
					t.Fatal(err)
				}
				if !jsonEqual(t, string(raw), tt.wantData) {
					t.Errorf("data = %s, want %s", raw, tt.wantData)
				}
			}
		})
	}
}

// BenchmarkSetDataIndexPath: the common item update by path ("list[i].done") on a
// 1000-item list, where the index-gap check walks the path before the write.
func BenchmarkSetDataIndexPath(b *testing.B) {
	r, bytes := benchRuntime(b, `
const list = [];
for (let i = 0; i < 1000; i++) list.push({ id: i, done: false });
Page({
  data: { list: list },
  toggle(i) { this.setData({ ['list[' + (i % 1000) + '].done']: i % 2 === 0 }); },
});`)
	benchTurns(b, r, "toggle", bytes)
}
