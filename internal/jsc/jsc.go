// Package jsc compiles the sources developers write (ES modules, TypeScript, syntax newer
// than goja reads) into the CommonJS the logic runtime loads, with esbuild's Transform:
// one file at a time, no bundling, no file system. It runs where an app is compiled (the
// logic runtime's module loader, which caches by content, and the linter), never in the
// page.
package jsc

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Version changes whenever the output for the same input may change (esbuild upgrade,
// options): caches keyed by source include it.
const Version = "esbuild-0.28.2/es2022-goja/1"

// Output is one compiled file.
type Output struct {
	Code string
	// Map is the source map (version 3) of Code back to the original file; its single
	// source is the file's base name, so that it resolves next to the file.
	Map []byte
}

// Error is a compile error at a position of the original file.
type Error struct {
	File      string
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: SyntaxError: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: SyntaxError: %s", e.File, e.Msg)
}

// IsTypeScript reports whether file is compiled as TypeScript.
func IsTypeScript(file string) bool { return strings.HasSuffix(file, ".ts") }

// unsupported are the features goja (v0.0.0-20260917113740) does not parse although
// ES2022 has them; esbuild lowers them. Checked by running each form through goja.
var unsupported = map[string]bool{
	"async-generator": false,
	"for-await":       false,
}

// Transform compiles src (the contents of file, a bundle path) to CommonJS that goja
// runs. TypeScript is chosen by the .ts extension.
func Transform(file string, src []byte) (Output, error) {
	loader := api.LoaderJS
	if IsTypeScript(file) {
		loader = api.LoaderTS
	}
	res := api.Transform(string(src), api.TransformOptions{
		Sourcefile:     path.Base(file),
		Loader:         loader,
		Format:         api.FormatCommonJS,
		Platform:       api.PlatformNeutral,
		Target:         api.ES2022,
		Supported:      unsupported,
		Sourcemap:      api.SourceMapExternal,
		SourcesContent: api.SourcesContentExclude,
		LegalComments:  api.LegalCommentsNone,
		LogLevel:       api.LogLevelSilent,
		Charset:        api.CharsetUTF8,
	})
	if len(res.Errors) > 0 {
		m := res.Errors[0]
		e := &Error{File: file, Msg: m.Text}
		if m.Location != nil {
			// esbuild's columns count UTF-8 bytes; editors and goja count characters.
			e.Line, e.Col = m.Location.Line, runeColumn(m.Location.LineText, m.Location.Column)+1
		}
		return Output{}, e
	}
	return Output{Code: string(res.Code), Map: res.Map}, nil
}

func runeColumn(line string, byteCol int) int {
	if byteCol > len(line) {
		return byteCol
	}
	return len([]rune(line[:byteCol]))
}

// ForGoja adapts a source map for goja's parser: the generated lines move down by n
// (for code placed after n lines of a wrapper: each empty line is one ";" at the start
// of the mappings), and both columns become 1-based, because goja looks the map up
// with its own 1-based column and reports the map's column as it is. Generated
// columns restart on every line (its first segment is absolute); source columns are
// delta-encoded through the whole mappings string, so adding 1 to the first shifts all.
func ForGoja(m []byte, n int) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(m, &doc); err != nil {
		return nil, fmt.Errorf("source map: %w", err)
	}
	mappings, _ := doc["mappings"].(string)
	shifted, err := bumpFirstSourceColumn(mappings)
	if err == nil {
		shifted, err = bumpGeneratedColumns(shifted)
	}
	if err != nil {
		return nil, fmt.Errorf("source map: %w", err)
	}
	doc["mappings"] = strings.Repeat(";", n) + shifted
	return json.Marshal(doc)
}

// bumpGeneratedColumns adds 1 to the generated column of each line's first segment.
func bumpGeneratedColumns(mappings string) (string, error) {
	lines := strings.Split(mappings, ";")
	for i, line := range lines {
		if line == "" {
			continue
		}
		first, rest, _ := strings.Cut(line, ",")
		fields, err := decodeVLQ(first)
		if err != nil {
			return "", err
		}
		if len(fields) == 0 {
			continue
		}
		fields[0]++
		var b strings.Builder
		for _, f := range fields {
			encodeVLQ(&b, f)
		}
		if rest != "" || strings.Contains(line, ",") {
			b.WriteByte(',')
			b.WriteString(rest)
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, ";"), nil
}

const vlqDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// bumpFirstSourceColumn adds 1 to the source column of the first segment that has one.
func bumpFirstSourceColumn(mappings string) (string, error) {
	start := 0
	for start < len(mappings) {
		end := start
		for end < len(mappings) && mappings[end] != ',' && mappings[end] != ';' {
			end++
		}
		if end > start {
			fields, err := decodeVLQ(mappings[start:end])
			if err != nil {
				return "", err
			}
			if len(fields) >= 4 {
				fields[3]++
				var b strings.Builder
				for _, f := range fields {
					encodeVLQ(&b, f)
				}
				return mappings[:start] + b.String() + mappings[end:], nil
			}
		}
		start = end + 1
	}
	return mappings, nil
}

func decodeVLQ(seg string) ([]int, error) {
	var out []int
	v, shift := 0, 0
	for i := 0; i < len(seg); i++ {
		d := strings.IndexByte(vlqDigits, seg[i])
		if d < 0 {
			return nil, fmt.Errorf("bad mapping character %q", seg[i])
		}
		v += (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		if v&1 != 0 {
			out = append(out, -(v >> 1))
		} else {
			out = append(out, v>>1)
		}
		v, shift = 0, 0
	}
	return out, nil
}

func encodeVLQ(b *strings.Builder, n int) {
	v := n << 1
	if n < 0 {
		v = (-n << 1) | 1
	}
	for {
		d := v & 31
		v >>= 5
		if v > 0 {
			d |= 32
		}
		b.WriteByte(vlqDigits[d])
		if v == 0 {
			return
		}
	}
}
