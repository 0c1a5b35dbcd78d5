package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckRender(t *testing.T) {
	tests := []struct {
		name, payload, wantErr string
	}{
		{"paths within bounds", `{"seq":1,"ops":[{"op":"mount","page":"p1","route":"a","data":{}},{"op":"data","target":"p1","diff":{"a":1,"l[3].x":{"y":[1,{"z":2}]},"g[1][2]":null}}]}`, ""},
		{"strings and spaces in values", `{"seq":1,"ops":[{"op":"data","target":"p1","diff": { "x" : "}{,]\"[" , "a\"b":[ {"k":"]"} ] ,"c":true}}]}`, ""},
		{"escaped key is decoded", `{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"x":"}","a\u005b1048576]":1}}]}`, `invalid data path "a[1048576]"`},
		{"bad key after tricky values", `{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"x":"}{,]","y":[{"k":"]"},[]],"z":{},"bad..":1}}]}`, `invalid data path "bad.."`},
		{"no diff", `{"seq":1,"ops":[{"op":"show","page":"p1"},{"op":"unmount","pages":["p1"]}]}`, ""},
		{"index over the bound", `{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"a":1,"a0[1048576]":1}}]}`, `payload.ops[0].diff: invalid data path "a0[1048576]"`},
		{"too deep", `{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"` + "a" + strings.Repeat(".a", MaxPathDepth) + `":1}}]}`, "more than 64 parts"},
		{"bad grammar", `{"seq":1,"ops":[{"op":"show","page":"p1"},{"op":"data","target":"p1","diff":{"a..b":1}}]}`, `payload.ops[1].diff: invalid data path "a..b"`},
		{"diff not an object", `{"seq":1,"ops":[{"op":"data","target":"p1","diff":[1]}]}`, "not an object"},
		{"unknown op", `{"seq":1,"ops":[{"op":"eval","target":"p1"}]}`, `payload.ops[0].op: "eval" is not a render op`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Render
			if err := json.Unmarshal([]byte(tt.payload), &r); err != nil {
				t.Fatal(err)
			}
			err := CheckRender(&r)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// BenchmarkCheckRender: a push replacing a 1000-item list plus a few paths, as a logic
// child sends it (the paths are parsed, the values skipped).
func BenchmarkCheckRender(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"list":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"id":1,"title":"Task number 1","done":false,"tags":["a","b"]}`)
	}
	sb.WriteString(`],"a.b":1,"list[3].done":true}`)
	r := Render{Seq: 1, Ops: []RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(sb.String())}}}
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		if err := CheckRender(&r); err != nil {
			b.Fatal(err)
		}
	}
}

// forEachKey finds exactly the keys encoding/json finds, in any valid object.
func FuzzForEachKey(f *testing.F) {
	for _, seed := range []string{`{}`, `{"a":1}`, ` { "a" : [1, {"b":"}"}] , "c\"d" : "x,y" } `,
		`{"x":"}{,]","y":[{"k":"]"},[]],"z":{},"w":null,"v":-1.5e3,"u":true}`, `{"\u005b":"\\"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var want map[string]json.RawMessage
		if json.Unmarshal([]byte(in), &want) != nil || want == nil {
			return // only valid objects reach CheckRender
		}
		got := map[string]bool{}
		if err := forEachKey(json.RawMessage(in), func(k string) error { got[k] = true; return nil }); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: keys %v, want those of %v", in, got, want)
		}
		for k := range want {
			if !got[k] {
				t.Fatalf("%q: missed key %q", in, k)
			}
		}
	})
}
