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
