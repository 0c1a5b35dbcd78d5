package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	tests := []struct {
		name string
		data string
		perm os.FileMode
	}{
		{"create", "one", 0o600},
		{"replace with another mode", "two, longer", 0o644},
		{"replace with less", "3", 0o600},
	}
	for _, tt := range tests {
		if err := Write(path, []byte(tt.data), tt.perm); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != tt.data {
			t.Fatalf("%s: read %q (%v), want %q", tt.name, got, err, tt.data)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != tt.perm {
			t.Fatalf("%s: mode %v, want %v", tt.name, fi.Mode().Perm(), tt.perm)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	// A folder that does not exist: an error naming the path, nothing written.
	missing := filepath.Join(dir, "no", "f")
	if err := Write(missing, []byte("x"), 0o600); err == nil || !filepath.IsAbs(missing) {
		t.Fatal("writing into a missing folder succeeded")
	}
}
