package logic

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// TestBatchEncodeMatchesBridgeRender: the hand-written encoder produces what
// encoding/json makes of bridge.Render.
func TestBatchEncodeMatchesBridgeRender(t *testing.T) {
	var b batch
	b.unmount([]string{"p3", "p4"})
	b.mount("p2", "pages/x/x", `{"a":1}`)
	b.set("p2", "list[0].t", `"quote\" and \\ and \u0001"`)
	b.set("c1", "k\"ey\n\x01é", `null`)
	b.set("p2", "n", `1`)
	b.set("p2", "list[0].t", `"last"`) // replaces the first write, moved to the end
	b.show("p2", []string{"p1", "p2"})
	raw := b.encode(7, 0)
	var got bridge.Render
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	want := bridge.Render{Seq: 7, Ops: []bridge.RenderOp{
		{Op: "unmount", Pages: []string{"p3", "p4"}},
		{Op: "mount", Page: "p2", Route: "pages/x/x", Data: json.RawMessage(`{"a":1}`)},
		{Op: "data", Target: "p2", Diff: json.RawMessage(`{"n":1,"list[0].t":"last"}`)},
		{Op: "data", Target: "c1", Diff: json.RawMessage(`{"k\"ey\n\u0001é":null}`)},
		{Op: "show", Page: "p2", Pages: []string{"p1", "p2"}},
	}}
	wantRaw, _ := json.Marshal(want)
	if string(raw) != string(wantRaw) {
		t.Errorf("encode =\n%s\nwant\n%s", raw, wantRaw)
	}
	if !reflect.DeepEqual(got.Ops[2].Diff, want.Ops[2].Diff) {
		t.Errorf("diff = %s", got.Ops[2].Diff)
	}
	b.reset()
	if !b.empty() {
		t.Error("reset batch not empty")
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", "\"\\/", "\t\r\n\x00\x1f", "é日本\u2028", "bad \xff utf8", "<script>&"} {
		got := string(appendJSONString(nil, s))
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("%q → %s: %v", s, got, err)
			continue
		}
		want := s
		if s == "bad \xff utf8" {
			want = "bad \ufffd utf8"
		}
		if back != want {
			t.Errorf("%q round-trips to %q", s, back)
		}
	}
}

func TestJSONStringLen(t *testing.T) {
	for _, s := range []string{"", "a.b", "\"\\\n\r\t\x01", "é日本", "bad \xff", "list[2].done"} {
		if got, want := jsonStringLen(s), len(appendJSONString(nil, s)); got != want {
			t.Errorf("jsonStringLen(%q) = %d, want %d", s, got, want)
		}
	}
}
