package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strings"
	"testing"
)

// with returns files plus extra (nil values delete).
func with(files map[string][]byte, extra map[string][]byte) map[string][]byte {
	out := maps.Clone(files)
	for p, d := range extra {
		if d == nil {
			delete(out, p)
		} else {
			out[p] = d
		}
	}
	return out
}

// patchCentral edits the central directory record of the entry called name.
func patchCentral(t *testing.T, z []byte, name string, edit func(rec []byte)) []byte {
	t.Helper()
	z = bytes.Clone(z)
	sig := []byte{0x50, 0x4b, 0x01, 0x02}
	for i := bytes.Index(z, sig); i >= 0; {
		n := int(binary.LittleEndian.Uint16(z[i+28:]))
		if string(z[i+46:i+46+n]) == name {
			edit(z[i:])
			return z
		}
		j := bytes.Index(z[i+4:], sig)
		if j < 0 {
			break
		}
		i += 4 + j
	}
	t.Fatalf("no central record for %q", name)
	return nil
}

func localOffset(t *testing.T, z []byte, name string) uint32 {
	var off uint32
	patchCentral(t, z, name, func(rec []byte) { off = binary.LittleEndian.Uint32(rec[42:]) })
	return off
}

// TestOpenRefuses crafts one hostile or broken bundle per refusal and checks Open names it.
func TestOpenRefuses(t *testing.T) {
	key := testKey(t, 1)
	other := testKey(t, 2)
	base := testFiles()
	signed := func(files map[string][]byte, extra ...ent) []ent {
		return append(append(meta(t, files, key, nil), fileEnts(files)...), extra...)
	}
	zeros := make([]byte, 1<<20)
	smallZeros := make([]byte, 60<<10)

	tests := []struct {
		name  string
		zip   func() []byte
		lim   Limits
		want  error
		names string // the error must mention this
	}{
		{"path traversal", func() []byte {
			f := with(base, map[string][]byte{"../evil.js": []byte("x")})
			return craft(t, append(meta(t, base, key, nil), fileEnts(f)...))
		}, Limits{}, ErrPathTraversal, "../evil.js"},
		{"path traversal inside", func() []byte {
			return craft(t, signed(base, ent{name: "pages/../../x.js", data: []byte("x")}))
		}, Limits{}, ErrPathTraversal, "pages/../../x.js"},
		{"backslash traversal", func() []byte {
			return craft(t, signed(base, ent{name: `..\x.js`, data: []byte("x")}))
		}, Limits{}, ErrPathTraversal, `..\\x.js`},
		{"absolute path", func() []byte {
			return craft(t, signed(base, ent{name: "/etc/passwd", data: []byte("x")}))
		}, Limits{}, ErrAbsolutePath, "/etc/passwd"},
		{"drive letter", func() []byte {
			return craft(t, signed(base, ent{name: "C:/x.js", data: []byte("x")}))
		}, Limits{}, ErrAbsolutePath, "C:/x.js"},
		{"symlink", func() []byte {
			return craft(t, signed(base, ent{name: "link.js", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}))
		}, Limits{}, ErrSymlink, "link.js"},
		{"device file", func() []byte {
			return craft(t, signed(base, ent{name: "dev", data: nil, mode: fs.ModeDevice | 0o600}))
		}, Limits{}, ErrSymlink, "dev"},
		{"directory entry", func() []byte {
			return craft(t, signed(base, ent{name: "pages/", mode: fs.ModeDir | 0o755}))
		}, Limits{}, ErrFormat, "directory entry"},
		{"duplicate name", func() []byte {
			return craft(t, signed(base, ent{name: "app.js", data: base["app.js"]}))
		}, Limits{}, ErrDuplicate, "app.js"},
		{"case-folded duplicate", func() []byte {
			return craft(t, signed(base, ent{name: "App.JS", data: base["app.js"]}))
		}, Limits{}, ErrDuplicate, "App.JS"},
		{"NFD duplicate of NFC name", func() []byte {
			f := with(base, map[string][]byte{"caf\u00e9.js": []byte("x")})
			return craft(t, signed(f, ent{name: "cafe\u0301.js", data: []byte("x")}))
		}, Limits{}, ErrDuplicate, "case-insensitive"},
		{"non-UTF-8 name", func() []byte {
			return craft(t, signed(base, ent{name: "bad\xff\xfe.js", data: []byte("x")}))
		}, Limits{}, ErrNonUTF8, "bad"},
		{"control character in name", func() []byte {
			return craft(t, signed(base, ent{name: "a\nb.js", data: []byte("x")}))
		}, Limits{}, ErrBadName, `a\nb.js`},
		{"unknown META entry", func() []byte {
			return craft(t, signed(base, ent{name: "META/extra", data: []byte("x")}))
		}, Limits{}, ErrBadName, "META/extra"},
		{"too many files", func() []byte { return craft(t, signed(base)) },
			Limits{MaxFiles: 5}, ErrTooManyFiles, "at most 5"},
		{"too large unpacked", func() []byte { return craft(t, signed(base)) },
			Limits{MaxUnpacked: 300}, ErrTooLarge, "unpacked size over 300"},
		{"file too large", func() []byte { return craft(t, signed(base)) },
			Limits{MaxFileSize: 100}, ErrTooLarge, "at most 100"},
		{"declared ratio: zip bomb", func() []byte {
			return craft(t, signed(with(base, map[string][]byte{"bomb.txt": zeros})))
		}, Limits{}, ErrZipBomb, "bomb.txt"},
		{"whole-archive ratio: many small bombs", func() []byte {
			f := maps.Clone(base)
			for i := range 30 {
				f[fmt.Sprintf("z/%02d.txt", i)] = smallZeros
			}
			return craft(t, signed(f))
		}, Limits{}, ErrZipBomb, "unpack to"},
		{"header lies: inflates past declared size", func() []byte {
			big := bytes.Repeat([]byte("abcdefgh"), 40<<10) // 320 KiB, compresses well
			f := with(base, map[string][]byte{"lie.txt": big})
			ents := meta(t, f, key, func(m *Manifest) {
				for i := range m.Files {
					if m.Files[i].Path == "lie.txt" {
						m.Files[i].Size = 1000
					}
				}
			})
			for _, e := range fileEnts(base) {
				ents = append(ents, e)
			}
			return craft(t, append(ents, ent{name: "lie.txt", data: big, forge: func(fh *zip.FileHeader) {
				fh.UncompressedSize64 = 1000
			}}))
		}, Limits{}, ErrZipBomb, "inflates past"},
		{"overlapping entries", func() []byte {
			f := with(base, map[string][]byte{"a.txt": []byte("same"), "b.txt": []byte("same")})
			z := craft(t, signed(f))
			off := localOffset(t, z, "a.txt")
			return patchCentral(t, z, "b.txt", func(rec []byte) { binary.LittleEndian.PutUint32(rec[42:], off) })
		}, Limits{}, ErrZipBomb, "share compressed data"},
		{"encrypted entry", func() []byte {
			return craft(t, signed(base, ent{name: "enc.js", data: []byte("x"), forge: func(fh *zip.FileHeader) { fh.Flags |= 1 }}))
		}, Limits{}, ErrFormat, "encrypted"},
		{"unknown compression method", func() []byte {
			return craft(t, signed(base, ent{name: "m.js", data: []byte("x"), store: true, forge: func(fh *zip.FileHeader) { fh.Method = 99 }}))
		}, Limits{}, ErrFormat, "compression method 99"},
		{"file not in manifest", func() []byte {
			return craft(t, signed(base, ent{name: "extra.js", data: []byte("evil()")}))
		}, Limits{}, ErrNotInManifest, "extra.js"},
		{"manifest file missing", func() []byte {
			return craft(t, append(meta(t, base, key, nil), fileEnts(with(base, map[string][]byte{"app.wxss": nil}))...))
		}, Limits{}, ErrMissingFile, "app.wxss"},
		{"digest mismatch", func() []byte {
			return craft(t, append(meta(t, base, key, nil), fileEnts(with(base, map[string][]byte{"app.js": []byte("App({onLaunch() { console.log('HI') }})\n")}))...))
		}, Limits{}, ErrDigest, "app.js"},
		{"size mismatch", func() []byte {
			return craft(t, append(meta(t, base, key, nil), fileEnts(with(base, map[string][]byte{"app.js": []byte("evil()")}))...))
		}, Limits{}, ErrSize, "app.js"},
		{"CRC mismatch", func() []byte {
			return craft(t, append(meta(t, with(base, map[string][]byte{"app.js": nil}), key, func(m *Manifest) {
				m.Files = append(m.Files, File{Path: "app.js", SHA256: digest(base["app.js"]), Size: int64(len(base["app.js"]))})
			}), append(fileEnts(with(base, map[string][]byte{"app.js": nil})), ent{name: "app.js", data: base["app.js"], forge: func(fh *zip.FileHeader) { fh.CRC32++ }})...))
		}, Limits{}, ErrFormat, "app.js"},
		{"manifest missing", func() []byte { return craft(t, fileEnts(base)) },
			Limits{}, ErrFormat, ManifestPath},
		{"manifest not canonical", func() []byte {
			ents := signed(base)
			ents[0].data = append([]byte(" "), ents[0].data...)
			return craft(t, ents)
		}, Limits{}, ErrNotCanonical, ManifestPath},
		{"missing signature", func() []byte {
			return craft(t, append(meta(t, base, key, nil)[:1], fileEnts(base)...))
		}, Limits{}, ErrSignature, "missing"},
		{"signature over other bytes", func() []byte {
			ents := signed(base)
			ents[1].data = encodeSignature(key.Public().(ed25519.PublicKey), ed25519.Sign(key, []byte("something else")))
			return craft(t, ents)
		}, Limits{}, ErrSignature, "does not verify"},
		{"signature malformed", func() []byte {
			ents := signed(base)
			ents[1].data = []byte(`{"key":"ed25519:AAAA","sig":"AAAA"}`)
			return craft(t, ents)
		}, Limits{}, ErrSignature, SignaturePath},
		{"signature by a key the manifest does not name", func() []byte {
			ents := signed(base)
			raw := ents[0].data
			ents[1].data = encodeSignature(other.Public().(ed25519.PublicKey), ed25519.Sign(other, raw))
			return craft(t, ents)
		}, Limits{}, ErrSignature, "not the manifest's signer"},
		{"signature on an unsigned manifest", func() []byte {
			ents := append(meta(t, base, nil, nil), fileEnts(base)...)
			ents = append(ents, ent{name: SignaturePath, data: encodeSignature(key.Public().(ed25519.PublicKey), ed25519.Sign(key, ents[0].data))})
			return craft(t, ents)
		}, Limits{}, ErrSignature, "names no signer"},
		{"manifest tampered after signing", func() []byte {
			ents := signed(base)
			ents[0].data = bytes.Replace(ents[0].data, []byte(`"version":"1.2.3"`), []byte(`"version":"9.9.9"`), 1)
			return craft(t, ents)
		}, Limits{}, ErrSignature, "does not verify"},
		{"app.json disagrees with manifest", func() []byte {
			return craft(t, signed(with(base, map[string][]byte{"app.json": []byte(`{"id":"dev.other.app","version":"1.2.3"}`)})))
		}, Limits{}, ErrAppJSON, "dev.other.app"},
		{"not a zip", func() []byte { return []byte("PK\x03\x04 this is not a zip at all") },
			Limits{}, ErrFormat, ""},
		{"empty file", func() []byte { return nil }, Limits{}, ErrFormat, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := openBytes(tc.zip(), tc.lim)
			if err == nil {
				t.Fatalf("Open accepted it: %+v", b.Manifest)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.names) {
				t.Errorf("err = %v, want it to mention %q", err, tc.names)
			}
		})
	}
}

// TestOpenAccepts: the honest versions of the crafted zips open, so the refusals above
// are about what each case changed.
func TestOpenAccepts(t *testing.T) {
	key := testKey(t, 1)
	base := testFiles()
	for _, tc := range []struct {
		name string
		ents []ent
	}{
		{"signed", append(meta(t, base, key, nil), fileEnts(base)...)},
		{"unsigned", append(meta(t, base, nil, nil), fileEnts(base)...)},
		{"files before META, stored", func() []ent {
			var ents []ent
			for _, e := range fileEnts(base) {
				e.store = true
				ents = append(ents, e)
			}
			return append(ents, meta(t, base, key, nil)...)
		}()},
		{"small compressible file under the ratio slack", append(meta(t, with(base, map[string][]byte{"blank.txt": make([]byte, 32<<10)}), key, nil),
			fileEnts(with(base, map[string][]byte{"blank.txt": make([]byte, 32<<10)}))...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := openBytes(craft(t, tc.ents), Limits{})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if b.Manifest.AppID != "dev.test.app" {
				t.Errorf("AppID = %q", b.Manifest.AppID)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	key, other := testKey(t, 1), testKey(t, 2)
	pub := key.Public().(ed25519.PublicKey)
	signed, err := openBytes(packFiles(t, testFiles(), PackOptions{Key: key}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !signed.Signed || signed.Manifest.Signer != IDOf(pub) || !bytes.Equal(signed.SignerKey, pub) {
		t.Fatalf("signed bundle: Signed=%v Signer=%s", signed.Signed, signed.Manifest.Signer)
	}
	if err := signed.Verify(pub); err != nil {
		t.Errorf("Verify(right key): %v", err)
	}
	if err := signed.Verify(other.Public().(ed25519.PublicKey)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("Verify(wrong key) = %v, want ErrWrongKey", err)
	}
	if err := signed.Verify(nil); !errors.Is(err, ErrWrongKey) {
		t.Errorf("Verify(nil) = %v, want ErrWrongKey", err)
	}
	unsigned, err := openBytes(packFiles(t, testFiles(), PackOptions{}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if unsigned.Signed || unsigned.Manifest.Signer != "" {
		t.Errorf("unsigned bundle: Signed=%v Signer=%q", unsigned.Signed, unsigned.Manifest.Signer)
	}
	if err := unsigned.Verify(pub); !errors.Is(err, ErrUnsigned) {
		t.Errorf("Verify(unsigned) = %v, want ErrUnsigned", err)
	}
}

// TestTamperedPackedBundle changes one byte of a file inside a packed, signed bundle
// (rewriting the zip honestly around it): the digest no longer matches.
func TestTamperedPackedBundle(t *testing.T) {
	key := testKey(t, 1)
	z := packFiles(t, testFiles(), PackOptions{Key: key})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var ents []ent
	for _, f := range zr.File {
		rc, _ := f.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		data := buf.Bytes()
		if f.Name == "pages/index/index.js" {
			data[0] ^= 0x20
		}
		ents = append(ents, ent{name: f.Name, data: data})
	}
	_, err = openBytes(craft(t, ents), Limits{})
	if !errors.Is(err, ErrDigest) || !strings.Contains(err.Error(), "pages/index/index.js") {
		t.Fatalf("Open(tampered) = %v, want ErrDigest naming the file", err)
	}
}

func TestLimitsRejectNegative(t *testing.T) {
	z := packFiles(t, testFiles(), PackOptions{})
	if _, err := openBytes(z, Limits{MaxFiles: -1}); err == nil {
		t.Fatal("negative limit accepted")
	}
}
