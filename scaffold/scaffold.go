// Package scaffold writes new mini-app projects (`shell new NAME --template T`): each
// template runs in `shell dev` and passes `shell lint` as written. The typescript
// template also gets typings/sf.d.ts, Sandframe's own additions to wx (the sf object),
// generated from the host API registry (docs/apis.md) by SfTypings. docs/dev.md.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
	"unicode"
)

//go:embed all:templates
var templates embed.FS

// Templates are the templates' names, the default first.
var Templates = []string{"basic", "tabs", "component", "typescript"}

// Options name the project.
type Options struct {
	// Name is the project's folder name and, lower-cased, the last label of its id.
	Name     string
	Template string // one of Templates ("" = basic)
	// ID is the app's id (default "dev.local.NAME").
	ID string
}

// vars are what the templates fill in ([[.ID]]: WXML keeps {{ }} for itself).
type vars struct {
	ID, Title, Package string
}

var labelRe = regexp.MustCompile(`[^a-z0-9_-]+`)

// idLabel is name as one label of an app id: lower case, a-z 0-9 _ -.
func idLabel(name string) string {
	l := strings.Trim(labelRe.ReplaceAllString(strings.ToLower(name), "-"), "-_")
	if l == "" {
		return "app"
	}
	return l
}

// title is name as a person reads it: "my-app" → "My App".
func title(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' || r == '.' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	if len(words) == 0 {
		return "App"
	}
	return strings.Join(words, " ")
}

// Write creates the project in dir (which must not exist, or be empty) and returns the
// files it wrote, relative to dir.
func Write(dir string, o Options) ([]string, error) {
	if o.Template == "" {
		o.Template = "basic"
	}
	if !contains(Templates, o.Template) {
		return nil, fmt.Errorf("no template %q (have: %s)", o.Template, strings.Join(Templates, ", "))
	}
	if o.Name == "" {
		o.Name = filepath.Base(dir)
	}
	if o.ID == "" {
		o.ID = "dev.local." + idLabel(o.Name)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s exists and is not empty", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	v := vars{ID: o.ID, Title: title(o.Name), Package: idLabel(o.Name)}
	root := "templates/" + o.Template
	var wrote []string
	err := fs.WalkDir(templates, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := templates.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, root+"/")
		t, err := template.New(rel).Delims("[[", "]]").Option("missingkey=error").Parse(string(src))
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		var out bytes.Buffer
		if err := t.Execute(&out, v); err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		if err := writeFile(dir, rel, out.Bytes()); err != nil {
			return err
		}
		wrote = append(wrote, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if o.Template == "typescript" {
		if err := writeFile(dir, "typings/sf.d.ts", []byte(SfTypings())); err != nil {
			return nil, err
		}
		wrote = append(wrote, "typings/sf.d.ts")
	}
	sort.Strings(wrote)
	return wrote, nil
}

func writeFile(dir, rel string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
