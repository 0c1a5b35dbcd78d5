package bundle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ManifestFormat is the manifest's "format" value. It is the first key of the signed bytes,
// so a signature over a manifest can never be taken for a signature over another kind of
// document signed with the same key (those carry their own format string).
const ManifestFormat = "sandframe-bundle-1"

// Paths of the bundle's own entries. Nothing else may live under META/.
const (
	ManifestPath  = "META/manifest.json"
	SignaturePath = "META/signature"
	metaDir       = "META"
)

// MaxManifestSize bounds META/manifest.json (10,000 files take about 1.5 MB).
const MaxManifestSize = 8 << 20

// File is one file of the app as the manifest lists it.
type File struct {
	Path   string `json:"path"`   // slash-separated, relative, e.g. "pages/index/index.js"
	SHA256 string `json:"sha256"` // lowercase hex of the content's SHA-256
	Size   int64  `json:"size"`   // bytes
}

// Manifest is META/manifest.json. It has no creation time on purpose: packing the same
// files twice must give the same bytes, and install times belong to the install registry.
type Manifest struct {
	Format   string `json:"format"`   // ManifestFormat
	AppID    string `json:"appId"`    // app.json "id", e.g. "dev.sandframe.todo"
	Version  string `json:"version"`  // app.json "version", semver
	MinShell string `json:"minShell"` // lowest shell version that may run it, semver ("0.0.0": any)
	Signer   KeyID  `json:"signer"`   // "" for an unsigned bundle
	Files    []File `json:"files"`    // every app file, sorted by path; META/ is not listed
	// Subpackages, in a core bundle, names every subpackage bundle of the app by its root
	// and the sha256 of the whole .sfa, so that none can be swapped for another. Absent
	// for an app without subpackages (its bytes are what they always were).
	Subpackages []Subpackage `json:"subpackages,omitempty"`
	// Root is set in a subpackage bundle only: the subpackage's root ("packageA"); every
	// file is under it and app.json is not in it.
	Root string `json:"root,omitempty"`
}

// Subpackage is one subpackage bundle as its core bundle's manifest names it.
type Subpackage struct {
	Root        string `json:"root"`        // "packageA": app.json's root, without slashes at either end
	Independent bool   `json:"independent"` // app.json "independent"
	SHA256      string `json:"sha256"`      // lowercase hex sha256 of the subpackage's .sfa
	Size        int64  `json:"size"`        // bytes of the .sfa
}

// Manifest errors. Every error of ParseManifest and Canonical wraps ErrManifest; a
// well-formed manifest whose bytes are not its canonical form wraps ErrNotCanonical too.
var (
	ErrManifest     = errors.New("invalid manifest")
	ErrNotCanonical = errors.New("manifest not in canonical form")
)

var appIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$`)

// ValidAppID reports why id cannot be an app id: lowercase reverse-DNS style labels
// ("dev.sandframe.todo"), at most 128 bytes. The id names directories and database rows,
// so it is kept to characters every file system treats the same.
func ValidAppID(id string) error {
	switch {
	case id == "":
		return errors.New("empty")
	case len(id) > 128:
		return fmt.Errorf("%d bytes, at most 128", len(id))
	case !appIDRe.MatchString(id):
		return fmt.Errorf("%q is not dot-separated labels of a-z, 0-9, '_' and '-'", id)
	}
	return nil
}

// Canonical returns the exact bytes the signature covers: keys in the struct's order,
// files sorted by path (bytewise), no insignificant whitespace, strings escaped as
// encoding/json does without HTML escaping. It fails on a manifest ParseManifest would
// refuse.
func (m Manifest) Canonical() ([]byte, error) {
	files := slices.Clone(m.Files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	m.Files = files
	if m.Files == nil {
		m.Files = []File{}
	}
	subs := slices.Clone(m.Subpackages)
	slices.SortFunc(subs, func(a, b Subpackage) int { return strings.Compare(a.Root, b.Root) })
	m.Subpackages = subs
	if err := m.validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("%w: encode: %v", ErrManifest, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ParseManifest decodes a manifest strictly: unknown or missing fields, a bad app id,
// version or path, a bad digest, duplicate paths (also ones that differ only in case or
// Unicode normalization) are errors naming the field; and raw must be exactly the
// manifest's canonical form, so that what was signed is what is read.
func ParseManifest(raw []byte) (*Manifest, error) {
	if len(raw) > MaxManifestSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrManifest, len(raw), MaxManifestSize)
	}
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("%w: not valid UTF-8", ErrManifest)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the manifest object", ErrManifest)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	canon, err := m.Canonical()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(canon, raw) {
		return nil, fmt.Errorf("%w: %w: at byte %d (keys in order format, appId, version, minShell, signer, files, subpackages, root; files and subpackages sorted; no whitespace)",
			ErrManifest, ErrNotCanonical, firstDiff(canon, raw))
	}
	return &m, nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// validate checks every field, naming the first bad one.
func (m *Manifest) validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrManifest, field, fmt.Sprintf(format, args...))
	}
	if m.Format != ManifestFormat {
		return bad("format", "%q, want %q", m.Format, ManifestFormat)
	}
	if err := ValidAppID(m.AppID); err != nil {
		return bad("appId", "%v", err)
	}
	if _, err := ParseVersion(m.Version); err != nil {
		return bad("version", "%v", err)
	}
	if _, err := ParseVersion(m.MinShell); err != nil {
		return bad("minShell", "%v", err)
	}
	if m.Signer != "" {
		if err := m.Signer.Validate(); err != nil {
			return bad("signer", "%v", err)
		}
	}
	seen := make(map[string]string, len(m.Files)) // fold key → path
	hasApp := false
	for i, f := range m.Files {
		field := fmt.Sprintf("files[%d]", i)
		if err := CheckPath(f.Path); err != nil {
			return bad(field+".path", "%v", err)
		}
		if other, dup := seen[FoldPath(f.Path)]; dup {
			return bad(field+".path", "%q duplicates %q", f.Path, other)
		}
		seen[FoldPath(f.Path)] = f.Path
		if len(f.SHA256) != 64 || strings.ToLower(f.SHA256) != f.SHA256 {
			return bad(field+".sha256", "%q is not 64 lowercase hex digits", f.SHA256)
		}
		if _, err := hex.DecodeString(f.SHA256); err != nil {
			return bad(field+".sha256", "%q is not 64 lowercase hex digits", f.SHA256)
		}
		if f.Size < 0 {
			return bad(field+".size", "%d is negative", f.Size)
		}
		hasApp = hasApp || f.Path == "app.json"
	}
	if err := m.validateSubpackages(seen, hasApp); err != nil {
		return err
	}
	// A name cannot be a file and a directory at once ("a" and "a/b.js").
	for i, f := range m.Files {
		for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
			if other, clash := seen[FoldPath(dir)]; clash {
				return bad(fmt.Sprintf("files[%d].path", i), "%q is inside %q, which is a file", f.Path, other)
			}
		}
	}
	return nil
}

// Path errors: CheckPath's errors wrap one of these.
var (
	ErrPathTraversal = errors.New("path traversal")
	ErrAbsolutePath  = errors.New("absolute path")
	ErrBadName       = errors.New("name not allowed")
	ErrNonUTF8       = errors.New("name not valid UTF-8")
)

// MaxPathLen bounds a file's path in bytes (and each element to 255, as most file systems do).
const MaxPathLen = 1024

// CheckPath reports why p may not name a file in a bundle. A path is slash-separated and
// relative; no element is empty, ".", ".." or ends in a dot or space (Windows drops those,
// which would make two names one); no backslash, colon, control character or any of
// <>"|?* (reserved on Windows); valid UTF-8; nothing under META/ (the bundle's own).
func CheckPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("%w: empty", ErrBadName)
	case !utf8.ValidString(p):
		return fmt.Errorf("%w: %q", ErrNonUTF8, p)
	case len(p) > MaxPathLen:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrBadName, len(p), MaxPathLen)
	case p[0] == '/' || p[0] == '\\' || (len(p) >= 2 && p[1] == ':'):
		return fmt.Errorf("%w: %q", ErrAbsolutePath, p)
	}
	if i := strings.IndexFunc(p, func(r rune) bool {
		return r < 0x20 || r == 0x7f || strings.ContainsRune(`\:<>"|?*`, r) || r == utf8.RuneError
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(p[i:])
		if r == '\\' {
			// A backslash is a separator on Windows: "..\x" would climb out.
			for _, el := range strings.Split(p, `\`) {
				if el == ".." {
					return fmt.Errorf("%w: %q", ErrPathTraversal, p)
				}
			}
		}
		return fmt.Errorf("%w: %q has %q", ErrBadName, p, r)
	}
	for i, el := range strings.Split(p, "/") {
		switch {
		case el == "..":
			return fmt.Errorf("%w: %q", ErrPathTraversal, p)
		case el == "" || el == ".":
			return fmt.Errorf("%w: %q has an empty or \".\" element", ErrBadName, p)
		case len(el) > 255:
			return fmt.Errorf("%w: %q has an element over 255 bytes", ErrBadName, p)
		case strings.HasSuffix(el, ".") || strings.HasSuffix(el, " "):
			return fmt.Errorf("%w: %q has an element ending in a dot or space", ErrBadName, p)
		case i == 0 && strings.EqualFold(el, metaDir):
			return fmt.Errorf("%w: %q: META/ is reserved for the bundle's manifest and signature", ErrBadName, p)
		}
	}
	return nil
}

// FoldPath is the key under which two paths count as the same file: equal after Unicode
// NFC normalization and case folding. macOS and Windows file systems treat such names as
// one file, so a bundle holding both would extract differently from how it was verified.
func FoldPath(p string) string {
	p = norm.NFC.String(p)
	var b strings.Builder
	b.Grow(len(p))
	for _, r := range p {
		// The smallest rune of r's case-folding orbit stands for all of it.
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// validateSubpackages checks Root (a subpackage bundle: every file under it, no
// app.json) or Subpackages (a core bundle: roots valid, unique, not nested, none holding
// a core file; digests well formed). seen maps folded paths to the files.
func (m *Manifest) validateSubpackages(seen map[string]string, hasApp bool) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrManifest, field, fmt.Sprintf(format, args...))
	}
	if m.Root != "" {
		if err := CheckPath(m.Root); err != nil {
			return bad("root", "%v", err)
		}
		if len(m.Subpackages) > 0 {
			return bad("subpackages", "a subpackage bundle names no subpackages")
		}
		for i, f := range m.Files {
			if !strings.HasPrefix(f.Path, m.Root+"/") {
				return bad(fmt.Sprintf("files[%d].path", i), "%q is not under the subpackage root %q", f.Path, m.Root)
			}
		}
		return nil
	}
	if !hasApp {
		return bad("files", "app.json is not listed")
	}
	roots := make(map[string]string, len(m.Subpackages))
	for i, sp := range m.Subpackages {
		field := fmt.Sprintf("subpackages[%d]", i)
		if err := CheckPath(sp.Root); err != nil {
			return bad(field+".root", "%v", err)
		}
		if other, dup := roots[FoldPath(sp.Root)]; dup {
			return bad(field+".root", "%q duplicates %q", sp.Root, other)
		}
		roots[FoldPath(sp.Root)] = sp.Root
		if len(sp.SHA256) != 64 || strings.ToLower(sp.SHA256) != sp.SHA256 {
			return bad(field+".sha256", "%q is not 64 lowercase hex digits", sp.SHA256)
		}
		if _, err := hex.DecodeString(sp.SHA256); err != nil {
			return bad(field+".sha256", "%q is not 64 lowercase hex digits", sp.SHA256)
		}
		if sp.Size <= 0 {
			return bad(field+".size", "%d is not positive", sp.Size)
		}
		if other, clash := seen[FoldPath(sp.Root)]; clash {
			return bad(field+".root", "%q is a file of the core", other)
		}
	}
	for i, sp := range m.Subpackages {
		for dir := path.Dir(sp.Root); dir != "."; dir = path.Dir(dir) {
			if other, nested := roots[FoldPath(dir)]; nested {
				return bad(fmt.Sprintf("subpackages[%d].root", i), "%q is inside the subpackage %q", sp.Root, other)
			}
		}
	}
	if len(roots) > 0 {
		for i, f := range m.Files {
			for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
				if root, in := roots[FoldPath(dir)]; in {
					return bad(fmt.Sprintf("files[%d].path", i), "%q of the core is under the subpackage root %q", f.Path, root)
				}
			}
		}
	}
	return nil
}
