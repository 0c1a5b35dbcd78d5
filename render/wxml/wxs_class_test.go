package wxml

import "testing"

func TestRenameClassVars(t *testing.T) {
	tests := []struct{ in, want string }{
		{"var class = 'a'; return class;", "var $lass = 'a'; return $lass;"},
		{"o.class + o . class", "o.class + o . class"},
		{"({class: 1, b: class})", "({class: 1, b: $lass})"},
		{`"class" + 'class' // class`, `"class" + 'class' // class`},
		{"/* class */ classes + myclass", "/* class */ classes + myclass"},
		{`'it\'s class' + class`, `'it\'s class' + $lass`},
		{"var class; var $lass;", "var class; var $lass;"}, // the stand-in is taken: left alone
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		renameClassVars(b)
		if string(b) != tt.want {
			t.Errorf("renameClassVars(%q) = %q, want %q", tt.in, b, tt.want)
		}
	}
}
