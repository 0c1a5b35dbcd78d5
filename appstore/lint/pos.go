package lint

import (
	"sort"
	"unicode/utf8"
)

// lines turns byte offsets of one file into 1-based line and column numbers, columns
// counted in characters (as render/wxml and render/wxss count them), a leading byte
// order mark not counted.
type lines struct {
	text  string
	start []int // byte offset where each line begins
	bom   int
}

func newLines(text string) *lines {
	l := &lines{text: text, start: []int{0}}
	if len(text) >= 3 && text[:3] == "\xef\xbb\xbf" {
		l.bom = 3
	}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	return l
}

// pos returns the line and column of byte offset off (clamped to the text).
func (l *lines) pos(off int) (line, col int) {
	off = min(max(off, 0), len(l.text))
	i := sort.Search(len(l.start), func(i int) bool { return l.start[i] > off }) - 1
	s := l.start[i]
	if i == 0 {
		s = min(l.bom, off)
	}
	return i + 1, utf8.RuneCountInString(l.text[s:off]) + 1
}

// offset is the inverse for a 1-based line and a 1-based column counted in bytes (what
// goja's parser reports for syntax errors).
func (l *lines) offset(line, byteCol int) int {
	if line < 1 {
		return 0
	}
	if line > len(l.start) {
		return len(l.text)
	}
	return min(l.start[line-1]+max(byteCol-1, 0), len(l.text))
}
