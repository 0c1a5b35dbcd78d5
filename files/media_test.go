package files

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChooseImageGivesTempPaths: what the user picks in the shell's chooser is copied
// into the app's temporary files, filtered to images; the app gets wxfile://tmp_ paths.
func TestChooseImageGivesTempPaths(t *testing.T) {
	dir := t.TempDir()
	pic := filepath.Join(dir, "cat.PNG")
	os.WriteFile(pic, pngBytes(3, 2), 0o600)
	s := newStore(t, Config{})
	h := &fakeHost{af: s.App(appKey, AppOptions{}), paths: []string{pic}}
	res, err := call(t, h, "chooseImage", `{"count":1}`)
	if err != nil {
		t.Fatal(err)
	}
	paths := res["tempFilePaths"].([]string)
	if len(paths) != 1 || !strings.HasPrefix(paths[0], "wxfile://tmp_") || !strings.HasSuffix(paths[0], ".png") || h.multiple ||
		len(h.patterns) == 0 || h.patterns[0] != "*.png" {
		t.Fatalf("chose %v (patterns %v)", paths, h.patterns)
	}
	if b, err := h.af.ReadFile(paths[0]); err != nil || !bytes.Equal(b, pngBytes(3, 2)) {
		t.Errorf("the temp copy: %v", err)
	}
	info, err := call(t, h, "getImageInfo", `{"src":"`+paths[0]+`"}`)
	if err != nil || info["width"] != 3 || info["height"] != 2 || info["type"] != "png" || info["orientation"] != "up" || info["path"] != paths[0] {
		t.Errorf("getImageInfo = %v, %v", info, err)
	}
	media, err := call(t, h, "chooseMedia", `{"mediaType":["image"]}`)
	if err != nil {
		t.Fatal(err)
	}
	tf := media["tempFiles"].([]map[string]any)
	if media["type"] != "image" || len(tf) != 1 || tf[0]["width"] != 3 || tf[0]["fileType"] != "image" || !h.multiple {
		t.Errorf("chooseMedia = %v", media)
	}
	msg, err := call(t, h, "chooseMessageFile", `{"type":"file","extension":["png"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if f := msg["tempFiles"].([]map[string]any)[0]; f["name"] != "cat.PNG" || f["type"] != "image" || f["size"] != int64(len(pngBytes(3, 2))) ||
		h.patterns[0] != "*.png" || h.patterns[1] != "*.PNG" {
		t.Errorf("chooseMessageFile = %v (%v)", f, h.patterns)
	}
	if _, err := call(t, &fakeHost{af: h.af}, "chooseImage", `{}`); err == nil || err.Error() != "cancel" {
		t.Errorf("cancelled: %v", err)
	}
}

func TestImageInfoAndCompress(t *testing.T) {
	s := newStore(t, Config{})
	h := &fakeHost{af: s.App(appKey, AppOptions{Bundle: bundle})}
	info, err := call(t, h, "getImageInfo", `{"src":"/images/logo.png"}`)
	if err != nil || info["width"] != 4 || info["height"] != 2 || info["path"] != "/images/logo.png" {
		t.Errorf("bundle image: %v %v", info, err)
	}
	if _, err := call(t, h, "getImageInfo", `{"src":"/app.json"}`); err == nil || err.Error() != "invalid image" {
		t.Errorf("not an image: %v", err)
	}
	res, err := call(t, h, "compressImage", `{"src":"/images/logo.png","quality":50,"compressedWidth":2}`)
	if err != nil {
		t.Fatal(err)
	}
	p := res["tempFilePath"].(string)
	raw, err := h.af.ReadFile(p)
	if err != nil || !strings.HasSuffix(p, ".jpg") {
		t.Fatal(p, err)
	}
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds() != image.Rect(0, 0, 2, 1) {
		t.Errorf("compressed: %v %v", err, img)
	}
	// A JPEG whose EXIF says "rotated 90° clockwise" reports its displayed size.
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 6, 2)), nil)
	j := b.Bytes()
	exif := []byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	seg := append([]byte{0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	rotated := append(append(append([]byte{}, j[:2]...), seg...), j[2:]...)
	tmp, _ := h.af.WriteTemp(".jpg", rotated)
	info, err = call(t, h, "getImageInfo", `{"src":"`+tmp+`"}`)
	if err != nil || info["orientation"] != "right" || info["width"] != 2 || info["height"] != 6 || info["type"] != "jpeg" {
		t.Errorf("rotated jpeg: %v %v", info, err)
	}
}

func TestSaveImageToPhotosAlbum(t *testing.T) {
	s := newStore(t, Config{})
	dest := filepath.Join(t.TempDir(), "out.png")
	h := &fakeHost{af: s.App(appKey, AppOptions{Bundle: bundle}), saveTo: dest}
	tmp, _ := h.af.WriteTemp(".png", pngBytes(2, 2))
	if _, err := call(t, h, "saveImageToPhotosAlbum", `{"filePath":"`+tmp+`"}`); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dest); err != nil || !bytes.Equal(b, pngBytes(2, 2)) {
		t.Errorf("saved: %v", err)
	}
	if !strings.HasPrefix(h.title, "Save an image from Notes tmp_") {
		t.Errorf("dialog %q", h.title)
	}
	h.saveTo = ""
	if _, err := call(t, h, "saveImageToPhotosAlbum", `{"filePath":"`+tmp+`"}`); err == nil || err.Error() != "cancel" {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := call(t, h, "saveImageToPhotosAlbum", `{"filePath":"/app.json"}`); err == nil || err.Error() != "invalid file type" {
		t.Errorf("not an image: %v", err)
	}
}
