package bridge

import (
	"bytes"
	"encoding/json"
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
		default:
			return fmt.Errorf("%s.op: %q is not a render op", at, truncate(op.Op, 32))
		}
	}
	return nil
}

// checkDiffPaths parses the keys of a diff object; the values are skipped unread.
func checkDiffPaths(diff json.RawMessage) error {
	if len(diff) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(diff))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("is not an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		path, _ := tok.(string)
		if _, err := ParsePath(path); err != nil {
			return err
		}
		if err := skipValue(dec); err != nil {
			return err
		}
	}
	return nil
}

// skipValue reads one JSON value from dec without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
