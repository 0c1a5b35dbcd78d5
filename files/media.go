package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Choosing, inspecting and saving images and files. What the user picks in the shell's
// own chooser is copied into the app's temporary files: the app gets wxfile://tmp_…
// paths it can show in <image>, read with the FileSystemManager or upload, never a path
// of the user's disk.

// MaxChosenBytes bounds one chosen file copied into the temporary files.
const MaxChosenBytes = 64 << 20

var imagePatterns = []string{"*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.bmp", "*.PNG", "*.JPG", "*.JPEG", "*.GIF", "*.WEBP", "*.BMP"}
var videoPatterns = []string{"*.mp4", "*.mov", "*.webm", "*.mkv", "*.m4v", "*.MP4", "*.MOV", "*.WEBM"}

var _ = hostapi.Register(
	hostapi.Decl{Name: "chooseImage", Capability: capPick, Class: hostapi.ClassFile, Handler: chooseImage,
		Args: []hostapi.Field{{Name: "count", Type: hostapi.Number}, {Name: "sizeType", Type: hostapi.Array},
			{Name: "sourceType", Type: hostapi.Array}}},
	hostapi.Decl{Name: "chooseMedia", Capability: capPick, Class: hostapi.ClassFile, Handler: chooseMedia,
		Args: []hostapi.Field{{Name: "count", Type: hostapi.Number}, {Name: "mediaType", Type: hostapi.Array},
			{Name: "sourceType", Type: hostapi.Array}, {Name: "sizeType", Type: hostapi.Array}}},
	hostapi.Decl{Name: "chooseMessageFile", Capability: capPick, Class: hostapi.ClassFile, Handler: chooseMessageFile, Args: pickArgs},
	hostapi.Decl{Name: "getImageInfo", Class: hostapi.ClassLocal, Handler: imageInfo,
		Args: []hostapi.Field{{Name: "src", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "compressImage", Class: hostapi.ClassLocal, Handler: compressImage,
		Args: []hostapi.Field{{Name: "src", Type: hostapi.String, Required: true}, {Name: "quality", Type: hostapi.Number},
			{Name: "compressedWidth", Type: hostapi.Number}, {Name: "compressedHeight", Type: hostapi.Number}}},
	hostapi.Decl{Name: "saveImageToPhotosAlbum", Capability: capSave, Class: hostapi.ClassFile, Handler: saveToDisk,
		Args: []hostapi.Field{fPath}},
	hostapi.Decl{Name: "openDocument", Capability: capPick, Class: hostapi.ClassFile, Handler: openDocument,
		Args: []hostapi.Field{fPath, {Name: "fileType", Type: hostapi.String}, {Name: "showMenu", Type: hostapi.Boolean}}},
)

// chosen is one file the user picked, copied into the temporary files.
type chosen struct {
	path, name, kind string
	size             int64
	mod              int64
}

// choose shows the chooser and copies what the user picked into temp.
func choose(c hostapi.Call, count int, filter string, patterns []string) ([]chosen, *AppFiles, error) {
	if count == 0 {
		count = 9
	}
	if count < 1 || count > 100 {
		return nil, nil, fmt.Errorf("count %d is outside 1..100", count)
	}
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	af, err := h.AppFiles()
	if err != nil {
		return nil, nil, err
	}
	fp, err := h.FilePicker()
	if err != nil {
		return nil, nil, err
	}
	title := "Choose a file for " + h.AppTitle()
	var paths []string
	if fpf, ok := fp.(FilteredPicker); ok && len(patterns) > 0 {
		paths, err = fpf.PickFilesOf(c.Ctx, title, count > 1, filter, patterns)
	} else {
		paths, err = fp.PickFiles(c.Ctx, title, count > 1)
	}
	if err != nil {
		return nil, nil, err
	}
	if paths == nil {
		return nil, nil, errors.New("cancel")
	}
	if len(paths) > count {
		paths = paths[:count]
	}
	var out []chosen
	for _, p := range paths {
		ch, err := copyIn(af, p)
		if err != nil {
			for _, done := range out {
				af.Unlink(done.path)
			}
			return nil, nil, err
		}
		out = append(out, ch)
	}
	return out, af, nil
}

// copyIn copies the user's file into the app's temporary files.
func copyIn(af *AppFiles, p string) (chosen, error) {
	base := filepath.Base(p)
	f, err := os.Open(p)
	if err != nil {
		return chosen{}, fmt.Errorf("%s: %w", base, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return chosen{}, fmt.Errorf("%s is not a regular file", base)
	}
	if st.Size() > MaxChosenBytes {
		return chosen{}, fmt.Errorf("%s is larger than %d bytes", base, MaxChosenBytes)
	}
	tf, vp, err := af.CreateTemp(strings.ToLower(filepath.Ext(base)))
	if err != nil {
		return chosen{}, err
	}
	n, err := io.Copy(tf, io.LimitReader(f, MaxChosenBytes))
	if cerr := tf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		af.Unlink(vp)
		return chosen{}, fmt.Errorf("%s: %w", base, err)
	}
	af.TrimTemp()
	return chosen{path: vp, name: base, kind: kindOf(base), size: n, mod: st.ModTime().Unix()}, nil
}

func kindOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg":
		return "image"
	case ".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v":
		return "video"
	}
	return "file"
}

type countArgs struct {
	Count     int      `json:"count"`
	Type      string   `json:"type"`
	MediaType []string `json:"mediaType"`
	Extension []string `json:"extension"`
}

func chooseImage(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a countArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	files, _, err := choose(c, a.Count, "Images", imagePatterns)
	if err != nil {
		return nil, nil, err
	}
	paths := make([]string, 0, len(files))
	temps := make([]map[string]any, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.path)
		temps = append(temps, map[string]any{"path": f.path, "size": f.size})
	}
	return map[string]any{"tempFilePaths": paths, "tempFiles": temps}, nil, nil
}

func chooseMedia(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a countArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	wantImage, wantVideo := len(a.MediaType) == 0, len(a.MediaType) == 0
	for _, m := range a.MediaType {
		switch m {
		case "image":
			wantImage = true
		case "video":
			wantVideo = true
		case "mix":
			wantImage, wantVideo = true, true
		}
	}
	var patterns []string
	filter := "Images and videos"
	if wantImage {
		patterns = append(patterns, imagePatterns...)
	}
	if wantVideo {
		patterns = append(patterns, videoPatterns...)
	}
	switch {
	case !wantVideo:
		filter = "Images"
	case !wantImage:
		filter = "Videos"
	}
	files, af, err := choose(c, a.Count, filter, patterns)
	if err != nil {
		return nil, nil, err
	}
	temps := make([]map[string]any, 0, len(files))
	kinds := map[string]bool{}
	for _, f := range files {
		kind := f.kind
		if kind != "video" {
			kind = "image"
		}
		kinds[kind] = true
		t := map[string]any{"tempFilePath": f.path, "size": f.size, "fileType": kind, "duration": 0, "thumbTempFilePath": ""}
		if kind == "image" {
			if raw, err := af.ReadFile(f.path); err == nil {
				if cfg, _, err := image.DecodeConfig(bytes.NewReader(raw)); err == nil {
					t["width"], t["height"] = cfg.Width, cfg.Height
				}
			}
		}
		temps = append(temps, t)
	}
	typ := "image"
	if kinds["video"] {
		typ = "video"
		if kinds["image"] {
			typ = "mix"
		}
	}
	return map[string]any{"tempFiles": temps, "type": typ}, nil, nil
}

func chooseMessageFile(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := countArgs{Count: 1}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	var patterns []string
	filter := ""
	switch a.Type {
	case "image":
		patterns, filter = imagePatterns, "Images"
	case "video":
		patterns, filter = videoPatterns, "Videos"
	case "file":
		for _, e := range a.Extension {
			e = strings.TrimPrefix(e, ".")
			if e != "" && !strings.ContainsAny(e, "/*?[") {
				patterns = append(patterns, "*."+e, "*."+strings.ToUpper(e))
			}
		}
		filter = "Files"
	}
	files, _, err := choose(c, a.Count, filter, patterns)
	if err != nil {
		return nil, nil, err
	}
	temps := make([]map[string]any, 0, len(files))
	for _, f := range files {
		temps = append(temps, map[string]any{"path": f.path, "size": f.size, "name": f.name, "type": f.kind, "time": f.mod})
	}
	return map[string]any{"tempFiles": temps}, nil, nil
}

// RemoteImages fetches a remote image for the app under the shell's image policy
// (getImageInfo of an https src); the session is one.
type RemoteImages interface {
	FetchImage(ctx context.Context, url string) (data []byte, contentType string, err error)
}

// imageBytes reads src: the app's file, a bundle file, or a remote image (saved to temp
// first, as WeChat does: the answer's path is then that temp file).
func imageBytes(c hostapi.Call, af *AppFiles, src string) ([]byte, string, error) {
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
		ri, err := hostapi.HostAs[RemoteImages](c)
		if err != nil {
			return nil, "", errors.New("remote images are not available")
		}
		data, _, err := ri.FetchImage(c.Ctx, src)
		if err != nil {
			return nil, "", fmt.Errorf("download image fail: %v", err)
		}
		ext := path.Ext(strings.SplitN(path.Base(src), "?", 2)[0])
		p, err := af.WriteTemp(ext, data)
		return data, p, err
	}
	data, err := af.ReadFile(src)
	return data, src, err
}

func imageInfo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Src string `json:"src"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	af, err := appFiles(c)
	if err != nil {
		return nil, nil, err
	}
	data, p, err := imageBytes(c, af, a.Src)
	if err != nil {
		return nil, nil, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, nil, errors.New("invalid image")
	}
	orientation := "up"
	if format == "jpeg" {
		orientation = jpegOrientation(data)
	}
	w, h := cfg.Width, cfg.Height
	if orientation == "left" || orientation == "right" || orientation == "left-mirrored" || orientation == "right-mirrored" {
		w, h = h, w // WeChat reports the displayed size
	}
	return map[string]any{"width": w, "height": h, "path": p, "orientation": orientation, "type": format}, nil, nil
}

// jpegOrientation reads the EXIF orientation of a JPEG, in WeChat's words.
func jpegOrientation(b []byte) string {
	names := map[int]string{1: "up", 2: "up-mirrored", 3: "down", 4: "down-mirrored", 5: "left-mirrored", 6: "right", 7: "right-mirrored", 8: "left"}
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		marker, size := b[i+1], int(b[i+2])<<8|int(b[i+3])
		if marker == 0xDA || size < 2 || i+2+size > len(b) {
			break
		}
		seg := b[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			t := seg[6:]
			var u16 func([]byte) int
			switch string(t[:2]) {
			case "II":
				u16 = func(x []byte) int { return int(x[0]) | int(x[1])<<8 }
			case "MM":
				u16 = func(x []byte) int { return int(x[0])<<8 | int(x[1]) }
			default:
				return "up"
			}
			u32 := func(x []byte) int { return u16(x[:2]) | u16(x[2:4])<<16 }
			if string(t[:2]) == "MM" {
				u32 = func(x []byte) int { return u16(x[:2])<<16 | u16(x[2:4]) }
			}
			off := u32(t[4:8])
			if off+2 > len(t) {
				return "up"
			}
			n := u16(t[off:])
			for k := 0; k < n; k++ {
				e := off + 2 + 12*k
				if e+12 > len(t) {
					break
				}
				if u16(t[e:]) == 0x0112 {
					if name, ok := names[u16(t[e+8:])]; ok {
						return name
					}
				}
			}
			return "up"
		}
		i += 2 + size
	}
	return "up"
}

func compressImage(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Src     string   `json:"src"`
		Quality *float64 `json:"quality"`
		Width   int      `json:"compressedWidth"`
		Height  int      `json:"compressedHeight"`
	}{}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	af, err := appFiles(c)
	if err != nil {
		return nil, nil, err
	}
	data, _, err := imageBytes(c, af, a.Src)
	if err != nil {
		return nil, nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, nil, errors.New("invalid image")
	}
	q := 80
	if a.Quality != nil {
		q = int(*a.Quality)
		q = max(1, min(100, q))
	}
	b := img.Bounds()
	w, h := a.Width, a.Height
	switch {
	case w > 0 && h <= 0:
		h = max(1, b.Dy()*w/max(1, b.Dx()))
	case h > 0 && w <= 0:
		w = max(1, b.Dx()*h/max(1, b.Dy()))
	}
	if w > 0 && h > 0 && (w != b.Dx() || h != b.Dy()) {
		if w > 8192 || h > 8192 {
			return nil, nil, errors.New("compressed size is too large")
		}
		img = scale(img, w, h)
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, nil, err
	}
	p, err := af.WriteTemp(".jpg", out.Bytes())
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"tempFilePath": p}, nil, nil
}

// scale resizes img to w×h, each pixel the average of the source pixels it covers
// (box filter; nearest when growing).
func scale(src image.Image, w, h int) image.Image {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sw, sh := b.Dx(), b.Dy()
	for y := 0; y < h; y++ {
		y0, y1 := b.Min.Y+y*sh/h, b.Min.Y+max((y+1)*sh/h, y*sh/h+1)
		for x := 0; x < w; x++ {
			x0, x1 := b.Min.X+x*sw/w, b.Min.X+max((x+1)*sw/w, x*sw/w+1)
			var r, g, bl, al, n uint32
			for yy := y0; yy < y1; yy++ {
				for xx := x0; xx < x1; xx++ {
					cr, cg, cb, ca := src.At(xx, yy).RGBA()
					r, g, bl, al, n = r+cr, g+cg, bl+cb, al+ca, n+1
				}
			}
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(r/n>>8), uint8(g/n>>8), uint8(bl/n>>8), uint8(al/n>>8)
		}
	}
	return dst
}

// SaverHost gives the window's save dialog (saveImageToPhotosAlbum).
type SaverHost interface {
	FileSaver() (Saver, error)
}

// saveToDisk serves saveImageToPhotosAlbum: a desktop has no photo album, so the user
// chooses where the image goes in the shell's save dialog.
func saveToDisk(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a pathArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	af, err := appFiles(c)
	if err != nil {
		return nil, nil, err
	}
	data, err := af.ReadFile(a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
		return nil, nil, errors.New("invalid file type")
	}
	sh, err := hostapi.HostAs[SaverHost](c)
	if err != nil {
		return nil, nil, err
	}
	sv, err := sh.FileSaver()
	if err != nil {
		return nil, nil, err
	}
	h, _ := hostapi.HostAs[Host](c)
	name := path.Base(a.FilePath)
	if i := strings.Index(name, "://"); i >= 0 {
		name = name[i+3:]
	}
	dest, err := sv.SaveFileAs(c.Ctx, "Save an image from "+h.AppTitle(), name)
	if err != nil {
		return nil, nil, err
	}
	if dest == "" {
		return nil, nil, errors.New("cancel")
	}
	if err := os.WriteFile(dest, data, 0o644); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Base(dest), err)
	}
	return map[string]any{}, nil, nil
}

// Opener opens one of the app's files with the desktop's application for it, after
// asking the user in a trusted prompt (the session is one).
type Opener interface {
	OpenDocument(ctx context.Context, local, name string) error
}

func openDocument(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a pathArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	af, err := appFiles(c)
	if err != nil {
		return nil, nil, err
	}
	local, err := af.Local(a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	op, err := hostapi.HostAs[Opener](c)
	if err != nil {
		return nil, nil, err
	}
	name := a.FilePath[strings.LastIndex(a.FilePath, "/")+1:]
	return map[string]any{}, nil, op.OpenDocument(c.Ctx, local, name)
}

// Image decoders for getImageInfo and compressImage.
var (
	_ = png.Decode
	_ = gif.Decode
)
