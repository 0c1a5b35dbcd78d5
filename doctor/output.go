package doctor

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes the report for a person: items by level, those of one kind, name and
// message together with their places ("file:line:col", which editors link), then a
// summary line.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, level := range []Level{Blocking, Unsupported, Partly} {
		groups, order := group(r.Items, level)
		if len(order) == 0 {
			continue
		}
		fmt.Fprintf(bw, "%s:\n", heading[level])
		for _, k := range order {
			g := groups[k]
			first := g[0]
			what := first.Message
			if first.Name != "" {
				what = first.Name + ": " + what
			}
			if len(g) == 1 {
				fmt.Fprintf(bw, "  %s: [%s] %s\n", place(first), first.Kind, what)
				continue
			}
			fmt.Fprintf(bw, "  [%s] %s (%d places)\n", first.Kind, what, len(g))
			for _, it := range g {
				fmt.Fprintf(bw, "      %s\n", place(it))
			}
		}
	}
	verdict := "runs"
	if !r.Runs {
		verdict = "does not run"
	}
	fmt.Fprintf(bw, "%s: %d blocking, %d unsupported, %d partly\n", verdict, r.Counts.Blocking, r.Counts.Unsupported, r.Counts.Partly)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("doctor: write text: %w", err)
	}
	return nil
}

var heading = map[Level]string{
	Blocking:    "Blocking (the shell refuses to launch the app)",
	Unsupported: "Unsupported (the app runs without it)",
	Partly:      "Partly supported (the app runs; it may look or behave differently)",
}

// group gathers the items of one level by kind, name and message, in report order.
func group(items []Item, level Level) (map[string][]Item, []string) {
	groups := map[string][]Item{}
	var order []string
	for _, it := range items {
		if it.Level != level {
			continue
		}
		k := it.Kind + "\x00" + it.Name + "\x00" + it.Message
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it)
	}
	return groups, order
}

func place(it Item) string {
	if it.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", it.File, it.Line, it.Col)
	}
	return it.File
}

// WriteJSON writes the report as one indented JSON document (docs/doctor.md):
// {"runs": bool, "items": [{level, kind, name, file, line, col, message}], "counts": {...}}.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("doctor: write json: %w", err)
	}
	return nil
}
