package bundle

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxFiles: 64, MaxUnpacked: 1 << 20, MaxFileSize: 256 << 10, MaxRatio: 100}

func FuzzOpen(f *testing.F) {
	key := testKey(f, 1)
	base := testFiles()
	small := map[string][]byte{"app.json": []byte(`{"id":"dev.f","version":"0.1.0"}`), "a.js": []byte("x")}
	smallMeta := func(key ed25519.PrivateKey) []ent {
		m := Manifest{Format: ManifestFormat, AppID: "dev.f", Version: "0.1.0", MinShell: "0.0.0"}
		for p, d := range small {
			m.Files = append(m.Files, File{Path: p, SHA256: digest(d), Size: int64(len(d))})
		}
		raw, _ := m.Canonical()
		return []ent{{name: ManifestPath, data: raw}}
	}
	f.Add(packFiles(f, base, PackOptions{Key: key}))
	f.Add(packFiles(f, base, PackOptions{}))
	f.Add(packFiles(f, small, PackOptions{Key: key}))
	f.Add(craft(f, append(smallMeta(nil), fileEnts(small)...)))
	f.Add(craft(f, append(smallMeta(nil), append(fileEnts(small), ent{name: "../x", data: []byte("x")})...)))
	f.Add(craft(f, append(smallMeta(nil), append(fileEnts(small), ent{name: "l", data: []byte("/"), mode: fs.ModeSymlink | 0o777})...)))
	f.Add(craft(f, append(smallMeta(nil), append(fileEnts(small), ent{name: "A.js", data: []byte("x")})...)))
	f.Add(craft(f, append(smallMeta(nil), append(fileEnts(small), ent{name: "z", data: make([]byte, 200<<10)})...)))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Open(bytes.NewReader(data), int64(len(data)), fuzzLimits)
		if err != nil {
			return
		}
		// Whatever opens is consistent: the manifest is canonical, every listed file is in
		// the FS with its digest, and a signature verifies for the key it names.
		raw, err := b.Manifest.Canonical()
		if err != nil || !bytes.Equal(raw, b.canonical) {
			t.Fatalf("opened manifest not canonical: %v", err)
		}
		for _, mf := range b.Manifest.Files {
			got, err := fs.ReadFile(b.FS(), mf.Path)
			if err != nil || digest(got) != mf.SHA256 || int64(len(got)) != mf.Size {
				t.Fatalf("%s: FS disagrees with manifest (%v)", mf.Path, err)
			}
			if err := CheckPath(mf.Path); err != nil {
				t.Fatalf("opened bundle with bad path: %v", err)
			}
		}
		if b.Signed {
			if err := b.Verify(b.SignerKey); err != nil {
				t.Fatalf("Open accepted a signature Verify refuses: %v", err)
			}
		} else if b.Manifest.Signer != "" {
			t.Fatal("unsigned bundle names a signer")
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	file := `{"path":"app.json","sha256":"` + sumA + `","size":2}`
	f.Add([]byte(`{"format":"sandframe-bundle-1","appId":"dev.x","version":"1.0.0","minShell":"0.0.0","signer":"","files":[` + file + `]}`))
	f.Add([]byte(`{"format":"sandframe-bundle-1","appId":"dev.x","version":"1.0.0-rc.1+b","minShell":"0.0.0","signer":"0123456789abcdef","files":[` + file + `,{"path":"页/b.js","sha256":"` + sumB + `","size":0}]}`))
	f.Add([]byte(`{"format":"sandframe-bundle-1","appId":"dev.x","version":"1.0.0","minShell":"0.0.0","signer":"","files":[{"path":"../x","sha256":"` + sumA + `","size":2}]}`))
	f.Add([]byte(`{"format":"sandframe-bundle-1","appId":"dev.x","appId":"dev.y"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := ParseManifest(raw)
		if err != nil {
			return
		}
		canon, err := m.Canonical()
		if err != nil {
			t.Fatalf("parsed manifest does not canonicalize: %v", err)
		}
		if !bytes.Equal(canon, raw) {
			t.Fatalf("accepted non-canonical bytes:\n%q\n%q", raw, canon)
		}
		seen := map[string]bool{}
		for _, f := range m.Files {
			if CheckPath(f.Path) != nil || seen[FoldPath(f.Path)] {
				t.Fatalf("accepted path %q", f.Path)
			}
			seen[FoldPath(f.Path)] = true
		}
	})
}

// bench5MB is a signed bundle of about 5 MB in 200 files (50 pages of four files).
func bench5MB(b *testing.B) (z []byte, pub ed25519.PublicKey, unpacked int64) {
	key := testKey(b, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{"app.json": []byte(`{"id":"dev.bench","version":"1.0.0"}`)}
	words := []string{"Page", "data", "setData", "this", "function", "return", "const", "view", "{{item}}", "\n"}
	for i := 0; unpacked < 5<<20; i++ {
		for _, ext := range []string{"js", "wxml", "wxss", "json"} {
			var buf bytes.Buffer
			for buf.Len() < 25<<10 {
				buf.WriteString(words[rng.IntN(len(words))])
				fmt.Fprintf(&buf, " %x ", rng.Uint32()) // keep it from compressing too well
			}
			files[fmt.Sprintf("pages/p%02d/p%02d.%s", i, i, ext)] = buf.Bytes()
			unpacked += int64(buf.Len())
		}
	}
	return packFiles(b, files, PackOptions{Key: key}), key.Public().(ed25519.PublicKey), unpacked
}

// BenchmarkVerifyExtract5MB: open (every check, every digest), verify the signature and
// extract (synced) a 5 MB bundle.
func BenchmarkVerifyExtract5MB(b *testing.B) {
	z, pub, unpacked := bench5MB(b)
	tmp := b.TempDir()
	b.SetBytes(unpacked)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		bd, err := Open(bytes.NewReader(z), int64(len(z)), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if err := bd.Verify(pub); err != nil {
			b.Fatal(err)
		}
		dir := filepath.Join(tmp, fmt.Sprint(i))
		if err := bd.Extract(dir); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}

// BenchmarkOpenVerify5MB is the same without the disk: what a launch from memory costs.
func BenchmarkOpenVerify5MB(b *testing.B) {
	z, pub, unpacked := bench5MB(b)
	b.SetBytes(unpacked)
	b.ResetTimer()
	for b.Loop() {
		bd, err := Open(bytes.NewReader(z), int64(len(z)), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if err := bd.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}
