package bridge

import (
	"reflect"
	"strings"
	"testing"
)

func deep(n int) []PathSeg {
	out := make([]PathSeg, n)
	for i := range out {
		out[i] = PathSeg{Key: "a"}
	}
	return out
}

func TestParsePath(t *testing.T) {
	k := func(s string) PathSeg { return PathSeg{Key: s} }
	i := func(n int) PathSeg { return PathSeg{Index: n, IsIndex: true} }
	tests := []struct {
		in      string
		want    []PathSeg
		wantErr string
	}{
		{"a", []PathSeg{k("a")}, ""},
		{"a.b.c", []PathSeg{k("a"), k("b"), k("c")}, ""},
		{"list[2].done", []PathSeg{k("list"), i(2), k("done")}, ""},
		{"grid[1][30]", []PathSeg{k("grid"), i(1), i(30)}, ""},
		{"a-b.c_d$", []PathSeg{k("a-b"), k("c_d$")}, ""},
		{"数据.名", []PathSeg{k("数据"), k("名")}, ""},
		{"list[1048575]", []PathSeg{k("list"), i(MaxPathIndex)}, ""},
		{"", nil, "empty"},
		{"a..b", nil, "offset 2: expected a field name"},
		{".a", nil, "offset 0: expected a field name"},
		{"a.", nil, "after '.'"},
		{"[0]", nil, "expected a field name"},
		{"a[", nil, "expected an array index"},
		{"a[]", nil, "expected an array index"},
		{"a[-1]", nil, "expected an array index"},
		{"a[1", nil, "expected ']'"},
		{"a[1x]", nil, "expected ']'"},
		{"a[1]b", nil, "unexpected 'b'"},
		{"a]", nil, "unexpected ']'"},
		{"list[1048576]", nil, "array index over"},
		{"list[99999999999999999999]", nil, "array index over"},
		{"a" + strings.Repeat(".a", MaxPathDepth-1), deep(MaxPathDepth), ""},
		{"a" + strings.Repeat(".a", MaxPathDepth), nil, "more than 64 parts"},
		{"a" + strings.Repeat("[0]", MaxPathDepth), nil, "more than 64 parts"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePath(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParsePath(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParsePath(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			// Segments print back to the path.
			var b strings.Builder
			b.WriteString(got[0].Key)
			for _, s := range got[1:] {
				b.WriteString(s.String())
			}
			if b.String() != tt.in {
				t.Errorf("round trip = %q", b.String())
			}
		})
	}
}
