package canvas

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// TempStore keeps an app's temporary files: what canvasToTempFilePath makes. It is an
// interface so that the shell's one temporary file store (the media APIs') can take
// its place: SaveTemp stores data and answers the path the app sees; the store decides
// where the bytes live, bounds them, and wipes them with the app (appdata).
type TempStore interface {
	SaveTemp(app identity.App, ext string, data []byte) (string, error)
}

// TempPrefix starts every path TempFiles answers: "wxfile://tmp/canvas-<32 hex>.png",
// WeChat's scheme for an app's own files.
const TempPrefix = "wxfile://tmp/"

// Limits of TempFiles per app: past them the oldest files go first.
const (
	MaxTempFiles = 256
	MaxTempBytes = 64 << 20
)

// TempFiles is the minimal TempStore: one folder per app identity under Dir (0700,
// files 0600), at most MaxTempFiles files and MaxTempBytes bytes per app (oldest
// removed first), all removed by a wipe of any scope.
type TempFiles struct {
	dir string
	mu  sync.Mutex
}

// OpenTempFiles opens the store in dir.
func OpenTempFiles(dir string) (*TempFiles, error) {
	if dir == "" {
		return nil, errors.New("canvas: no folder for temporary files")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("canvas: temporary files: %w", err)
	}
	return &TempFiles{dir: dir}, nil
}

// appDir is the app's folder: a hash of its identity key, so no id can name a path.
func (t *TempFiles) appDir(app identity.App) string {
	sum := sha256.Sum256([]byte(app.Key()))
	return filepath.Join(t.dir, hex.EncodeToString(sum[:12]))
}

// SaveTemp implements TempStore.
func (t *TempFiles) SaveTemp(app identity.App, ext string, data []byte) (string, error) {
	if app.ID == "" {
		return "", errors.New("no app")
	}
	if ext != "png" && ext != "jpg" {
		return "", fmt.Errorf("temporary files are png or jpg, not %q", ext)
	}
	if len(data) > MaxTempBytes {
		return "", fmt.Errorf("image of %d bytes is larger than %d", len(data), MaxTempBytes)
	}
	var rnd [16]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	name := "canvas-" + hex.EncodeToString(rnd[:]) + "." + ext
	t.mu.Lock()
	defer t.mu.Unlock()
	dir := t.appDir(app)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := t.makeRoom(dir, int64(len(data))); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		return "", err
	}
	return TempPrefix + name, nil
}

// makeRoom removes the oldest files of dir until one more file of n bytes fits.
func (t *TempFiles) makeRoom(dir string, n int64) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type file struct {
		name string
		size int64
		mod  int64
	}
	var files []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, file{e.Name(), info.Size(), info.ModTime().UnixNano()})
		total += info.Size()
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod < files[j].mod })
	for len(files) > 0 && (len(files)+1 > MaxTempFiles || total+n > MaxTempBytes) {
		if err := os.Remove(filepath.Join(dir, files[0].name)); err != nil && !os.IsNotExist(err) {
			return err
		}
		total -= files[0].size
		files = files[1:]
	}
	return nil
}

// Resolve is the file behind a path SaveTemp answered for app, for whatever shows or
// reads it (an <image>, getFileSystemManager); an error for any other path.
func (t *TempFiles) Resolve(app identity.App, p string) (string, error) {
	name, ok := strings.CutPrefix(p, TempPrefix)
	if !ok || !validName(name) {
		return "", fmt.Errorf("%q is not a temporary file of this app", p)
	}
	f := filepath.Join(t.appDir(app), name)
	if _, err := os.Stat(f); err != nil {
		return "", fmt.Errorf("%q is not a temporary file of this app", p)
	}
	return f, nil
}

func validName(n string) bool {
	base, ext, ok := strings.Cut(n, ".")
	if !ok || (ext != "png" && ext != "jpg") || !strings.HasPrefix(base, "canvas-") || len(base) != len("canvas-")+32 {
		return false
	}
	_, err := hex.DecodeString(base[len("canvas-"):])
	return err == nil
}

// AppData is the store in the one wipe: an app's temporary files go in every scope.
func (t *TempFiles) AppData() appdata.Store { return tempData{t} }

type tempData struct{ t *TempFiles }

func (tempData) Name() string { return "canvas temporary files" }

func (d tempData) Wipe(_ context.Context, app identity.App, _ appdata.Scope) error {
	d.t.mu.Lock()
	defer d.t.mu.Unlock()
	return os.RemoveAll(d.t.appDir(app))
}
