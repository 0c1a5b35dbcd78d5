// Package lint is the static analysis of a mini-app: its JavaScript checked on goja's
// AST, its WXML and WXSS scanned for script and remote loads, every file checked
// against the signed security definitions. It reads files and reports findings; it
// never runs anything. Decisions are in docs/lint.md.
package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/perms"
)

// Severity is how serious a finding is; policy (Blocking) says which severities stop
// pack, install or launch.
type Severity string

// Severities, most serious first.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

func (s Severity) valid() bool {
	return s == SeverityError || s == SeverityWarning || s == SeverityInfo
}

// Finding is one problem at one place. Line and Col are 1-based, Col counted in
// characters; both are 0 when the finding is about the whole file.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Message  string   `json:"message"`
}

// Config is what the checks need to know beyond the files.
type Config struct {
	// Domains is app.json network.domains; nil: read from the app.json in fsys.
	Domains []string
	// Declared holds the capabilities app.json declares; nil: read from app.json.
	Declared map[string]bool
	// Defs are the current security definitions; nil: no definition checks.
	Defs *Definitions
	// APIUses adds one RuleAPIUse finding (severity info) per wx.NAME / sf.NAME the
	// JavaScript reads, for reports of what an app calls (shell doctor).
	APIUses bool
}

// RuleAPIUse is the rule of the findings Config.APIUses asks for; the message is the
// API's path, "wx.getLocation". It is not a problem, so it is not in Rules.
const RuleAPIUse = "js/api-use"

// MaxFileBytes bounds the size of one file the checks read (the bundle reader bounds
// the whole); a larger file is a "file/too-large" finding and is not parsed.
const MaxFileBytes = 16 << 20

// Run checks every regular file of fsys: .js with the JavaScript rules, .wxml and .wxss
// with theirs, every file against cfg.Defs. Findings come sorted by file, line, column
// and rule. The error is for files that cannot be read at all; problems in their content
// are findings.
func Run(fsys fs.FS, cfg Config) ([]Finding, error) {
	r := &runner{fsys: fsys, defs: cfg.Defs, apiUses: cfg.APIUses, patterns: groupPatterns(cfg.Defs), malicious: maliciousSet(cfg.Defs)}
	var manifest []Finding
	if cfg.Domains == nil || cfg.Declared == nil {
		m, f := readManifest(fsys)
		manifest = f
		if cfg.Domains == nil {
			cfg.Domains = m.domains
		}
		if cfg.Declared == nil {
			cfg.Declared = m.declared
		}
	}
	r.domains = parseDomains(cfg.Domains)
	r.declared = cfg.Declared

	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("lint: walk %s: %w", p, err)
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil // directories are walked; symlinks and devices are not files of an app
	})
	if err != nil {
		return nil, err
	}

	results := make([][]Finding, len(files))
	errs := make([]error, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i], errs[i] = r.file(files[i])
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := manifest
	for _, fs := range results {
		out = append(out, fs...)
	}
	sortFindings(out)
	return out, nil
}

// runner holds what every file's checks share; it is read-only once Run starts them.
type runner struct {
	fsys      fs.FS
	domains   []domainRule
	declared  map[string]bool
	apiUses   bool
	defs      *Definitions
	patterns  map[string][]Pattern // cfg.Defs.BannedPatterns by kind
	malicious map[string]bool      // cfg.Defs.MaliciousSHA256, lower case
}

// file runs the checks that apply to one file.
func (r *runner) file(name string) ([]Finding, error) {
	f, err := r.fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("lint: open %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("lint: stat %s: %w", name, err)
	}
	if st.Size() > MaxFileBytes {
		return []Finding{{Rule: "file/too-large", Severity: SeverityError, File: name,
			Message: fmt.Sprintf("file is %d bytes, more than the %d the checks read: split it or move data out of code", st.Size(), MaxFileBytes)}}, nil
	}
	var buf bytes.Buffer
	buf.Grow(int(st.Size()))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("lint: read %s: %w", name, err)
	}
	src := buf.Bytes()
	if len(src) > MaxFileBytes {
		return []Finding{{Rule: "file/too-large", Severity: SeverityError, File: name,
			Message: fmt.Sprintf("file is more than the %d bytes the checks read: split it or move data out of code", MaxFileBytes)}}, nil
	}
	c := &fileCheck{runner: r, name: name, src: string(src)}
	if r.defs != nil {
		c.checkDigest(src)
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".ts":
		c.checkJS()
	case ".wxml":
		c.checkWXML()
	case ".wxss":
		c.checkWXSS()
	}
	return c.out, nil
}

// fileCheck is the state of checking one file.
type fileCheck struct {
	*runner
	name  string
	src   string
	lines *lines
	out   []Finding
}

// at adds a finding at byte offset off of the file's text.
func (c *fileCheck) at(off int, rule, format string, args ...any) {
	c.atSev(off, rule, ruleSeverity(rule), format, args...)
}

func (c *fileCheck) atSev(off int, rule string, sev Severity, format string, args ...any) {
	if c.lines == nil {
		c.lines = newLines(c.src)
	}
	line, col := c.lines.pos(off)
	c.out = append(c.out, Finding{Rule: rule, Severity: sev, File: c.name, Line: line, Col: col,
		Message: fmt.Sprintf(format, args...)})
}

// Blocking returns the findings whose severity is in block, in their order.
func Blocking(findings []Finding, block []Severity) []Finding {
	var out []Finding
	for _, f := range findings {
		for _, s := range block {
			if f.Severity == s {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Rule < b.Rule
	})
}

// manifest is what the checks take from app.json.
type manifest struct {
	domains  []string
	declared map[string]bool
}

// readManifest reads app.json for the declared domains and capabilities. A missing or
// malformed app.json is a finding; the checks then go on as if nothing were declared.
func readManifest(fsys fs.FS) (manifest, []Finding) {
	m := manifest{domains: []string{}, declared: map[string]bool{}}
	raw, err := fs.ReadFile(fsys, "app.json")
	if err != nil {
		return m, []Finding{{Rule: "app/manifest", Severity: SeverityError, File: "app.json",
			Message: "app.json cannot be read (" + errText(err) + "): every mini-app needs one; checks ran as if it declared no capabilities and no domains"}}
	}
	var doc struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
		Network      *struct {
			Domains []string `json:"domains"`
		} `json:"network"`
		Permission map[string]struct {
			Desc string `json:"desc"`
		} `json:"permission"`
		RequiredPrivateInfos []string `json:"requiredPrivateInfos"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		f := Finding{Rule: "app/manifest", Severity: SeverityError, File: "app.json",
			Message: "app.json is not valid: " + err.Error() + "; checks ran as if it declared no capabilities and no domains"}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		off := int64(-1)
		if errors.As(err, &se) {
			off = se.Offset - 1
		} else if errors.As(err, &te) {
			off = te.Offset - 1
		}
		if off >= 0 {
			f.Line, f.Col = newLines(string(raw)).pos(int(off))
		}
		return m, []Finding{f}
	}
	for name := range doc.Capabilities {
		m.declared[name] = true
	}
	// WeChat's own declarations count too (perms.WeChatClaims).
	desc := make(map[string]string, len(doc.Permission))
	for scope, p := range doc.Permission {
		desc[scope] = p.Desc
	}
	wechat, _ := perms.WeChatClaims(desc, doc.RequiredPrivateInfos)
	for name := range wechat {
		m.declared[name] = true
	}
	if doc.Network != nil {
		m.domains = doc.Network.Domains
	}
	return m, nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
