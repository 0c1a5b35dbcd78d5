// Package bundled holds the signed bundles shipped inside the shell binary and the
// public key of the built-in publisher that signed them. They are verified like any
// downloaded bundle before they are installed: shipping inside the binary earns no trust.
//
// The files are made by `go generate ./assets/bundled`, which packs examples/ with a key
// made for the purpose and thrown away (or with -key, a release key), so nobody holds a
// key that could sign as the built-in publisher in a development build.
package bundled

//go:generate go run ./gen

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed publisher.pub apps
var files embed.FS

// PublisherKey is the built-in publisher's public key, in bundle.EncodePublicKey's text
// form.
func PublisherKey() string {
	raw, _ := files.ReadFile("publisher.pub")
	return strings.TrimSpace(string(raw))
}

// App is one shipped bundle.
type App struct {
	Name string // file name, e.g. "todo.sfa"
	Data []byte
}

// Apps lists the shipped bundles by name.
func Apps() []App {
	entries, _ := fs.ReadDir(files, "apps")
	var out []App
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sfa" {
			continue
		}
		raw, err := files.ReadFile("apps/" + e.Name())
		if err == nil {
			out = append(out, App{Name: e.Name(), Data: raw})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
