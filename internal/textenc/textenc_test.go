package textenc

import "testing"

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name    string
		src     []byte
		want    string
		wantEnc Encoding
		ok      bool
	}{
		{"utf8", []byte("页面 {color: red}"), "页面 {color: red}", UTF8, true},
		{"ascii", []byte("a{}"), "a{}", UTF8, true},
		// "计时器" in GBK.
		{"gbk", []byte("/* \xbc\xc6\xca\xb1\xc6\xf7 */ a{}"), "/* 计时器 */ a{}", GB18030, true},
		{"gbk truncated", []byte("a \xbc"), "", "", false},
		{"not gb18030", []byte("a \x80\xff b"), "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, ok := ToUTF8(tt.src)
			if ok != tt.ok || enc != tt.wantEnc || string(got) != tt.want {
				t.Errorf("ToUTF8(%q) = %q, %q, %v; want %q, %q, %v", tt.src, got, enc, ok, tt.want, tt.wantEnc, tt.ok)
			}
		})
	}
}
