package lint

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes one line per finding, "file:line:col: severity rule: message"
// (compilers' format, which editors link), then a summary line.
func WriteText(w io.Writer, findings []Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range findings {
		if f.Line > 0 {
			fmt.Fprintf(bw, "%s:%d:%d: %s %s: %s\n", f.File, f.Line, f.Col, f.Severity, f.Rule, f.Message)
		} else {
			fmt.Fprintf(bw, "%s: %s %s: %s\n", f.File, f.Severity, f.Rule, f.Message)
		}
	}
	c := count(findings)
	if len(findings) == 0 {
		fmt.Fprintln(bw, "no findings")
	} else {
		fmt.Fprintf(bw, "%s, %s, %s\n", plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Infos, "info"))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("lint: write text: %w", err)
	}
	return nil
}

// Counts are the number of findings of each severity.
type Counts struct {
	Errors   int `json:"error"`
	Warnings int `json:"warning"`
	Infos    int `json:"info"`
}

func count(findings []Finding) Counts {
	var c Counts
	for _, f := range findings {
		switch f.Severity {
		case SeverityError:
			c.Errors++
		case SeverityWarning:
			c.Warnings++
		case SeverityInfo:
			c.Infos++
		}
	}
	return c
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// report is the JSON document: {"findings": [...], "counts": {...}}.
type report struct {
	Findings []Finding `json:"findings"`
	Counts   Counts    `json:"counts"`
}

// WriteJSON writes {"findings": [...], "counts": {"error": n, "warning": n, "info": n}},
// indented, findings never null.
func WriteJSON(w io.Writer, findings []Finding) error {
	if findings == nil {
		findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(report{Findings: findings, Counts: count(findings)}); err != nil {
		return fmt.Errorf("lint: write json: %w", err)
	}
	return nil
}
