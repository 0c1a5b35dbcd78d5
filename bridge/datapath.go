package bridge

import (
	"fmt"
	"strconv"
	"strings"
)

// Bounds on setData data paths, shared by logic (which refuses the call), the host
// (which checks what a logic child sends) and the render runtime (assets/runtime/path.js
// keeps the same numbers): a small push must not make the page allocate a huge tree.
const (
	// MaxPathIndex bounds an array index in a data path: setting list[1e9] would make
	// the render side allocate a billion-element array.
	MaxPathIndex = 1<<20 - 1
	// MaxPathDepth bounds the segments of one path ("a.b[0].c" has four): each missing
	// one becomes a new object or array on both sides.
	MaxPathDepth = 64
	// MaxIndexGap bounds how far past an array's current end a path may write: the
	// slots between are padded with null on the page (WeChat's setData pads the same
	// way), so "list[1048575]" on an empty list would be a million entries from 20
	// bytes of JSON.
	MaxIndexGap = 1024
)

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
// unclosed or empty brackets, text glued after "]" ("a[1]b"), an index over MaxPathIndex
// and more than MaxPathDepth parts are errors.
func ParsePath(p string) ([]PathSeg, error) {
	if p == "" {
		return nil, fmt.Errorf("invalid data path %q: empty", p)
	}
	bad := func(at int, why string) ([]PathSeg, error) {
		return nil, fmt.Errorf("invalid data path %q at offset %d: %s", p, at, why)
	}
	segs := make([]PathSeg, 0, min(strings.Count(p, ".")+strings.Count(p, "[")+1, MaxPathDepth))
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
			if len(segs) == MaxPathDepth {
				return bad(i, fmt.Sprintf("more than %d parts", MaxPathDepth))
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
			if len(segs) == MaxPathDepth {
				return bad(i, fmt.Sprintf("more than %d parts", MaxPathDepth))
			}
			segs = append(segs, PathSeg{Index: n, IsIndex: true})
			i = j + 1
		default:
			return bad(i, fmt.Sprintf("unexpected %q; use '.' or '[' between parts", p[i]))
		}
	}
	return segs, nil
}
