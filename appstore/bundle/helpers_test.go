package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// testFiles is a small but complete mini-app.
func testFiles() map[string][]byte {
	return map[string][]byte{
		"app.json":                  []byte(`{"id": "dev.test.app", "version": "1.2.3", "pages": ["pages/index/index"]}`),
		"app.js":                    []byte("App({onLaunch() { console.log('hi') }})\n"),
		"app.wxss":                  []byte("page { color: #333; }\n"),
		"pages/index/index.js":      []byte("Page({data: {n: 1}})\n"),
		"pages/index/index.wxml":    []byte("<view>{{n}}</view>\n"),
		"pages/index/index.json":    []byte("{\n  \"navigationBarTitleText\": \"Index\"\n}\n"),
		"images/logo.png":           bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 64),
		"utils/字符串.js":              []byte("module.exports = {}\n"),
		"components/item/item.js":   []byte("Component({})\n"),
		"components/item/item.wxml": []byte("<text>item</text>\n"),
	}
}

func writeTree(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testKey(t testing.TB, seed byte) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func packFiles(t testing.TB, files map[string][]byte, o PackOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Pack(writeTree(t, files), &buf, o); err != nil {
		t.Fatalf("Pack: %v", err)
	}
	return buf.Bytes()
}

func openBytes(b []byte, lim Limits) (*Bundle, error) {
	return Open(bytes.NewReader(b), int64(len(b)), lim)
}

// ent is one entry of a crafted zip.
type ent struct {
	name  string
	data  []byte
	mode  fs.FileMode // 0: 0644 regular
	store bool        // stored, not deflated
	forge func(*zip.FileHeader)
}

// craft writes entries as given, forging whatever forge changes in the header after the
// honest values are filled in.
func craft(t testing.TB, ents []ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		method := zip.Deflate
		if e.store {
			method = zip.Store
		}
		body := e.data
		if method == zip.Deflate {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(e.data)
			fw.Close()
			body = c.Bytes()
		}
		fh := &zip.FileHeader{
			Name: e.name, Method: method, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(e.data)),
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		fh.SetMode(mode)
		if e.forge != nil {
			e.forge(fh)
		}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// meta returns the manifest (and, with a key, signature) entries for files.
func meta(t testing.TB, files map[string][]byte, key ed25519.PrivateKey, edit func(*Manifest)) []ent {
	t.Helper()
	m := Manifest{Format: ManifestFormat, AppID: "dev.test.app", Version: "1.2.3", MinShell: "0.0.0"}
	for p, d := range files {
		m.Files = append(m.Files, File{Path: p, SHA256: digest(d), Size: int64(len(d))})
	}
	if key != nil {
		m.Signer = IDOf(key.Public().(ed25519.PublicKey))
	}
	if edit != nil {
		edit(&m)
	}
	raw, err := m.Canonical()
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	out := []ent{{name: ManifestPath, data: raw}}
	if key != nil {
		out = append(out, ent{name: SignaturePath, data: encodeSignature(key.Public().(ed25519.PublicKey), ed25519.Sign(key, raw))})
	}
	return out
}

// fileEnts returns entries for files in no particular order.
func fileEnts(files map[string][]byte) []ent {
	var out []ent
	for p, d := range files {
		out = append(out, ent{name: p, data: d})
	}
	return out
}
