package storage

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrongMasterKey(t *testing.T) {
	keyPath := func(d testDirs) string { return (&FileKeyring{Dir: d.config}).path(KeyringService, KeyringUser) }
	tests := []struct {
		name        string
		break_      func(t *testing.T, d testDirs)
		wantMissing bool
	}{
		{"key file replaced", func(t *testing.T, d testDirs) {
			other := make([]byte, masterKeyLen)
			rand.Read(other)
			(&FileKeyring{Dir: d.config}).Set(KeyringService, KeyringUser, other)
		}, false},
		{"key file replaced and check file gone", func(t *testing.T, d testDirs) {
			other := make([]byte, masterKeyLen)
			rand.Read(other)
			(&FileKeyring{Dir: d.config}).Set(KeyringService, KeyringUser, other)
			os.Remove(filepath.Join(d.data, checkFile))
		}, false},
		{"key file deleted", func(t *testing.T, d testDirs) {
			os.Remove(keyPath(d))
		}, true},
		{"key file deleted and check file gone", func(t *testing.T, d testDirs) {
			os.Remove(keyPath(d))
			os.Remove(filepath.Join(d.data, checkFile))
		}, true},
		{"key file truncated", func(t *testing.T, d testDirs) {
			(&FileKeyring{Dir: d.config}).Set(KeyringService, KeyringUser, make([]byte, 16))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDirs(t)
			s := openStore(t, d, nil)
			mustSet(t, appStore(t, s, "dev.example.keep"), "k", `"precious"`)
			mustSet(t, appStore(t, s, "dev.example.other"), "k", `1`)
			s.Close()
			original, err := os.ReadFile(keyPath(d))
			if err != nil {
				t.Fatal(err)
			}
			check, _ := os.ReadFile(filepath.Join(d.data, checkFile))

			tt.break_(t, d)
			before := allFiles(t, d.data, d.config)
			_, err = Open(d.config_(nil))
			var mk *MasterKeyError
			if !errors.Is(err, ErrWrongMasterKey) || !errors.As(err, &mk) {
				t.Fatalf("Open = %v, want ErrWrongMasterKey", err)
			}
			if mk.Missing != tt.wantMissing {
				t.Errorf("Missing = %v, want %v", mk.Missing, tt.wantMissing)
			}
			for _, want := range []string{"Nothing was changed", "Restore the original master key", d.data} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if !sameFiles(before, allFiles(t, d.data, d.config)) {
				t.Error("a failed Open changed files")
			}

			// Put the key back: everything is there.
			os.WriteFile(keyPath(d), original, 0o600)
			if len(check) > 0 {
				os.WriteFile(filepath.Join(d.data, checkFile), check, 0o600)
			}
			s2 := openStore(t, d, nil)
			if got := mustGet(t, appStore(t, s2, "dev.example.keep"), "k"); got != `"precious"` {
				t.Errorf("after restoring the key: %s", got)
			}
		})
	}
}

// A key that opens no app (the check file lost, apps wrapped under another key) is
// caught when the app is opened, even if Open let it through.
func TestWrongMasterKeyAtApp(t *testing.T) {
	d := newDirs(t)
	s := openStore(t, d, nil)
	mustSet(t, appStore(t, s, "dev.example.a"), "k", `1`)
	s.Close()
	// A new data folder with a foreign app copied in, under the same key file: the
	// check file is for this key, but the app was wrapped by another.
	d2 := newDirs(t)
	s2 := openStore(t, d2, nil)
	s2.Close()
	name, _ := dirName("dev.example.a")
	if err := os.CopyFS(filepath.Join(d2.data, name), os.DirFS(filepath.Join(d.data, name))); err != nil {
		t.Fatal(err)
	}
	s3 := openStore(t, d2, nil)
	_, err := appStore(t, s3, "dev.example.a").Get("k")
	if !errors.Is(err, ErrWrongMasterKey) || !strings.Contains(err.Error(), "dev.example.a") {
		t.Errorf("Get = %v, want ErrWrongMasterKey naming the app", err)
	}
}
