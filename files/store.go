package files

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// The file store: every app's own files under the shell's data folder, seen by the app
// through WeChat's virtual paths (docs/files.md):
//
//	wxfile://usr/...        the app's user files (wx.env.USER_DATA_PATH is wxfile://usr)
//	wxfile://tmp_NAME.EXT   a temporary file: chosen, downloaded, compressed, drawn
//	wxfile://store_NAME.EXT a saved file (wx.saveFile)
//	anything else           a file of the app's bundle, read-only ("/images/a.png")
//
// On disk: DIR/<sha256(identity key)[:16]>/{usr,tmp,store}: no file or folder name
// carries the app's id, and one RemoveAll wipes an app. Every access goes through an
// os.Root opened on the app's folder, so neither "..", an absolute path nor a symbolic
// link reaches outside it.

// Virtual path prefixes.
const (
	Scheme      = "wxfile://"
	UserDataURL = Scheme + "usr" // wx.env.USER_DATA_PATH
	tempPrefix  = "tmp_"
	savedPrefix = "store_"
)

// Defaults for a zero Config field.
const (
	DefaultMaxTempFiles = 256
	DefaultMaxTempBytes = 100 << 20
	DefaultMaxAppBytes  = 10 << 20 // the storage's default quota (the host passes the configured one)
	maxEntries          = 10000    // files and folders per app, outside temp
)

// Config configures a Store.
type Config struct {
	Dir          string // DATA/files
	MaxTempFiles int    // temporary files per app; past it the oldest go
	MaxTempBytes int64  // their bytes per app; past it the oldest go
}

// Store keeps every app's files. Safe for concurrent use.
type Store struct {
	cfg Config

	mu    sync.Mutex
	locks map[string]*sync.Mutex // per app folder: quota checks and writes
}

// Open makes the store's folder.
func Open(cfg Config) (*Store, error) {
	if cfg.Dir == "" {
		return nil, errors.New("files: no folder")
	}
	if cfg.MaxTempFiles <= 0 {
		cfg.MaxTempFiles = DefaultMaxTempFiles
	}
	if cfg.MaxTempBytes <= 0 {
		cfg.MaxTempBytes = DefaultMaxTempBytes
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Store{cfg: cfg, locks: map[string]*sync.Mutex{}}, nil
}

// folder is the app's folder name: no trace of its id.
func folder(appKey string) string {
	sum := sha256.Sum256([]byte("sandframe files\x00" + appKey))
	return hex.EncodeToString(sum[:8])
}

func (s *Store) lock(dir string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[dir]
	if !ok {
		l = &sync.Mutex{}
		s.locks[dir] = l
	}
	return l
}

// AppOptions describe one app to its files.
type AppOptions struct {
	// Bundle is the app's bundle, for reading its files by path (nil: none).
	Bundle fs.FS
	// Limit is the app's storage quota in bytes (0: DefaultMaxAppBytes). User and saved
	// files count against it together with Used.
	Limit int64
	// Used is what the app already uses of the same quota elsewhere (its key-value
	// storage); nil: nothing.
	Used func() int64
}

// App is the files of one app identity (identity.App.Key).
func (s *Store) App(appKey string, o AppOptions) *AppFiles {
	if o.Limit <= 0 {
		o.Limit = DefaultMaxAppBytes
	}
	dir := filepath.Join(s.cfg.Dir, folder(appKey))
	return &AppFiles{s: s, dir: dir, o: o, mu: s.lock(dir)}
}

// EndSession removes the app's temporary files (its session ended, or a new one starts).
func (s *Store) EndSession(appKey string) error {
	dir := filepath.Join(s.cfg.Dir, folder(appKey))
	l := s.lock(dir)
	l.Lock()
	defer l.Unlock()
	return os.RemoveAll(filepath.Join(dir, "tmp"))
}

// AppData is the file store in the one wipe (internal/appdata): all of the app's files,
// temporary, user and saved, in every scope.
func (s *Store) AppData() appdata.Store { return appData{s} }

type appData struct{ s *Store }

func (appData) Name() string { return "files" }

func (d appData) Wipe(_ context.Context, app identity.App, _ appdata.Scope) error {
	dir := filepath.Join(d.s.cfg.Dir, folder(app.Key()))
	l := d.s.lock(dir)
	l.Lock()
	defer l.Unlock()
	return os.RemoveAll(dir)
}

// AppFiles is one app's files. Its methods take virtual paths and return errors whose
// text is WeChat's reason (*Error).
type AppFiles struct {
	s   *Store
	dir string
	o   AppOptions
	mu  *sync.Mutex
}

// Error is a file operation's failure in WeChat's words: "no such file or directory,
// open wxfile://usr/a.txt".
type Error struct {
	Reason string // "no such file or directory", "permission denied", ...
	Op     string // open, mkdir, unlink ...
	Path   string // the virtual path the app gave
}

func (e *Error) Error() string {
	if e.Op == "" {
		return e.Reason
	}
	return e.Reason + ", " + e.Op + " " + e.Path
}

// Reasons, WeChat's texts.
const (
	ReasonNotExist     = "no such file or directory"
	ReasonPermission   = "permission denied"
	ReasonExist        = "file already exists"
	ReasonNotDir       = "not a directory"
	ReasonIsDir        = "illegal operation on a directory"
	ReasonNotEmpty     = "directory not empty"
	ReasonQuota        = "the maximum size of the file storage limit is exceeded"
	ReasonNotPermitted = "operation not permitted"
)

func fail(reason, op, p string) error { return &Error{Reason: reason, Op: op, Path: p} }

// area is where a virtual path points.
type area int

const (
	areaBundle area = iota
	areaUser
	areaTemp
	areaSaved
)

// loc is a resolved virtual path: its area and its path inside the app's folder
// ("usr/a/b.txt"), or inside the bundle.
type loc struct {
	area area
	rel  string // slash-separated, clean, never climbing
	virt string
}

// resolve maps a virtual path. It refuses what could name anything outside the app:
// other schemes, ".." above the area's root, NUL, backslashes.
func (a *AppFiles) resolve(p, op string) (loc, error) {
	if p == "" || strings.ContainsAny(p, "\x00\\") {
		return loc{}, fail(ReasonNotExist, op, p)
	}
	if strings.HasPrefix(p, Scheme) {
		rest := p[len(Scheme):]
		switch {
		case rest == "usr" || strings.HasPrefix(rest, "usr/"):
			rel, ok := clean(strings.TrimPrefix(rest, "usr"))
			if !ok {
				return loc{}, fail(ReasonPermission, op, p)
			}
			return loc{area: areaUser, rel: path.Join("usr", rel), virt: p}, nil
		case strings.HasPrefix(rest, tempPrefix) && validName(rest):
			return loc{area: areaTemp, rel: "tmp/" + rest, virt: p}, nil
		case strings.HasPrefix(rest, savedPrefix) && validName(rest):
			return loc{area: areaSaved, rel: "store/" + rest, virt: p}, nil
		}
		return loc{}, fail(ReasonNotExist, op, p)
	}
	if i := strings.Index(p, "://"); i >= 0 || strings.HasPrefix(p, "file:") {
		return loc{}, fail(ReasonPermission, op, p) // http://, file:// ...: not the app's
	}
	rel, ok := clean(p)
	if !ok {
		return loc{}, fail(ReasonPermission, op, p)
	}
	return loc{area: areaBundle, rel: strings.TrimPrefix(rel, "/"), virt: p}, nil
}

// clean resolves "." and ".." segments of a slash path; false when ".." climbs above
// its root.
func clean(p string) (string, bool) {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) == 0 {
				return "", false
			}
			out = out[:len(out)-1]
		default:
			out = append(out, seg)
		}
	}
	return strings.Join(out, "/"), true
}

// validName: one path segment of printable characters.
func validName(n string) bool {
	if n == "" || len(n) > 255 || strings.ContainsAny(n, "/\\\x00") || n == "." || n == ".." {
		return false
	}
	return true
}

// root opens the app's folder (made on first use) as an os.Root.
func (a *AppFiles) root() (*os.Root, error) {
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return nil, err
	}
	for _, sub := range []string{"usr", "tmp", "store"} {
		if err := os.Mkdir(filepath.Join(a.dir, sub), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return os.OpenRoot(a.dir)
}

// osErr turns an os error into WeChat's reason.
func osErr(err error, op, p string) error {
	var fe *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case errors.Is(err, syscall.ENOTEMPTY):
		return fail(ReasonNotEmpty, op, p)
	case errors.Is(err, fs.ErrNotExist):
		return fail(ReasonNotExist, op, p)
	case errors.Is(err, fs.ErrExist):
		return fail(ReasonExist, op, p)
	case errors.Is(err, fs.ErrPermission):
		return fail(ReasonPermission, op, p)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a directory"):
		return fail(ReasonNotDir, op, p)
	case strings.Contains(msg, "is a directory"):
		return fail(ReasonIsDir, op, p)
	case strings.Contains(msg, "directory not empty"):
		return fail(ReasonNotEmpty, op, p)
	case strings.Contains(msg, "escapes from parent"), strings.Contains(msg, "path escapes"):
		return fail(ReasonPermission, op, p)
	}
	return fail(ReasonPermission, op, p)
}

// ReadFile reads a file: the app's own, or one of its bundle.
func (a *AppFiles) ReadFile(p string) ([]byte, error) {
	l, err := a.resolve(p, "open")
	if err != nil {
		return nil, err
	}
	if l.area == areaBundle {
		if a.o.Bundle == nil || l.rel == "" {
			return nil, fail(ReasonNotExist, "open", p)
		}
		b, err := fs.ReadFile(a.o.Bundle, l.rel)
		if err != nil {
			return nil, osErr(err, "open", p)
		}
		return b, nil
	}
	r, err := a.root()
	if err != nil {
		return nil, osErr(err, "open", p)
	}
	defer r.Close()
	if err := noLink(r, l.rel, "open", p); err != nil {
		return nil, err
	}
	st, err := r.Stat(l.rel)
	if err != nil {
		return nil, osErr(err, "open", p)
	}
	if st.IsDir() {
		return nil, fail(ReasonIsDir, "open", p)
	}
	b, err := r.ReadFile(l.rel)
	return b, osErr(err, "open", p)
}

// noLink refuses a symbolic link at rel (the app never makes one; os.Root would already
// refuse one that leads outside).
func noLink(r *os.Root, rel, op, p string) error {
	st, err := r.Lstat(rel)
	if err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return fail(ReasonPermission, op, p)
	}
	return nil
}

// writable resolves p for a write: only user files.
func (a *AppFiles) writable(p, op string) (loc, error) {
	l, err := a.resolve(p, op)
	if err != nil {
		return l, err
	}
	if l.area != areaUser || l.rel == "usr" {
		return l, fail(ReasonPermission, op, p)
	}
	return l, nil
}

// WriteFile writes (or, with appendTo, appends to) a user file, within the quota.
func (a *AppFiles) WriteFile(p string, data []byte, appendTo bool) error {
	l, err := a.writable(p, "open")
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return osErr(err, "open", p)
	}
	defer r.Close()
	if err := noLink(r, l.rel, "open", p); err != nil {
		return err
	}
	var old int64
	if st, err := r.Stat(l.rel); err == nil {
		if st.IsDir() {
			return fail(ReasonIsDir, "open", p)
		}
		old = st.Size()
	} else if _, err := r.Stat(path.Dir(l.rel)); err != nil {
		return osErr(err, "open", p)
	}
	grow := int64(len(data))
	if !appendTo {
		grow -= old
	}
	if err := a.fits(r, grow, 1); err != nil {
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flags = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f, err := r.OpenFile(l.rel, flags, 0o600)
	if err != nil {
		return osErr(err, "open", p)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return osErr(err, "write", p)
}

// usage is the bytes and entries of user and saved files.
func usage(r *os.Root) (bytes int64, entries int) {
	for _, top := range []string{"usr", "store"} {
		fs.WalkDir(r.FS(), top, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			entries++
			if d.Type().IsRegular() {
				if info, err := d.Info(); err == nil {
					bytes += info.Size()
				}
			}
			return nil
		})
	}
	return bytes, entries
}

// fits checks that grow more bytes and newEntries more entries stay within the quota.
// Call with a.mu held.
func (a *AppFiles) fits(r *os.Root, grow int64, newEntries int) error {
	used, entries := usage(r)
	if a.o.Used != nil {
		used += a.o.Used()
	}
	if grow > 0 && used+grow > a.o.Limit {
		return fail(ReasonQuota, "", "")
	}
	if entries+newEntries > maxEntries {
		return fail(ReasonQuota, "", "")
	}
	return nil
}

// Usage is the bytes of the app's user and saved files.
func (a *AppFiles) Usage() int64 {
	r, err := a.root()
	if err != nil {
		return 0
	}
	defer r.Close()
	b, _ := usage(r)
	return b
}

// Mkdir makes a user folder (and its parents, with recursive).
func (a *AppFiles) Mkdir(p string, recursive bool) error {
	l, err := a.writable(p, "mkdir")
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return osErr(err, "mkdir", p)
	}
	defer r.Close()
	if _, err := r.Lstat(l.rel); err == nil {
		return fail(ReasonExist, "mkdir", p)
	}
	if err := a.fits(r, 0, strings.Count(l.rel, "/")); err != nil {
		return err
	}
	if recursive {
		return osErr(r.MkdirAll(l.rel, 0o700), "mkdir", p)
	}
	return osErr(r.Mkdir(l.rel, 0o700), "mkdir", p)
}

// Rmdir removes a user folder (with recursive, and everything in it).
func (a *AppFiles) Rmdir(p string, recursive bool) error {
	l, err := a.writable(p, "rmdir")
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return osErr(err, "rmdir", p)
	}
	defer r.Close()
	st, err := r.Lstat(l.rel)
	if err != nil {
		return osErr(err, "rmdir", p)
	}
	if !st.IsDir() {
		return fail(ReasonNotDir, "rmdir", p)
	}
	if recursive {
		return osErr(r.RemoveAll(l.rel), "rmdir", p)
	}
	return osErr(r.Remove(l.rel), "rmdir", p)
}

// Readdir lists a folder's names, sorted: a user folder, or one of the bundle.
func (a *AppFiles) Readdir(p string) ([]string, error) {
	l, err := a.resolve(p, "scandir")
	if err != nil {
		return nil, err
	}
	var ents []fs.DirEntry
	switch l.area {
	case areaBundle:
		if a.o.Bundle == nil {
			return nil, fail(ReasonNotExist, "scandir", p)
		}
		dir := l.rel
		if dir == "" {
			dir = "."
		}
		ents, err = fs.ReadDir(a.o.Bundle, dir)
	case areaUser:
		var r *os.Root
		if r, err = a.root(); err == nil {
			defer r.Close()
			if err = noLink(r, l.rel, "scandir", p); err != nil {
				return nil, err
			}
			ents, err = fs.ReadDir(r.FS(), l.rel)
		}
	default:
		return nil, fail(ReasonNotDir, "scandir", p)
	}
	if err != nil {
		return nil, osErr(err, "scandir", p)
	}
	out := make([]string, 0, len(ents))
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out, nil
}

// Stat is what stat answers of one path.
type Stat struct {
	Path     string // relative to the path asked, for a recursive stat ("" for itself)
	Dir      bool
	Size     int64
	Mode     uint32
	Modified int64 // Unix seconds
	Accessed int64
}

// Stat describes p; with recursive (a folder) every entry under it too.
func (a *AppFiles) Stat(p string, recursive bool) ([]Stat, error) {
	l, err := a.resolve(p, "stat")
	if err != nil {
		return nil, err
	}
	var fsys fs.FS
	name := l.rel
	if l.area == areaBundle {
		if a.o.Bundle == nil {
			return nil, fail(ReasonNotExist, "stat", p)
		}
		fsys = a.o.Bundle
		if name == "" {
			name = "."
		}
	} else {
		r, err := a.root()
		if err != nil {
			return nil, osErr(err, "stat", p)
		}
		defer r.Close()
		if err := noLink(r, l.rel, "stat", p); err != nil {
			return nil, err
		}
		fsys = r.FS()
	}
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, osErr(err, "stat", p)
	}
	out := []Stat{statOf("", st)}
	if recursive && st.IsDir() {
		err := fs.WalkDir(fsys, name, func(q string, d fs.DirEntry, err error) error {
			if err != nil || q == name {
				return nil
			}
			if info, err := d.Info(); err == nil && d.Type()&fs.ModeSymlink == 0 {
				out = append(out, statOf(strings.TrimPrefix(q, name+"/"), info))
			}
			return nil
		})
		if err != nil {
			return nil, osErr(err, "stat", p)
		}
	}
	return out, nil
}

func statOf(rel string, st fs.FileInfo) Stat {
	mode := uint32(0o100666) // S_IFREG
	if st.IsDir() {
		mode = 0o40666 // S_IFDIR
	}
	return Stat{Path: rel, Dir: st.IsDir(), Size: st.Size(), Mode: mode, Modified: st.ModTime().Unix(), Accessed: st.ModTime().Unix()}
}

// Unlink removes a file: a user file, a temporary or a saved one.
func (a *AppFiles) Unlink(p string) error {
	l, err := a.resolve(p, "unlink")
	if err != nil {
		return err
	}
	if l.area == areaBundle || l.rel == "usr" {
		return fail(ReasonPermission, "unlink", p)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return osErr(err, "unlink", p)
	}
	defer r.Close()
	st, err := r.Lstat(l.rel)
	if err != nil {
		return osErr(err, "unlink", p)
	}
	if st.IsDir() {
		return fail(ReasonNotPermitted, "unlink", p)
	}
	return osErr(r.Remove(l.rel), "unlink", p)
}

// Rename moves a user file or folder, or a temporary or saved file into the user files.
func (a *AppFiles) Rename(oldPath, newPath string) error {
	from, err := a.resolve(oldPath, "rename")
	if err != nil {
		return err
	}
	if from.area == areaBundle || from.rel == "usr" {
		return fail(ReasonPermission, "rename", oldPath)
	}
	to, err := a.writable(newPath, "rename")
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return osErr(err, "rename", oldPath)
	}
	defer r.Close()
	st, err := r.Lstat(from.rel)
	if err != nil {
		return osErr(err, "rename", oldPath)
	}
	if from.area == areaTemp && !st.IsDir() {
		// Leaving temp, the bytes start to count.
		if err := a.fits(r, st.Size(), 1); err != nil {
			return err
		}
	}
	if strings.HasPrefix(to.rel+"/", from.rel+"/") {
		return fail(ReasonPermission, "rename", newPath)
	}
	return osErr(r.Rename(from.rel, to.rel), "rename", oldPath)
}

// CopyFile copies any readable file into the user files.
func (a *AppFiles) CopyFile(src, dst string) error {
	if _, err := a.writable(dst, "copyFile"); err != nil {
		return err
	}
	data, err := a.ReadFile(src)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			fe.Op = "copyFile"
		}
		return err
	}
	return a.WriteFile(dst, data, false)
}

// Access reports whether p exists.
func (a *AppFiles) Access(p string) error {
	_, err := a.Stat(p, false)
	var fe *Error
	if errors.As(err, &fe) {
		fe.Op = "access"
	}
	return err
}

// newName is a fresh random file name with prefix and the extension of like.
func newName(prefix, like string) string {
	var b [12]byte
	// Time first, so that names sort by creation (the oldest temporary files go first).
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixNano()))
	rand.Read(b[8:])
	ext := strings.ToLower(path.Ext(like))
	if len(ext) > 10 || strings.ContainsAny(ext, "/\\\x00 ") {
		ext = ""
	}
	return prefix + hex.EncodeToString(b[:]) + ext
}

// WriteTemp stores data as a new temporary file and returns its path
// (wxfile://tmp_….EXT, ext like ".png"). Temporary files do not count against the
// quota; past MaxTempFiles or MaxTempBytes the oldest go. They end with the session.
// This is the entry point for other services that make files for the app
// (canvasToTempFilePath, a download, a chosen image).
func (a *AppFiles) WriteTemp(ext string, data []byte) (string, error) {
	if int64(len(data)) > a.s.cfg.MaxTempBytes {
		return "", fail(ReasonQuota, "", "")
	}
	f, p, err := a.CreateTemp(ext)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		a.Unlink(p)
		return "", osErr(err, "write", p)
	}
	return p, a.trimTemp()
}

// CreateTemp makes an empty temporary file for the caller to write (a download) and
// returns it with its virtual path; call TrimTemp after closing it.
func (a *AppFiles) CreateTemp(ext string) (*os.File, string, error) {
	name := newName(tempPrefix, "x"+ext)
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return nil, "", osErr(err, "open", Scheme+name)
	}
	defer r.Close()
	f, err := r.OpenFile("tmp/"+name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", osErr(err, "open", Scheme+name)
	}
	return f, Scheme + name, nil
}

// TrimTemp removes the oldest temporary files past the bounds.
func (a *AppFiles) TrimTemp() error { return a.trimTemp() }

func (a *AppFiles) trimTemp() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	ents, err := os.ReadDir(filepath.Join(a.dir, "tmp"))
	if err != nil {
		return nil
	}
	type tf struct {
		name string
		size int64
	}
	var all []tf
	var total int64
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		all = append(all, tf{e.Name(), info.Size()})
		total += info.Size()
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name }) // by creation (newName)
	for len(all) > 1 && (len(all) > a.s.cfg.MaxTempFiles || total > a.s.cfg.MaxTempBytes) {
		os.Remove(filepath.Join(a.dir, "tmp", all[0].name))
		total -= all[0].size
		all = all[1:]
	}
	return nil
}

// SaveFile moves a temporary file into the saved files (wx.saveFile) or, with
// filePath, into the user files, within the quota; it returns the new path.
func (a *AppFiles) SaveFile(tempPath, filePath string) (string, error) {
	from, err := a.resolve(tempPath, "saveFile")
	if err != nil {
		return "", err
	}
	if from.area != areaTemp {
		return "", fail(ReasonPermission, "saveFile", tempPath)
	}
	if filePath != "" {
		if err := a.Rename(tempPath, filePath); err != nil {
			return "", err
		}
		return filePath, nil
	}
	name := newName(savedPrefix, from.rel)
	a.mu.Lock()
	defer a.mu.Unlock()
	r, err := a.root()
	if err != nil {
		return "", osErr(err, "saveFile", tempPath)
	}
	defer r.Close()
	st, err := r.Lstat(from.rel)
	if err != nil {
		return "", osErr(err, "saveFile", tempPath)
	}
	if err := a.fits(r, st.Size(), 1); err != nil {
		return "", err
	}
	if err := r.Rename(from.rel, "store/"+name); err != nil {
		return "", osErr(err, "saveFile", tempPath)
	}
	return Scheme + name, nil
}

// SavedFile is one entry of getSavedFileList.
type SavedFile struct {
	FilePath   string `json:"filePath"`
	Size       int64  `json:"size"`
	CreateTime int64  `json:"createTime"`
}

// SavedFiles lists the saved files, oldest first.
func (a *AppFiles) SavedFiles() ([]SavedFile, error) {
	ents, err := os.ReadDir(filepath.Join(a.dir, "store"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	out := []SavedFile{}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		out = append(out, SavedFile{FilePath: Scheme + e.Name(), Size: info.Size(), CreateTime: info.ModTime().Unix()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreateTime < out[j].CreateTime })
	return out, nil
}

// RemoveSaved removes a saved file.
func (a *AppFiles) RemoveSaved(p string) error {
	l, err := a.resolve(p, "removeSavedFile")
	if err != nil {
		return err
	}
	if l.area != areaSaved {
		return fail(ReasonNotExist, "removeSavedFile", p)
	}
	return a.Unlink(p)
}

// Open opens a readable file of the app for streaming (an upload, the page's image
// scheme); the caller closes it. Bundle files are not served here.
func (a *AppFiles) Open(p string) (io.ReadCloser, int64, error) {
	l, err := a.resolve(p, "open")
	if err != nil {
		return nil, 0, err
	}
	if l.area == areaBundle {
		if a.o.Bundle == nil {
			return nil, 0, fail(ReasonNotExist, "open", p)
		}
		f, err := a.o.Bundle.Open(l.rel)
		if err != nil {
			return nil, 0, osErr(err, "open", p)
		}
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			f.Close()
			return nil, 0, fail(ReasonIsDir, "open", p)
		}
		return f, st.Size(), nil
	}
	r, err := a.root()
	if err != nil {
		return nil, 0, osErr(err, "open", p)
	}
	defer r.Close()
	if err := noLink(r, l.rel, "open", p); err != nil {
		return nil, 0, err
	}
	f, err := r.Open(l.rel)
	if err != nil {
		return nil, 0, osErr(err, "open", p)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, 0, fail(ReasonIsDir, "open", p)
	}
	return f, st.Size(), nil
}

// Local is the real path on disk of one of the app's own files (for the desktop's
// handler in openDocument); an error for bundle paths and folders.
func (a *AppFiles) Local(p string) (string, error) {
	l, err := a.resolve(p, "open")
	if err != nil {
		return "", err
	}
	if l.area == areaBundle {
		return "", fail(ReasonPermission, "open", p)
	}
	r, err := a.root()
	if err != nil {
		return "", osErr(err, "open", p)
	}
	defer r.Close()
	st, err := r.Lstat(l.rel)
	if err != nil {
		return "", osErr(err, "open", p)
	}
	if !st.Mode().IsRegular() {
		return "", fail(ReasonPermission, "open", p)
	}
	return filepath.Join(a.dir, filepath.FromSlash(l.rel)), nil
}

// IsAppPath reports whether p is one of the file store's virtual paths (wxfile://…).
func IsAppPath(p string) bool { return strings.HasPrefix(p, Scheme) }
