package registry

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sandframe/sandframe/appstore/bundle"
)

func verifySignature(pub ed25519.PublicKey, manifest, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && len(sig) == ed25519.SignatureSize &&
		ed25519.Verify(pub, manifest, sig)
}

// verifyDir checks that dir holds exactly m's files: every one present, a regular file
// of the listed size and digest, and nothing else but directories. Files are read
// through an os.Root, so a symlink planted in the tree cannot lead the check elsewhere.
func verifyDir(dir string, m *bundle.Manifest) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrModified, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a directory: %w", dir, ErrModified)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrModified, err)
	}
	defer root.Close()
	want := make(map[string]bundle.File, len(m.Files))
	for _, f := range m.Files {
		want[f.Path] = f
	}
	buf := make([]byte, 64<<10)
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		f, ok := want[p]
		switch {
		case !ok:
			return fmt.Errorf("%s: %w", p, bundle.ErrNotInManifest)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: %w", p, bundle.ErrSymlink)
		}
		delete(want, p)
		return checkFile(root, f, buf)
	})
	if err != nil {
		return fmt.Errorf("%s: %w: %w", dir, ErrModified, err)
	}
	for p := range want {
		return fmt.Errorf("%s: %s: %w: %w", dir, p, ErrModified, bundle.ErrMissingFile)
	}
	return nil
}

func checkFile(root *os.Root, f bundle.File, buf []byte) error {
	r, err := root.Open(f.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, io.LimitReader(r, f.Size+1), buf)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if n != f.Size {
		return fmt.Errorf("%s: %d bytes, manifest says %d: %w", f.Path, n, f.Size, bundle.ErrSize)
	}
	if hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("%s: %w", f.Path, bundle.ErrDigest)
	}
	return nil
}
