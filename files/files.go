// Package files is each app's own files and the host APIs behind them (docs/files.md):
// the FileSystemManager, confined to the app's folder under the shell's data dir;
// temporary files the page can show; the choosers, where the user picks in the shell's
// own file chooser and the app receives a copy in its temporary files (sf.pickFile: the
// bytes inline), never a path of the user's disk; getImageInfo, compressImage,
// saveImageToPhotosAlbum (a save dialog), openDocument; and downloadFile/uploadFile,
// whose network side is netapi's.
package files

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Picker asks the user for files (the window does).
type Picker interface {
	PickFiles(ctx context.Context, title string, multiple bool) ([]string, error)
}

// FilteredPicker is a Picker that can show only some files ("*.png"), under a filter's
// name; the window is one.
type FilteredPicker interface {
	PickFilesOf(ctx context.Context, title string, multiple bool, filter string, patterns []string) ([]string, error)
}

// Saver asks the user where to save a file (the window's save dialog): the chosen path,
// or "" when they cancelled.
type Saver interface {
	SaveFileAs(ctx context.Context, title, name string) (string, error)
}

// Host is what the file APIs need from the running session.
type Host interface {
	// FilePicker is the window's chooser; an error on a surface without one.
	FilePicker() (Picker, error)
	// AppTitle is the app's name as people see it, for the chooser's title.
	AppTitle() string
	// AppFiles is the calling app's own files (the session's identity; never another
	// app's).
	AppFiles() (*AppFiles, error)
}

// MaxPickedBytes bounds one picked file: its bytes travel to the app inline.
const MaxPickedBytes = 10 << 20

const capPick, capSave = "file:pick", "file:save"

var pickArgs = []hostapi.Field{{Name: "count", Type: hostapi.Number}, {Name: "type", Type: hostapi.String},
	{Name: "extension", Type: hostapi.Array}}

var _ = hostapi.Register(
	hostapi.Decl{Name: "pickFile", Capability: capPick, Class: hostapi.ClassFile, Handler: pick, Args: pickArgs},
	// Planned: declared so that policy and lint know their capability.
	hostapi.Decl{Name: "chooseVideo", Capability: capPick, Class: hostapi.ClassFile},
	hostapi.Decl{Name: "saveFileToDisk", Capability: capSave, Class: hostapi.ClassFile},
	hostapi.Decl{Name: "saveVideoToPhotosAlbum", Capability: capSave, Class: hostapi.ClassFile},
)

// pick serves sf.pickFile: the bytes inline.
func pick(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Count int `json:"count"`
	}{Count: 1}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if a.Count < 1 || a.Count > 100 {
		return nil, nil, fmt.Errorf("count %d is outside 1..100", a.Count)
	}
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	fp, err := h.FilePicker()
	if err != nil {
		return nil, nil, err
	}
	paths, err := fp.PickFiles(c.Ctx, "Choose a file for "+h.AppTitle(), a.Count > 1)
	if err != nil {
		return nil, nil, err
	}
	if paths == nil {
		return nil, nil, errors.New("cancel")
	}
	if len(paths) > a.Count {
		paths = paths[:a.Count]
	}
	out := make([]map[string]any, 0, len(paths))
	for i, p := range paths {
		f, err := readPicked(p)
		if err != nil {
			return nil, nil, err
		}
		f["path"] = fmt.Sprintf("sffile://picked/%d/%s", i, f["name"])
		out = append(out, f)
	}
	return map[string]any{"tempFiles": out}, nil, nil
}

func readPicked(path string) (map[string]any, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	if st.Size() > MaxPickedBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", filepath.Base(path), MaxPickedBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	kind := "file"
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg":
		kind = "image"
	case ".mp4", ".mov", ".webm", ".mkv", ".avi":
		kind = "video"
	}
	return map[string]any{
		"name": filepath.Base(path), "size": len(raw), "type": kind, "time": st.ModTime().Unix(),
		"data": base64.StdEncoding.EncodeToString(raw),
	}, nil
}
