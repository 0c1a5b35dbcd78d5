package bundle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Linter runs the static checks (appstore/lint) on the files about to be packed and
// returns the findings that block packing, as "file:line:col: rule: message" lines.
type Linter interface {
	Lint(fsys fs.FS) (blocking []string, err error)
}

// PackOptions configures Pack.
type PackOptions struct {
	Key      ed25519.PrivateKey // nil: an unsigned bundle (sideloading only)
	MinShell string             // lowest shell version that may run the app; "": "0.0.0"
	Lint     Linter             // nil: no static checks
	// Compile proves the files load (the lead passes host.Load: every template and style
	// compiles). It sees exactly what will be packed, after minifying. nil: not run.
	Compile func(fsys fs.FS) error
	// Minify compacts .json files (encoding/json, exact) and passes .js and .wxss files to
	// MinifyFile when it is set.
	Minify     bool
	MinifyFile func(path string, src []byte) ([]byte, error)
}

// ErrLint is returned (wrapped, with the findings) when the linter reports blocking findings.
var ErrLint = errors.New("blocking lint findings")

// Pack writes a bundle of the app in dir to out. It reads app.json's "id" and "version"
// (both required; version is semver), leaves out dotfiles and dot-directories, refuses
// symlinks, special files, names a bundle may not hold and anything past DefaultLimits,
// runs the linter on the sources and Compile on the packed files, and writes a
// deterministic zip: the same files and key give the same bytes.
func Pack(dir string, out io.Writer, o PackOptions) (*Manifest, error) {
	files, m, err := prepare(dir, o)
	if err != nil {
		return nil, err
	}
	got, err := build(out, m, files, o.Key)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	return got, nil
}

// prepare reads, checks, lints, minifies and compiles the app in dir, returning the files
// to pack and the manifest's app fields.
func prepare(dir string, o PackOptions) (_ map[string][]byte, m Manifest, err error) {
	files, err := readTree(dir)
	if err != nil {
		return nil, m, err
	}
	m = Manifest{MinShell: o.MinShell}
	if m.MinShell == "" {
		m.MinShell = "0.0.0"
	}
	if _, err := ParseVersion(m.MinShell); err != nil {
		return nil, m, fmt.Errorf("pack: minimum shell version: %w", err)
	}
	if m.AppID, m.Version, err = readAppJSON(files["app.json"]); err != nil {
		return nil, m, fmt.Errorf("pack %s: app.json: %w", dir, err)
	}
	if o.Lint != nil {
		blocking, err := o.Lint.Lint(newMemFS(files))
		if err != nil {
			return nil, m, fmt.Errorf("pack %s: lint: %w", dir, err)
		}
		if len(blocking) > 0 {
			return nil, m, fmt.Errorf("pack %s: %w:\n%s", dir, ErrLint, strings.Join(blocking, "\n"))
		}
	}
	if o.Minify {
		if err := minify(files, o.MinifyFile); err != nil {
			return nil, m, fmt.Errorf("pack %s: %w", dir, err)
		}
	}
	if o.Compile != nil {
		if err := o.Compile(newMemFS(files)); err != nil {
			return nil, m, fmt.Errorf("pack %s: compile: %w", dir, err)
		}
	}
	return files, m, nil
}

// Sign (re)signs an existing bundle with key: it opens and checks the bundle as Open does
// (an existing signature must be valid, whoever made it), and writes the same files with a
// manifest naming the new signer. Signing an unsigned bundle gives the very bytes Pack
// would have given with the key.
func Sign(in io.ReaderAt, size int64, out io.Writer, key ed25519.PrivateKey) (*Manifest, error) {
	if key == nil {
		return nil, errors.New("sign: no key")
	}
	b, err := Open(in, size, Limits{})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if b.Manifest.Root != "" || len(b.Manifest.Subpackages) > 0 {
		// The core names each subpackage bundle by its digest, which a new signature
		// changes: the set is signed together, by PackSet.
		return nil, fmt.Errorf("sign %s: %w: a bundle of an app with subpackages is signed when packed (shell pack --key)", b.Manifest.AppID, ErrFormat)
	}
	m := *b.Manifest
	got, err := build(out, m, b.files, key)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", m.AppID, err)
	}
	return got, nil
}

// readTree reads every file under dir that goes into a bundle.
func readTree(dir string) (map[string][]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	defer root.Close()
	lim := DefaultLimits()
	files := make(map[string][]byte)
	folded := make(map[string]string)
	var total int64
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") { // .git, .DS_Store, editor files
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			return fmt.Errorf("%s: %w: symlinks are refused (copy the file in)", p, ErrSymlink)
		case t.IsDir():
			return nil
		case !t.IsRegular():
			return fmt.Errorf("%s: %w: not a regular file", p, ErrSymlink)
		}
		if err := CheckPath(p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if other, dup := folded[FoldPath(p)]; dup {
			return fmt.Errorf("%s: %w: same file as %s on case-insensitive file systems", p, ErrDuplicate, other)
		}
		folded[FoldPath(p)] = p
		if len(files) >= lim.MaxFiles {
			return fmt.Errorf("%w: more than %d files", ErrTooManyFiles, lim.MaxFiles)
		}
		data, err := readRegular(root, p, lim.MaxFileSize)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		total += int64(len(data))
		if total > lim.MaxUnpacked {
			return fmt.Errorf("%w: files add up to more than %d bytes", ErrTooLarge, lim.MaxUnpacked)
		}
		files[p] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	if _, ok := files["app.json"]; !ok {
		return nil, fmt.Errorf("pack %s: no app.json", dir)
	}
	return files, nil
}

// readRegular reads p, refusing it if it was swapped for something else since the walk saw it.
func readRegular(root *os.Root, p string, limit int64) ([]byte, error) {
	before, err := root.Lstat(p)
	if err != nil {
		return nil, err
	}
	f, err := root.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	now, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !before.Mode().IsRegular() || !os.SameFile(before, now) {
		return nil, fmt.Errorf("%w: changed while packing", ErrSymlink)
	}
	if now.Size() > limit {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, now.Size(), limit)
	}
	data, err := readAllLimit(f, make([]byte, 0, now.Size()), limit)
	if errors.Is(err, errOverLimit) {
		return nil, fmt.Errorf("%w: grew past %d bytes", ErrTooLarge, limit)
	}
	return data, err
}

// readAppJSON returns app.json's id and version, both required and valid.
func readAppJSON(raw []byte) (id, version string, err error) {
	var app struct {
		ID      *string `json:"id"`
		Version *string `json:"version"`
	}
	if err := json.Unmarshal(raw, &app); err != nil {
		return "", "", err
	}
	switch {
	case app.ID == nil:
		return "", "", errors.New(`"id" missing (the app's id, e.g. "dev.example.todo")`)
	case app.Version == nil:
		return "", "", errors.New(`"version" missing (semver, e.g. "1.0.0")`)
	}
	if err := ValidAppID(*app.ID); err != nil {
		return "", "", fmt.Errorf(`"id": %w`, err)
	}
	if _, err := ParseVersion(*app.Version); err != nil {
		return "", "", fmt.Errorf(`"version": %w`, err)
	}
	return *app.ID, *app.Version, nil
}

// minify rewrites files in place: JSON compacted, JS and WXSS through fn when set.
func minify(files map[string][]byte, fn func(string, []byte) ([]byte, error)) error {
	for p, data := range files {
		switch {
		case strings.HasSuffix(p, ".json"):
			var buf bytes.Buffer
			if err := json.Compact(&buf, data); err != nil {
				return fmt.Errorf("minify %s: %w", p, err)
			}
			files[p] = buf.Bytes()
		case fn != nil && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".wxss")):
			out, err := fn(p, data)
			if err != nil {
				return fmt.Errorf("minify %s: %w", p, err)
			}
			files[p] = out
		}
	}
	return nil
}
