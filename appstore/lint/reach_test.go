package lint

import (
	"strings"
	"testing"
)

// TestUnreachableSyntaxIsAWarning: a syntax error blocks only in a file the logic
// runtime loads (an entry, or required by a literal path from one); eval blocks
// everywhere.
func TestUnreachableSyntaxIsAWarning(t *testing.T) {
	app := map[string]string{
		"app.json":                       `{"pages": ["pages/index/index"], "usingComponents": {"c": "/comp/c"}}`,
		"app.js":                         `App({})`,
		"pages/index/index.js":           `var u = require('../../utils/used'); Page({})`,
		"pages/index/index.wxml":         `<view/>`,
		"comp/c.js":                      `import x from '../lib/esm'; Component({})`,
		"comp/c.json":                    `{"component": true}`,
		"comp/c.wxml":                    `<view/>`,
		"utils/used.js":                  `module.exports = require('./deep')`,
		"utils/deep.js":                  `module.exports = {`,
		"lib/esm.js":                     `export default (`,
		"utils/relationship.min.js":      `var a = /x/; }`,
		"utils/unused-eval.js":           `eval('1')`,
		"miniprogram_npm/pkg/broken.js":  `function (`,
		"pages/index/not-a-page-file.ts": `let x: = 1`,
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"reachable and unreachable", app, []string{
			"lib/esm.js:1:17 js/syntax error",
			"miniprogram_npm/pkg/broken.js:1:10 js/syntax warning",
			"pages/index/not-a-page-file.ts:1:8 js/syntax warning",
			"utils/deep.js:1:19 js/syntax error",
			"utils/relationship.min.js:1:15 js/syntax warning",
			"utils/unused-eval.js:1:1 js/eval error",
		}},
		{"no app.json: every file counts", map[string]string{"utils/x.js": `}`}, []string{
			"app.json:0:0 app/manifest error",
			"utils/x.js:1:2 js/syntax error",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings, err := Run(mapFS(tt.files), Config{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				if strings.HasPrefix(f.Rule, "js/syntax") || f.Rule == "js/eval" || f.Rule == "app/manifest" {
					got = append(got, brief([]Finding{f})...)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings\n got: %q\nwant: %q", got, tt.want)
			}
			for _, f := range findings {
				if f.Rule == "js/syntax" && f.Severity == SeverityWarning && !strings.Contains(f.Message, "runs without it") {
					t.Errorf("demoted finding does not say why: %s", f.Message)
				}
			}
		})
	}
}

func TestGBKScriptIsReadAsGB18030(t *testing.T) {
	files := map[string]string{
		"app.json": `{"pages": ["p"]}`,
		"app.js":   "App({})",
		// "// 页面" in GBK, then a URL the checks must still see.
		"p.js": "// \xd2\xb3\xc3\xe6\nPage({u: 'http://example.com/'})",
	}
	findings, err := Run(mapFS(files), Config{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(brief(findings), "\n")
	want := "p.js:1:1 js/encoding warning\np.js:2:10 js/url-domain warning"
	if got != want {
		t.Errorf("findings\n got: %s\nwant: %s", got, want)
	}
}
