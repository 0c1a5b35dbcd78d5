package cssesc

import "testing"

func TestUnescape(t *testing.T) {
	cases := map[string]string{
		`plain`:              `plain`,
		`\68 ttp://x`:        `http://x`,
		`\68ttp`:             "http",
		`\000068\74tp`:       `http`,
		`a\"b`:               `a"b`,
		"a\\\nb":             `ab`,
		`\0`:                 "\uFFFD",
		`\D800 x`:            "\uFFFDx",
		`\110000`:            "\uFFFD",
		`\68` + "\t" + `ttp`: `http`,
		`trailing\`:          `trailing\`,
	}
	for in, want := range cases {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnquote(t *testing.T) {
	cases := map[string]string{
		`"a.wxss"`:     `a.wxss`,
		`'a.wxss'`:     `a.wxss`,
		`"unclosed`:    `unclosed`,
		`"\68ttp://x"`: `http://x`,
		`bare`:         `bare`,
		`"mixed'`:      `mixed'`,
	}
	for in, want := range cases {
		if got := Unquote(in); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}
