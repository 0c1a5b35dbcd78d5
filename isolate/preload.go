package isolate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"
)

// Bounds of preloadCode. An app past either is read lazily from its directory instead
// (Landlock then leaves that directory readable): a warning, not a failure. Variables so
// tests can lower them.
var (
	maxPreloadFiles = 20000
	maxPreloadBytes = 64 << 20
)

var errPreloadTooBig = errors.New("too much code to preload")

// preloadCode reads every file the logic runtime can ever read — .js and .ts modules and
// package.json (internal/jsc.Resolve reads nothing else) — into memory, so that once
// confined the child needs no file system at all. node_modules/ and .git/ are skipped:
// require resolves bare names in miniprogram_npm/ only. fstest.MapFS is a complete
// read-only fs.FS (Stat, ReadDir, implicit parent directories), not only for tests.
func preloadCode(fsys fs.FS) (fstest.MapFS, error) {
	out := fstest.MapFS{}
	var total int64
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (name == "node_modules" || name == ".git") {
				return fs.SkipDir
			}
			return nil
		}
		if !(strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".ts") || name == "package.json") {
			return nil // assets logic never reads
		}
		if !d.Type().IsRegular() {
			// A symlink (os.Root follows it only within the app) to a file is read; to a
			// folder, it is not walked.
			if info, err := fs.Stat(fsys, p); err != nil || !info.Mode().IsRegular() {
				return nil
			}
		}
		if len(out) >= maxPreloadFiles {
			return fmt.Errorf("%w: more than %d files", errPreloadTooBig, maxPreloadFiles)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if total += int64(len(b)); total > int64(maxPreloadBytes) {
			return fmt.Errorf("%w: more than %d MiB", errPreloadTooBig, maxPreloadBytes>>20)
		}
		out[path.Clean(p)] = &fstest.MapFile{Data: b, Mode: 0o444}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
