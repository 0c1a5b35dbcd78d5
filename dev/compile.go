package dev

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/jsc"
)

// CompileError is why a change was not applied: the file, line and column (0 when
// unknown) and the compiler's words. The last good version keeps running.
type CompileError struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Message   string `json:"message"`
	Text      string `json:"text"` // the whole error as the terminal shows it
	Restarted bool   `json:"restarted,omitempty"`
}

func (e *CompileError) Error() string { return e.Text }

// filePos finds "FILE:LINE:COL" (or "FILE:LINE") in an error's text.
var filePos = regexp.MustCompile(`([A-Za-z0-9_\-./@]+\.(?:wxml|wxss|wxs|js|ts|json)):(\d+)(?::(\d+))?`)

// compileError describes err, naming the file it points at.
func compileError(err error) *CompileError {
	ce := &CompileError{Text: err.Error(), Message: err.Error()}
	var je *jsc.Error
	if errors.As(err, &je) {
		ce.File, ce.Line, ce.Col, ce.Message = je.File, je.Line, je.Col, je.Msg
		return ce
	}
	if m := filePos.FindStringSubmatchIndex(ce.Text); m != nil {
		ce.File = ce.Text[m[2]:m[3]]
		ce.Line, _ = strconv.Atoi(ce.Text[m[4]:m[5]])
		if m[6] >= 0 {
			ce.Col, _ = strconv.Atoi(ce.Text[m[6]:m[7]])
		}
		ce.Message = strings.TrimLeft(ce.Text[m[1]:], ": ")
		if ce.Message == "" {
			ce.Message = ce.Text
		}
	}
	return ce
}

// loadApp compiles the project at dir as `shell run` would, and also compiles every
// script (JS and TypeScript): a syntax error is caught here, with its file, line and
// column, before the running version is stopped.
func loadApp(dir string) (*host.App, error) {
	app, err := host.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if err := checkScripts(dir); err != nil {
		return nil, err
	}
	return app, nil
}

func checkScripts(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !(strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".ts")) || strings.HasSuffix(name, ".d.ts") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if _, err := jsc.Transform(filepath.ToSlash(rel), src); err != nil {
			return err
		}
		return nil
	})
}

// overlayText is the compile error as the simulator's overlay shows it.
func overlayText(ce *CompileError) string {
	var b strings.Builder
	b.WriteString("Compile error — the last good version keeps running\n\n")
	if ce.File != "" {
		fmt.Fprintf(&b, "%s:%d:%d\n", ce.File, ce.Line, ce.Col)
	}
	b.WriteString(ce.Message)
	b.WriteString("\n\nSave a fix and the app reloads. (Click to hide.)")
	return b.String()
}
