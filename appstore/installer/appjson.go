package installer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"

	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/perms"
)

// AppJSON is what the shell shows of an app before running it, from its app.json: the
// keys miniapp reads, plus a description and an icon where the app gives them.
type AppJSON struct {
	miniapp.AppConfig
	Description string `json:"description,omitempty"`
	Icon        string `json:"icon,omitempty"` // a picture in the app, for the launcher's tile
}

// maxAppJSON bounds the app.json read for display (the bundle reader bounds files too).
const maxAppJSON = 1 << 20

// ReadAppJSON reads app.json from an app's files for display. It checks nothing the
// launch does not check again; it only refuses what cannot be read as app.json.
func ReadAppJSON(fsys fs.FS) (*AppJSON, error) {
	f, err := fsys.Open("app.json")
	if err != nil {
		return nil, fmt.Errorf("app.json: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() > maxAppJSON {
		return nil, errors.New("app.json: not a regular file of at most 1 MiB")
	}
	raw, err := fs.ReadFile(fsys, "app.json")
	if err != nil {
		return nil, fmt.Errorf("app.json: %w", err)
	}
	var a AppJSON
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("app.json: %w", err)
	}
	return &a, nil
}

// DisplayName is the app's name for a person: app.json "name", else its id.
func (a *AppJSON) DisplayName(id string) string {
	if n := oneLine(a.Name, 100); n != "" {
		return n
	}
	return id
}

// Summary is the app's description on one line, cut at 300 characters.
func (a *AppJSON) Summary() string { return oneLine(a.Description, 300) }

// oneLine makes s safe to show as a label: control characters become spaces, runs of
// spaces one, and it is cut at max characters.
func oneLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

// Capability is one capability an app declares, as an install offer shows it.
type Capability struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

// Declared lists the capabilities app.json declares, by name, with their titles from
// the capability catalog (an unknown one is titled by its name: the launch refuses it).
func (a *AppJSON) Declared() []Capability {
	claims, _ := a.Claims() // WeChat's "permission" and "requiredPrivateInfos" included
	out := make([]Capability, 0, len(claims))
	for name, c := range claims {
		title := name
		if cp, ok := perms.Lookup(name); ok {
			title = cp.Title
		}
		out = append(out, Capability{Name: name, Title: title, Reason: oneLine(c.Reason, perms.MaxReasonRunes)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// IconPath is the picture to show for the app: app.json "icon", else the first tab's
// icon; "" when there is none or it points outside the app.
func (a *AppJSON) IconPath() string {
	ref := a.Icon
	if ref == "" && a.TabBar != nil {
		for _, it := range a.TabBar.List {
			if it.IconPath != "" {
				ref = it.IconPath
				break
			}
		}
	}
	if ref == "" {
		return ""
	}
	clean, ok := miniapp.BundlePath("", ref)
	if !ok {
		return ""
	}
	return clean
}
