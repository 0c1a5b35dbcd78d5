package logic

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxPathIndex bounds an array index in a data path: setting list[1e9] would make the
// render side allocate a billion-element array.
const MaxPathIndex = 1<<20 - 1

// PathSeg is one step of a WeChat data path: a key (a.b) or an array index (list[2]).
type PathSeg struct {
	Key     string
	Index   int
	IsIndex bool
}

// String renders the segment as it would appear after the first one: ".key" or "[i]".
func (s PathSeg) String() string {
	if s.IsIndex {
		return "[" + strconv.Itoa(s.Index) + "]"
	}
	return "." + s.Key
}

// ParsePath parses a setData key such as "a.b.c", "list[2].done" or "grid[1][3]".
// A key is any run of characters other than '.', '[' and ']'; an index is decimal
// digits without sign. The path must start with a key, and empty keys ("a..b", "a."),
// unclosed or empty brackets, and text glued after "]" ("a[1]b") are errors.
func ParsePath(p string) ([]PathSeg, error) {
	if p == "" {
		return nil, fmt.Errorf("invalid data path %q: empty", p)
	}
	bad := func(at int, why string) ([]PathSeg, error) {
		return nil, fmt.Errorf("invalid data path %q at offset %d: %s", p, at, why)
	}
	segs := make([]PathSeg, 0, strings.Count(p, ".")+strings.Count(p, "[")+1)
	i := 0
	expectKey := true // the path starts with a key; after "." another key must follow
	for i < len(p) {
		if expectKey {
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' && p[j] != ']' {
				j++
			}
			if j == i {
				return bad(i, "expected a field name")
			}
			segs = append(segs, PathSeg{Key: p[i:j]})
			i = j
			expectKey = false
			continue
		}
		switch p[i] {
		case '.':
			i++
			expectKey = true
			if i == len(p) {
				return bad(i, "expected a field name after '.'")
			}
		case '[':
			j := i + 1
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			if j == i+1 {
				return bad(i+1, "expected an array index (digits) after '['")
			}
			if j == len(p) || p[j] != ']' {
				return bad(j, "expected ']' after the array index")
			}
			n, err := strconv.Atoi(p[i+1 : j])
			if err != nil || n > MaxPathIndex {
				return bad(i+1, fmt.Sprintf("array index over %d", MaxPathIndex))
			}
			segs = append(segs, PathSeg{Index: n, IsIndex: true})
			i = j + 1
		default:
			return bad(i, fmt.Sprintf("unexpected %q; use '.' or '[' between parts", p[i]))
		}
	}
	return segs, nil
}
