package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// ErrSubpackage is wrapped by every refusal of a subpackage bundle against its core
// (CheckSubpackage) and of app.json's subpackage list (PackSet).
var ErrSubpackage = errors.New("subpackage does not belong to the app")

// Set is an app packed as a core bundle and one bundle per subpackage.
type Set struct {
	Core     []byte    // the core bundle: app.json, the main package, and the subpackages' digests
	Manifest *Manifest // the core's manifest
	Subs     []SubBundle
}

// SubBundle is one subpackage's bundle.
type SubBundle struct {
	Root     string
	Data     []byte
	Manifest *Manifest
}

// AppSubpackage is one entry of app.json "subpackages" (or "subPackages").
type AppSubpackage struct {
	Root        string
	Independent bool
}

// ReadSubpackages returns app.json's subpackage roots ("subpackages" or its alias
// "subPackages", which WeChat treats alike), without slashes at either end; nil when the
// app has none. A root that is empty, repeated, nested in another or not a valid bundle
// path is an error.
func ReadSubpackages(appJSON []byte) ([]AppSubpackage, error) {
	type entry struct {
		Root        string `json:"root"`
		Independent bool   `json:"independent"`
	}
	var app struct {
		Lower []entry `json:"subpackages"`
		Upper []entry `json:"subPackages"`
	}
	if err := json.Unmarshal(appJSON, &app); err != nil {
		return nil, fmt.Errorf("%w: app.json: %v", ErrSubpackage, err)
	}
	list := app.Lower
	if len(list) == 0 {
		list = app.Upper
	} else if len(app.Upper) > 0 {
		return nil, fmt.Errorf("%w: app.json has both \"subpackages\" and \"subPackages\"", ErrSubpackage)
	}
	var out []AppSubpackage
	for i, e := range list {
		root := strings.Trim(strings.TrimPrefix(e.Root, "./"), "/")
		if err := CheckPath(root); err != nil {
			return nil, fmt.Errorf("%w: app.json subpackages[%d].root %q: %v", ErrSubpackage, i, e.Root, err)
		}
		for _, o := range out {
			if FoldPath(o.Root) == FoldPath(root) || strings.HasPrefix(root+"/", o.Root+"/") || strings.HasPrefix(o.Root+"/", root+"/") {
				return nil, fmt.Errorf("%w: app.json subpackages[%d].root %q overlaps %q", ErrSubpackage, i, e.Root, o.Root)
			}
		}
		out = append(out, AppSubpackage{Root: root, Independent: e.Independent})
	}
	return out, nil
}

// PackSet packs the app in dir as Pack does (the same checks, linter, minifier and
// Compile over the whole app), then splits it: each subpackage app.json names becomes its
// own bundle (every file under its root; Manifest.Root set), and the core bundle holds
// the rest and names each subpackage bundle's sha256 and size in its manifest. With a
// key every bundle is signed by it. An app without subpackages gives exactly Pack's bytes
// and no Subs.
func PackSet(dir string, o PackOptions) (*Set, error) {
	files, m, err := prepare(dir, o)
	if err != nil {
		return nil, err
	}
	subs, err := ReadSubpackages(files["app.json"])
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	set := &Set{}
	core := files
	if len(subs) > 0 {
		core = make(map[string][]byte, len(files))
		parts := make([]map[string][]byte, len(subs))
		for p, data := range files {
			i := slices.IndexFunc(subs, func(s AppSubpackage) bool { return strings.HasPrefix(p, s.Root+"/") })
			if i < 0 {
				core[p] = data
				continue
			}
			if parts[i] == nil {
				parts[i] = map[string][]byte{}
			}
			parts[i][p] = data
		}
		for i, sp := range subs {
			if len(parts[i]) == 0 {
				return nil, fmt.Errorf("pack %s: %w: subpackage %q has no files", dir, ErrSubpackage, sp.Root)
			}
			sm := m
			sm.Root, sm.Subpackages = sp.Root, nil
			var buf bytes.Buffer
			got, err := build(&buf, sm, parts[i], o.Key)
			if err != nil {
				return nil, fmt.Errorf("pack %s: subpackage %s: %w", dir, sp.Root, err)
			}
			set.Subs = append(set.Subs, SubBundle{Root: sp.Root, Data: buf.Bytes(), Manifest: got})
			m.Subpackages = append(m.Subpackages, Subpackage{Root: sp.Root, Independent: sp.Independent,
				SHA256: digest(buf.Bytes()), Size: int64(buf.Len())})
		}
	}
	var buf bytes.Buffer
	if set.Manifest, err = build(&buf, m, core, o.Key); err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	set.Core = buf.Bytes()
	return set, nil
}

// Subpackage returns the entry of the core manifest m for root (slashes at either end
// ignored), or nil.
func (m *Manifest) Subpackage(root string) *Subpackage {
	root = strings.Trim(root, "/")
	for i := range m.Subpackages {
		if m.Subpackages[i].Root == root {
			return &m.Subpackages[i]
		}
	}
	return nil
}

// CheckSubpackage opens raw, a subpackage bundle, and checks it belongs to the core
// bundle whose manifest is core and whose signer key is coreKey (nil: an unsigned core):
// its sha256 and size are the ones the core names for its root, and it is the same app
// and version, signed by the same key. Every refusal wraps ErrSubpackage (and ErrDigest,
// ErrSize or ErrWrongKey where that is the reason) and names the subpackage.
func CheckSubpackage(core *Manifest, coreKey []byte, raw []byte, lim Limits) (*Bundle, error) {
	sum := digest(raw)
	b, err := Open(bytes.NewReader(raw), int64(len(raw)), lim)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSubpackage, err)
	}
	m := b.Manifest
	if m.Root == "" {
		return nil, fmt.Errorf("%w: a core bundle (%s %s), not a subpackage", ErrSubpackage, m.AppID, m.Version)
	}
	name := fmt.Sprintf("subpackage %q of %s %s", m.Root, core.AppID, core.Version)
	sp := core.Subpackage(m.Root)
	switch {
	case sp == nil:
		return nil, fmt.Errorf("%w: %s: the core names no such subpackage", ErrSubpackage, name)
	case m.AppID != core.AppID || m.Version != core.Version:
		return nil, fmt.Errorf("%w: %s: the bundle is of %s %s", ErrSubpackage, name, m.AppID, m.Version)
	case int64(len(raw)) != sp.Size:
		return nil, fmt.Errorf("%w: %s: %w: %d bytes, the core's manifest says %d (swapped or altered)", ErrSubpackage, name, ErrSize, len(raw), sp.Size)
	case sum != sp.SHA256:
		return nil, fmt.Errorf("%w: %s: %w: sha256 %s, the core's manifest says %s (swapped or altered)", ErrSubpackage, name, ErrDigest, sum, sp.SHA256)
	case m.Signer != core.Signer || (coreKey != nil && !bytes.Equal(b.SignerKey, coreKey)):
		return nil, fmt.Errorf("%w: %s: %w: signed by %q, the core by %q", ErrSubpackage, name, ErrWrongKey, m.Signer, core.Signer)
	}
	return b, nil
}

// SubpackageFile is where PackSet's bundle of root is written beside the core bundle
// corePath: "app.sfa" and "packageA" give "app.packageA.sfa" (a "/" in root becomes "-").
func SubpackageFile(corePath, root string) string {
	base := strings.TrimSuffix(corePath, ".sfa")
	return base + "." + strings.ReplaceAll(path.Clean(root), "/", "-") + ".sfa"
}

// SetFS returns the files of a core bundle and the given subpackage bundles as one
// read-only file system (the whole app, as the linter and a whole install see it).
func SetFS(core *Bundle, subs ...*Bundle) fs.FS {
	files := make(map[string][]byte, len(core.files))
	for p, d := range core.files {
		files[p] = d
	}
	for _, s := range subs {
		for p, d := range s.files {
			files[p] = d
		}
	}
	return newMemFS(files)
}
