package launcher

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIconURL(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"icon.png":    iconPNG(t),
		"icon.svg":    []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"fake.png":    []byte("GIF89a not a png"),
		"fake.svg":    []byte("<html>no</html>"),
		"big.png":     append(iconPNG(t), bytes.Repeat([]byte{0}, maxIconBytes)...),
		"icon.gif":    []byte("GIF89a......"),
		"sub/dir.png": iconPNG(t),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret.png")
	os.WriteFile(outside, iconPNG(t), 0o600)
	if err := os.Symlink(outside, filepath.Join(dir, "link.png")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	tests := []struct{ name, want string }{
		{"icon.png", "data:image/png;base64,"},
		{"icon.svg", "data:image/svg+xml;base64,"},
		{"sub/dir.png", "data:image/png;base64,"},
		{"fake.png", ""},
		{"fake.svg", ""},
		{"big.png", ""},
		{"icon.gif", ""},
		{"none.png", ""},
		{"sub", ""},
		{"link.png", ""}, // points outside the app's folder
		{"", ""},
	}
	for _, tt := range tests {
		got := iconURL(root, tt.name)
		if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
			t.Errorf("iconURL(%q) = %.40q, want %q…", tt.name, got, tt.want)
		}
	}
}
