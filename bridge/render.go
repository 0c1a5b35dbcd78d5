package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// CheckRender checks a render push before it reaches a page: known ops, and every data
// path of a data op within the grammar and bounds of ParsePath (index, depth). Logic
// refuses such paths in setData already; this is the check for a push that comes from
// a logic child process, which the host does not trust to have run it. The page's
// runtime bounds the padding that depends on its arrays' lengths (MaxIndexGap).
func CheckRender(r *Render) error {
	for i, op := range r.Ops {
		at := "payload.ops[" + strconv.Itoa(i) + "]"
		switch op.Op {
		case "mount", "show", "unmount":
		case "data":
			if err := checkDiffPaths(op.Diff); err != nil {
				return fmt.Errorf("%s.diff: %w", at, err)
			}
		case "canvas":
			if err := CheckCanvasDraw(op.Canvas); err != nil {
				return fmt.Errorf("%s.canvas: %w", at, err)
			}
		case "media":
			if err := checkMediaOp(op); err != nil {
				return fmt.Errorf("%s.%w", at, err)
			}
		default:
			return fmt.Errorf("%s.op: %q is not a render op", at, truncate(op.Op, 32))
		}
	}
	return nil
}

// checkDiffPaths parses the keys of a diff object. The values are skipped byte by byte
// without decoding: the push is valid JSON already (it was decoded into Render), and a
// token decoder would cost ≈100x more on a large list (BenchmarkCheckRender).
func checkDiffPaths(diff json.RawMessage) error {
	return forEachKey(diff, func(path string) error {
		_, err := ParsePath(path)
		return err
	})
}

// forEachKey calls fn with each key of the JSON object diff, in order, skipping values.
func forEachKey(diff json.RawMessage, fn func(string) error) error {
	b := bytes.TrimSpace(diff)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] != '{' {
		return errors.New("is not an object")
	}
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != '}' {
		if b[i] != '"' {
			return fmt.Errorf("malformed object at offset %d", i)
		}
		end := skipString(b, i)
		if end < 0 {
			return errors.New("unterminated key")
		}
		var path string
		if err := json.Unmarshal(b[i:end], &path); err != nil {
			return fmt.Errorf("key at offset %d: %w", i, err)
		}
		if err := fn(path); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return fmt.Errorf("malformed object at offset %d", i)
		}
		i = skipValue(b, skipSpace(b, i+1))
		if i < 0 {
			return errors.New("malformed value")
		}
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the JSON string starting at b[i] == '"', or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset after the JSON value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i = skipString(b, i)
			if i < 0 {
				return -1
			}
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	if depth == 0 {
		return i
	}
	return -1
}
