package bundle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// Extract writes the verified files into dir, which must not exist (its parent must) or
// be an empty directory (not a symlink). Directories are made 0700 and files 0600, each
// created fresh (O_EXCL) through an os.Root, so nothing can lead a write out of dir. Files
// and directories are synced before Extract returns, so that an installer may rename dir
// into place. On failure what Extract made is removed again.
func (b *Bundle) Extract(dir string) (err error) {
	created, err := prepareDir(dir)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	defer root.Close()
	defer func() {
		if err == nil {
			return
		}
		if created {
			os.RemoveAll(dir)
			return
		}
		// dir was empty: empty it again, from inside the root.
		if ents, rerr := fs.ReadDir(root.FS(), "."); rerr == nil {
			for _, e := range ents {
				root.RemoveAll(e.Name())
			}
		}
	}()
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("extract: %w", err)
	}

	mfs := newMemFS(b.files)
	dirs := make([]string, 0, len(mfs.dirs))
	for d := range mfs.dirs {
		if d != "." {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs) // parents before children
	for _, d := range dirs {
		if err := root.Mkdir(d, 0o700); err != nil {
			return fmt.Errorf("extract %s: %w", d, err)
		}
	}
	for _, p := range mfs.sortedPaths() {
		if err := writeFile(root, p, b.files[p]); err != nil {
			return fmt.Errorf("extract %s: %w", p, err)
		}
	}
	// Children before parents, the root last: each directory's entries reach the disk.
	slices.SortFunc(dirs, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range append(dirs, ".") {
		if err := syncDir(root, d); err != nil {
			return fmt.Errorf("extract %s: %w", path.Join(dir, d), err)
		}
	}
	return nil
}

// prepareDir makes dir (reporting true) or checks that it is an empty real directory.
func prepareDir(dir string) (created bool, err error) {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(dir, 0o700); err != nil {
			return false, fmt.Errorf("extract: %w", err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("extract: %w", err)
	case !fi.IsDir():
		return false, fmt.Errorf("extract: %s is not a directory (a symlink is not followed)", dir)
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("extract: %w", err)
	}
	defer f.Close()
	if names, err := f.Readdirnames(1); err != io.EOF {
		if err != nil {
			return false, fmt.Errorf("extract: %w", err)
		}
		return false, fmt.Errorf("extract: %s is not empty (has %q)", dir, names[0])
	}
	return false, nil
}

// writeFile is writeNew; tests replace it to fail half way.
var writeFile = writeNew

func writeNew(root *os.Root, name string, data []byte) (err error) {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

func syncDir(root *os.Root, name string) error {
	f, err := root.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
