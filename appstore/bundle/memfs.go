package bundle

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// memFS is a read-only fs.FS over verified contents. It hands out copies-on-read readers
// over shared bytes; nothing it returns can change what it holds.
type memFS struct {
	files map[string][]byte
	dirs  map[string][]string // directory ("." for the root) → sorted child names
}

var (
	_ fs.ReadFileFS = (*memFS)(nil)
	_ fs.ReadDirFS  = (*memFS)(nil)
	_ fs.StatFS     = (*memFS)(nil)
)

func newMemFS(files map[string][]byte) *memFS {
	m := &memFS{files: files, dirs: map[string][]string{".": nil}}
	for p := range files {
		child := p
		for dir := path.Dir(p); ; dir = path.Dir(dir) {
			_, seen := m.dirs[dir]
			m.dirs[dir] = append(m.dirs[dir], path.Base(child))
			if seen || dir == "." {
				break
			}
			child = dir
		}
	}
	for d, names := range m.dirs {
		slices.Sort(names)
		m.dirs[d] = slices.Compact(names)
	}
	return m
}

func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m.files[name]; ok {
		return &memFile{info: fileInfo{name: path.Base(name), size: int64(len(data))}, r: bytes.NewReader(data)}, nil
	}
	if _, ok := m.dirs[name]; ok {
		return &memDir{info: fileInfo{name: path.Base(name), dir: true}, fsys: m, path: name}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	data, ok := m.files[name]
	if !ok {
		if _, dir := m.dirs[name]; dir {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errIsDir}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return bytes.Clone(data), nil
}

var errIsDir = &dirError{}

type dirError struct{}

func (*dirError) Error() string { return "is a directory" }

func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	f, err := m.Open(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err.(*fs.PathError).Err}
	}
	return f.Stat()
}

func (m *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	names, ok := m.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		full := n
		if name != "." {
			full = name + "/" + n
		}
		if data, ok := m.files[full]; ok {
			out = append(out, fs.FileInfoToDirEntry(fileInfo{name: n, size: int64(len(data))}))
		} else {
			out = append(out, fs.FileInfoToDirEntry(fileInfo{name: n, dir: true}))
		}
	}
	return out, nil
}

type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

type memFile struct {
	info fileInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error)                { return f.info, nil }
func (f *memFile) Read(p []byte) (int, error)                { return f.r.Read(p) }
func (f *memFile) ReadAt(p []byte, off int64) (int, error)   { return f.r.ReadAt(p, off) }
func (f *memFile) Seek(off int64, whence int) (int64, error) { return f.r.Seek(off, whence) }
func (f *memFile) Close() error                              { return nil }

type memDir struct {
	info fileInfo
	fsys *memFS
	path string
	read int // entries already returned by ReadDir
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errIsDir}
}
func (d *memDir) Close() error { return nil }

func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	all, _ := d.fsys.ReadDir(d.path)
	rest := all[d.read:]
	if n <= 0 {
		d.read = len(all)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.read += len(rest)
	return rest, nil
}

// sortedPaths returns the files' paths in order.
func (m *memFS) sortedPaths() []string {
	out := make([]string, 0, len(m.files))
	for p := range m.files {
		out = append(out, p)
	}
	slices.SortFunc(out, strings.Compare)
	return out
}
