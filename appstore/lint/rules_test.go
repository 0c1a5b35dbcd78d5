package lint

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata expect.txt and golden files from the current output")

// fixtureConfig is the Config a fixture directory is checked with: app.json is read
// when the fixture has one (else nothing is declared), and defs.json, when present,
// holds the security definitions (plain JSON: signing is tested in defs_test.go).
func fixtureConfig(t *testing.T, dir string) Config {
	t.Helper()
	var cfg Config
	if _, err := os.Stat(filepath.Join(dir, "app.json")); err != nil {
		cfg.Domains, cfg.Declared = []string{}, map[string]bool{}
	}
	if raw, err := os.ReadFile(filepath.Join(dir, "defs.json")); err == nil {
		var d Definitions
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s/defs.json: %v", dir, err)
		}
		cd, err := canonical(d)
		if err != nil {
			t.Fatalf("%s/defs.json: %v", dir, err)
		}
		cfg.Defs = &cd
	}
	return cfg
}

func ofRule(findings []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestRuleFixtures runs every rule on testdata/<rule>/bad, whose expect.txt lists the
// exact findings of that rule ("file:line:col severity"), and on testdata/<rule>/good,
// which must give none.
func TestRuleFixtures(t *testing.T) {
	for _, r := range Rules() {
		if r.ID == "file/too-large" {
			continue // TestTooLarge: a 16 MiB fixture does not belong in the repository
		}
		t.Run(r.ID, func(t *testing.T) {
			base := filepath.Join("testdata", filepath.FromSlash(r.ID))
			for _, kind := range []string{"bad", "good"} {
				dir := filepath.Join(base, kind)
				if _, err := os.Stat(dir); err != nil {
					t.Fatalf("rule %s has no fixture %s", r.ID, dir)
				}
				findings, err := Run(os.DirFS(dir), fixtureConfig(t, dir))
				if err != nil {
					t.Fatal(err)
				}
				got := ofRule(findings, r.ID)
				for _, f := range got {
					if f.Message == "" {
						t.Errorf("%s: empty message", f.File)
					}
					if r.ID != "defs/banned" && f.Severity != r.Severity {
						t.Errorf("%s:%d:%d: severity %s, rule says %s", f.File, f.Line, f.Col, f.Severity, r.Severity)
					}
				}
				if kind == "good" {
					for _, f := range got {
						t.Errorf("good fixture gave %s:%d:%d: %s %s: %s", f.File, f.Line, f.Col, f.Severity, f.Rule, f.Message)
					}
					continue
				}
				var lines []string
				for _, f := range got {
					lines = append(lines, fmt.Sprintf("%s:%d:%d %s", f.File, f.Line, f.Col, f.Severity))
				}
				text := strings.Join(lines, "\n") + "\n"
				expectFile := filepath.Join(dir, "expect.txt")
				if *update {
					if err := os.WriteFile(expectFile, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(expectFile)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					t.Errorf("bad fixture gave no %s finding", r.ID)
				}
				if string(want) != text {
					t.Errorf("%s findings:\n%s\nwant:\n%s\nall findings:\n%s", r.ID, text, want, dump(findings))
				}
			}
		})
	}
}

func dump(findings []Finding) string {
	var b strings.Builder
	_ = WriteText(&b, findings)
	return b.String()
}

// Every rule directory in testdata is a rule the package knows (a renamed rule leaves
// no orphaned fixtures behind).
func TestFixturesNameRules(t *testing.T) {
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || (d.Name() != "bad" && d.Name() != "good") {
			return err
		}
		rule := filepath.ToSlash(strings.TrimPrefix(filepath.Dir(p), "testdata"+string(filepath.Separator)))
		if !slices.Contains(ids, rule) {
			t.Errorf("%s: no rule %q", p, rule)
		}
		return filepath.SkipDir
	})
	if err != nil {
		t.Fatal(err)
	}
}
