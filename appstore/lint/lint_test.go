package lint

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func brief(findings []Finding) []string {
	var out []string
	for _, f := range findings {
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Col, f.Rule, f.Severity))
	}
	return out
}

func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if !r.Severity.valid() || r.Description == "" || !strings.Contains(r.ID, "/") {
			t.Errorf("rule %+v incomplete", r)
		}
	}
	rs := Rules()
	rs[0].ID = "changed"
	if Rules()[0].ID == "changed" {
		t.Error("Rules returns the package's own slice")
	}
}

func TestBlocking(t *testing.T) {
	fs := []Finding{{Rule: "a", Severity: SeverityError}, {Rule: "b", Severity: SeverityWarning}, {Rule: "c", Severity: SeverityInfo}, {Rule: "d", Severity: SeverityError}}
	tests := []struct {
		block []Severity
		want  string
	}{
		{nil, ""},
		{[]Severity{SeverityError}, "a d"},
		{[]Severity{SeverityError, SeverityWarning}, "a b d"},
		{[]Severity{SeverityInfo}, "c"},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range Blocking(fs, tt.block) {
			got = append(got, f.Rule)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("Blocking(%v) = %v, want %s", tt.block, got, tt.want)
		}
	}
}

func TestManifest(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   Config
		want  string
	}{
		{"missing app.json", map[string]string{"a.js": "wx.getLocation()"}, Config{},
			"a.js:1:4 js/capability warning\napp.json:0:0 app/manifest error"},
		{"given config: app.json not read", map[string]string{"a.js": "wx.getLocation()"},
			Config{Domains: []string{}, Declared: map[string]bool{"location:read": true}}, ""},
		{"declared in app.json", map[string]string{"app.json": `{"capabilities": {"location:read": {"reason": "r"}}}`, "a.js": "wx.getLocation()"},
			Config{}, ""},
		{"domains from config, capabilities from app.json",
			map[string]string{"app.json": `{"network": {"domains": ["a.example.com"]}}`, "a.js": "var u = 'https://a.example.com/'"},
			Config{Domains: []string{"b.example.com"}}, "a.js:1:9 js/url-domain warning"},
		{"wrong type", map[string]string{"app.json": "{\"network\": {\"domains\": \"x\"}}"}, Config{},
			"app.json:1:27 app/manifest error"}, // where decoding stopped: after the value
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Run(mapFS(tt.files), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(brief(got), "\n"); s != tt.want {
				t.Errorf("findings:\n%s\nwant:\n%s", s, tt.want)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("a", MaxFileBytes+1)
	got, err := Run(mapFS(map[string]string{"big.js": big, "ok.js": "var a = 1"}), Config{Domains: []string{}, Declared: map[string]bool{}})
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(brief(got), "\n"); s != "big.js:0:0 file/too-large error" {
		t.Errorf("findings: %s", s)
	}
}

// Hostile input: deep nesting and long lines neither crash nor hang the checks.
func TestHostileInputs(t *testing.T) {
	n := 20000
	files := map[string]string{
		"deep.js":     "var a = " + strings.Repeat("[", n) + strings.Repeat("]", n),
		"deepfn.js":   strings.Repeat("(function(){", n/4) + strings.Repeat("})()", n/4),
		"deep.wxml":   strings.Repeat("<view>", n) + strings.Repeat("</view>", n),
		"deep.wxss":   strings.Repeat("a{", n),
		"quotes.wxml": "<view class=\"" + strings.Repeat("{{", n),
		"line.js":     "var s = '" + strings.Repeat("https://x.example.com ", n) + "'",
		// each of these crashes the process (stack) or takes minutes in goja's parser
		// without the guard
		"brackets.js": "var a = " + strings.Repeat("[", 200000),
		"labels.js":   strings.Repeat("x:", 1000000) + "1",
		"arrows.js":   strings.Repeat("a=>", 100000) + "1",
		"template.js": strings.Repeat("`${", 200000),
		"assign.js":   strings.Repeat("a=", 3000000) + "1",
	}
	got, err := Run(mapFS(files), Config{Domains: []string{}, Declared: map[string]bool{}})
	if err != nil {
		t.Fatal(err)
	}
	tooComplex := map[string]bool{}
	for _, f := range ofRule(got, "js/too-complex") {
		tooComplex[f.File] = true
	}
	for _, name := range []string{"brackets.js", "labels.js", "arrows.js", "template.js", "assign.js", "deep.js", "deepfn.js"} {
		if !tooComplex[name] {
			t.Errorf("%s: no js/too-complex finding", name)
		}
	}
}

func TestAPIUses(t *testing.T) {
	fsys := fstest.MapFS{
		"app.json": {Data: []byte(`{"pages":[]}`)},
		"a.js":     {Data: []byte("wx.showToast({});\nconst {getLocation} = sf;\n")},
		"b.ts":     {Data: []byte("const n: number = 1;\nwx.vibrateShort();\n")},
	}
	plain, err := Run(fsys, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plain {
		if f.Rule == RuleAPIUse {
			t.Fatalf("API uses reported without Config.APIUses: %+v", f)
		}
	}
	all, err := Run(fsys, Config{APIUses: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range all {
		if f.Rule == RuleAPIUse {
			got = append(got, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Col, f.Message))
		}
	}
	want := "a.js:1:4 wx.showToast,a.js:2:8 sf.getLocation,b.ts:2:4 wx.vibrateShort"
	if strings.Join(got, ",") != want {
		t.Errorf("API uses = %s, want %s", strings.Join(got, ","), want)
	}
}
