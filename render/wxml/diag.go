package wxml

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Diagnostic is a compile error or warning at a place in a file.
type Diagnostic struct {
	File      string
	Line, Col int // 1-based; 0 when the message is about the whole file
	Msg       string
}

// Error formats the diagnostic as "file:line:col: msg".
func (d Diagnostic) Error() string {
	switch {
	case d.Line == 0 && d.File == "":
		return d.Msg
	case d.Line == 0:
		return d.File + ": " + d.Msg
	case d.File == "":
		return fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg)
}

// source is one file's text with a line table, to turn byte offsets into line:col.
type source struct {
	name  string
	text  string
	lines []int             // byte offset where each line starts
	bom   int               // length of a leading byte order mark, not counted as a column
	wxs   map[string]string // WXS module names visible in this file → module key
	// warnf records a warning at an offset; nil outside a compilation (ParseExpr).
	warnf func(off int, format string, args ...any)

	// The last position computed: nodes come in file order, so counting on from it
	// keeps long single-line files linear.
	lastOff, lastLine, lastCol int
}

func newSource(name, text string) *source {
	s := &source{name: name, text: text, lines: []int{0}}
	if len(text) >= 3 && text[:3] == "\xef\xbb\xbf" {
		s.bom = 3
	}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// position returns the 1-based line and column (in characters) of byte offset off.
func (s *source) position(off int) (line, col int) {
	off = min(max(off, 0), len(s.text))
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	start := s.lines[i]
	if i == 0 {
		start = min(s.bom, off)
	}
	switch {
	case s.lastLine == i+1 && s.lastOff >= start && s.lastOff <= off:
		col = s.lastCol + utf8.RuneCountInString(s.text[s.lastOff:off])
	case s.lastLine == i+1 && s.lastOff >= start:
		col = s.lastCol - utf8.RuneCountInString(s.text[off:s.lastOff])
	default:
		col = utf8.RuneCountInString(s.text[start:off]) + 1
	}
	s.lastOff, s.lastLine, s.lastCol = off, i+1, col
	return i + 1, col
}

func (s *source) diag(off int, format string, args ...any) Diagnostic {
	line, col := s.position(off)
	return Diagnostic{File: s.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// bailout carries the first error out of the recursive parsers and compiler; it is
// recovered at the package's entry points and never escapes them.
type bailout struct{ d Diagnostic }

func (s *source) fail(off int, format string, args ...any) {
	panic(bailout{s.diag(off, format, args...)})
}

// recoverBailout turns a bailout panic into *err; other panics continue.
func recoverBailout(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.d
	}
}
