package profile

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpBytes is a RIFF/WEBP header: what sniffing looks at.
var webpBytes = append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 24)...)

func dataURL(mime string, raw []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(raw)
}

func TestValidate(t *testing.T) {
	pngURL := dataURL("image/png", pngBytes(t))
	big := append(pngBytes(t), make([]byte, MaxAvatarBytes)...)
	tests := []struct {
		name string
		p    Profile
		want string // "" valid; else a part of the error
	}{
		{"name only", Profile{NickName: "Ada"}, ""},
		{"spaces trimmed", Profile{NickName: "  Ada  "}, ""},
		{"64 characters", Profile{NickName: strings.Repeat("é", 64)}, ""},
		{"png", Profile{NickName: "Ada", AvatarURL: pngURL}, ""},
		{"jpeg", Profile{NickName: "Ada", AvatarURL: dataURL("image/jpeg", jpegBytes(t))}, ""},
		{"webp", Profile{NickName: "Ada", AvatarURL: dataURL("image/webp", webpBytes)}, ""},
		{"empty name", Profile{NickName: "   "}, "profile: nickName: empty"},
		{"65 characters", Profile{NickName: strings.Repeat("a", 65)}, "nickName: 65 characters, at most 64"},
		{"newline", Profile{NickName: "Ada\nLovelace"}, "nickName: contains a control character"},
		{"bad utf-8", Profile{NickName: "Ada\xff"}, "nickName: not valid UTF-8"},
		{"remote avatar", Profile{NickName: "Ada", AvatarURL: "https://example.com/a.png"}, "profile: avatarUrl: not a data:image"},
		{"svg avatar", Profile{NickName: "Ada", AvatarURL: dataURL("image/svg+xml", []byte("<svg/>"))}, "avatarUrl: image/svg+xml: a picture must be PNG, JPEG or WebP"},
		{"not base64", Profile{NickName: "Ada", AvatarURL: "data:image/png,abc"}, "avatarUrl: not a base64 data URL"},
		{"bad base64", Profile{NickName: "Ada", AvatarURL: "data:image/png;base64,@@@"}, "avatarUrl: bad base64"},
		{"lying type", Profile{NickName: "Ada", AvatarURL: dataURL("image/jpeg", pngBytes(t))}, "avatarUrl: says image/jpeg but holds image/png"},
		{"too large", Profile{NickName: "Ada", AvatarURL: dataURL("image/png", big)}, "avatarUrl: larger than 256 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config", "sandframe")
	path := filepath.Join(dir, "profile.json")
	fallback := Profile{NickName: "Sandframe user"}

	got, err := Load(path, fallback)
	if err != nil || got != fallback {
		t.Fatalf("Load of a missing file = %+v, %v; want the fallback", got, err)
	}
	want := Profile{NickName: "Ada", AvatarURL: dataURL("image/png", pngBytes(t))}
	if err := Save(path, Profile{NickName: "  Ada ", AvatarURL: want.AvatarURL}); err != nil {
		t.Fatal(err)
	}
	if got, err = Load(path, fallback); err != nil || got != want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	for p, mode := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Fatalf("%s: %v, %v; want mode %v", p, fi.Mode(), err, mode)
		}
	}
	// An invalid profile is refused and the saved one stays.
	if err := Save(path, Profile{NickName: ""}); err == nil || !strings.Contains(err.Error(), "nickName") {
		t.Fatalf("Save of an empty name = %v", err)
	}
	if got, _ = Load(path, fallback); got != want {
		t.Fatalf("after a refused Save: %+v", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".profile-*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestLoadRefusesDamagedFile(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"not json", "nick", "invalid character"},
		{"unknown field", `{"nickName":"Ada","avatarUrl":"","admin":true}`, `unknown field "admin"`},
		{"wrong type", `{"nickName":7}`, "cannot unmarshal number"},
		{"invalid", `{"nickName":"","avatarUrl":""}`, "nickName: empty"},
		{"trailing", `{"nickName":"Ada","avatarUrl":""} {}`, "data after the profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "profile.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, Profile{NickName: "fallback"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Load = %v, want the path and %q", err, tt.want)
			}
		})
	}
}

func TestAvatarFromFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, raw []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, wantPrefix, wantErr string
	}{
		{"png", write("a.png", pngBytes(t)), "data:image/png;base64,", ""},
		{"jpeg named .png", write("b.png", jpegBytes(t)), "data:image/jpeg;base64,", ""},
		{"webp", write("c.webp", webpBytes), "data:image/webp;base64,", ""},
		{"text", write("d.png", []byte("hello, world")), "", "text/plain; charset=utf-8 is not a PNG, JPEG or WebP picture"},
		{"gif", write("e.gif", []byte("GIF89a......")), "", "image/gif is not a PNG"},
		{"too large", write("f.png", append(pngBytes(t), make([]byte, MaxAvatarBytes)...)), "", "larger than 256 KiB"},
		{"missing", filepath.Join(dir, "none.png"), "", "no such file"},
		{"directory", dir, "", "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, err := AvatarFromFile(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("AvatarFromFile = %q, %v; want %q", url, err, tt.wantErr)
				}
				return
			}
			if err != nil || !strings.HasPrefix(url, tt.wantPrefix) {
				t.Fatalf("AvatarFromFile = %.40q, %v; want %s…", url, err, tt.wantPrefix)
			}
			if err := (Profile{NickName: "Ada", AvatarURL: url}).Validate(); err != nil {
				t.Fatalf("its URL does not validate: %v", err)
			}
		})
	}
}
