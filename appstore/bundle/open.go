package bundle

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"
)

// Refusals of Open and Verify. Every error wraps one of these (and names the entry).
var (
	ErrFormat        = errors.New("not a well-formed bundle")
	ErrSymlink       = errors.New("symlink or special file")
	ErrDuplicate     = errors.New("duplicate name")
	ErrTooManyFiles  = errors.New("too many files")
	ErrTooLarge      = errors.New("too large")
	ErrZipBomb       = errors.New("suspicious compression")
	ErrNotInManifest = errors.New("file not in the manifest")
	ErrMissingFile   = errors.New("manifest file missing")
	ErrDigest        = errors.New("digest mismatch")
	ErrSize          = errors.New("size mismatch")
	ErrSignature     = errors.New("bad signature")
	ErrUnsigned      = errors.New("bundle not signed")
	ErrWrongKey      = errors.New("signed by another key")
	ErrAppJSON       = errors.New("app.json disagrees with the manifest")
)

// Limits bound what Open accepts. A zero field takes its default.
type Limits struct {
	MaxFiles    int   // app files (META/ not counted); default 10,000
	MaxUnpacked int64 // sum of the files' sizes; default 256 MiB. Open holds this much in memory
	MaxRatio    int   // uncompressed/compressed of a file over 64 KiB, and of the whole archive; default 100
	MaxFileSize int64 // one file; default 64 MiB
}

// DefaultLimits returns the defaults.
func DefaultLimits() Limits {
	return Limits{MaxFiles: 10_000, MaxUnpacked: 256 << 20, MaxRatio: 100, MaxFileSize: 64 << 20}
}

// ratioSlack: files up to this size are not ratio-checked (a small file of spaces is no
// bomb; the totals bound them anyway).
const ratioSlack = 64 << 10

func (l Limits) withDefaults() (Limits, error) {
	d := DefaultLimits()
	if l.MaxFiles < 0 || l.MaxUnpacked < 0 || l.MaxRatio < 0 || l.MaxFileSize < 0 {
		return l, fmt.Errorf("bundle limits: negative value in %+v", l)
	}
	if l.MaxFiles == 0 {
		l.MaxFiles = d.MaxFiles
	}
	if l.MaxUnpacked == 0 {
		l.MaxUnpacked = d.MaxUnpacked
	}
	if l.MaxRatio == 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxFileSize == 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	return l, nil
}

// Bundle is an opened, checked bundle: every file matched its manifest entry and, when
// signed, the signature is valid for the key it names. Whether that key is trusted is the
// caller's question (Verify, appstore/trust).
type Bundle struct {
	Manifest  *Manifest
	Signed    bool
	Signature []byte            // the 64-byte ed25519 signature; nil when unsigned
	SignerKey ed25519.PublicKey // the key META/signature names (IDOf it is Manifest.Signer); nil when unsigned

	canonical []byte            // the manifest's bytes, which the signature covers
	files     map[string][]byte // verified contents by path
}

// Open reads and checks a whole bundle, holding its verified files in memory. It writes
// nothing. It refuses, with an error naming the entry: unsafe paths (traversal, absolute,
// reserved or non-UTF-8 names), symlinks and special files, directory entries, duplicate
// names (also ones equal after case folding and NFC), encrypted entries, unknown
// compression, too many files, a file or a total too large (declared and as read), a
// compression ratio past the limit (declared and as read), overlapping entries, files not
// in the manifest, manifest files missing, size or digest mismatches, a manifest that is
// not canonical, a signature that is missing (manifest names a signer), malformed, or does
// not verify, and an app.json whose id or version differ from the manifest's.
func Open(r io.ReaderAt, size int64, lim Limits) (*Bundle, error) {
	lim, err := lim.withDefaults()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // our own checks below name insecure paths
		return nil, fmt.Errorf("bundle: %w: %v", ErrFormat, err)
	}
	if n := len(zr.File); n > lim.MaxFiles+2 {
		return nil, fmt.Errorf("bundle: %w: %d entries, at most %d files", ErrTooManyFiles, n, lim.MaxFiles)
	}

	// Pass 1: headers only — names, types, declared sizes, layout. Cheap, before any inflating.
	entries := make(map[string]*zip.File, len(zr.File))
	folded := make(map[string]string, len(zr.File))
	var declared uint64
	type span struct{ from, to int64 }
	spans := make([]span, 0, len(zr.File))
	for _, f := range zr.File {
		name := f.Name
		if err := checkEntryName(name); err != nil {
			return nil, fmt.Errorf("bundle: entry %q: %w", name, err)
		}
		if mode := f.Mode(); !mode.IsRegular() {
			if mode&fs.ModeSymlink != 0 || mode&fs.ModeType != fs.ModeDir {
				return nil, fmt.Errorf("bundle: entry %q: %w (mode %v)", name, ErrSymlink, mode)
			}
			return nil, fmt.Errorf("bundle: entry %q: %w: directory entry", name, ErrFormat)
		}
		if _, dup := entries[name]; dup {
			return nil, fmt.Errorf("bundle: entry %q: %w", name, ErrDuplicate)
		}
		if other, dup := folded[FoldPath(name)]; dup {
			return nil, fmt.Errorf("bundle: entry %q: %w: same file as %q on case-insensitive file systems", name, ErrDuplicate, other)
		}
		entries[name], folded[FoldPath(name)] = f, name
		if f.Flags&0x1 != 0 {
			return nil, fmt.Errorf("bundle: entry %q: %w: encrypted", name, ErrFormat)
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, fmt.Errorf("bundle: entry %q: %w: compression method %d", name, ErrFormat, f.Method)
		}
		if f.Method == zip.Store && f.CompressedSize64 != f.UncompressedSize64 {
			return nil, fmt.Errorf("bundle: entry %q: %w: stored entry with compressed size %d, uncompressed %d",
				name, ErrFormat, f.CompressedSize64, f.UncompressedSize64)
		}
		if f.UncompressedSize64 > uint64(lim.MaxFileSize) {
			return nil, fmt.Errorf("bundle: entry %q: %w: declares %d bytes, at most %d", name, ErrTooLarge, f.UncompressedSize64, lim.MaxFileSize)
		}
		if bomb(f.UncompressedSize64, f.CompressedSize64, lim.MaxRatio) {
			return nil, fmt.Errorf("bundle: entry %q: %w: declares %d bytes from %d (ratio over %d)",
				name, ErrZipBomb, f.UncompressedSize64, f.CompressedSize64, lim.MaxRatio)
		}
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxUnpacked) {
			return nil, fmt.Errorf("bundle: %w: unpacked size over %d bytes (at entry %q)", ErrTooLarge, lim.MaxUnpacked, name)
		}
		off, err := f.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("bundle: entry %q: %w: %v", name, ErrFormat, err)
		}
		if off < 0 || f.CompressedSize64 > uint64(size) || off > size-int64(f.CompressedSize64) {
			return nil, fmt.Errorf("bundle: entry %q: %w: data outside the file", name, ErrFormat)
		}
		spans = append(spans, span{off, off + int64(f.CompressedSize64)})
	}
	// Entries sharing compressed data are the overlapping-file zip bomb.
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	for i := 1; i < len(spans); i++ {
		if spans[i].from < spans[i-1].to {
			return nil, fmt.Errorf("bundle: %w: entries share compressed data", ErrZipBomb)
		}
	}
	if size > 0 && bomb(declared, uint64(size), lim.MaxRatio) {
		return nil, fmt.Errorf("bundle: %w: %d bytes unpack to %d (ratio over %d)", ErrZipBomb, size, declared, lim.MaxRatio)
	}

	// The manifest and the signature, then the files against the manifest.
	inf := &inflater{}
	mf := entries[ManifestPath]
	if mf == nil {
		return nil, fmt.Errorf("bundle: %w: %s missing", ErrFormat, ManifestPath)
	}
	raw, err := readEntry(mf, MaxManifestSize, lim.MaxRatio, inf)
	if err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", ManifestPath, err)
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("bundle: %s: %w", ManifestPath, err)
	}
	b := &Bundle{Manifest: m, canonical: raw, files: make(map[string][]byte, len(m.Files))}
	if sf := entries[SignaturePath]; sf != nil {
		sraw, err := readEntry(sf, maxSignatureFile, lim.MaxRatio, inf)
		if err != nil {
			return nil, fmt.Errorf("bundle: %s: %w", SignaturePath, err)
		}
		pub, sig, err := parseSignature(sraw)
		switch {
		case err != nil:
			return nil, fmt.Errorf("bundle: %s: %w: %v", SignaturePath, ErrSignature, err)
		case m.Signer == "":
			return nil, fmt.Errorf("bundle: %s: %w: the manifest names no signer", SignaturePath, ErrSignature)
		case IDOf(pub) != m.Signer:
			return nil, fmt.Errorf("bundle: %s: %w: key %s is not the manifest's signer %s", SignaturePath, ErrSignature, IDOf(pub), m.Signer)
		case !ed25519.Verify(pub, raw, sig):
			return nil, fmt.Errorf("bundle: %s: %w: does not verify for key %s", SignaturePath, ErrSignature, m.Signer)
		}
		b.Signed, b.Signature, b.SignerKey = true, sig, pub
	} else if m.Signer != "" {
		return nil, fmt.Errorf("bundle: %w: manifest names signer %s but %s is missing", ErrSignature, m.Signer, SignaturePath)
	}

	listed := make(map[string]File, len(m.Files))
	for _, f := range m.Files {
		listed[f.Path] = f
		if entries[f.Path] == nil {
			return nil, fmt.Errorf("bundle: %q: %w", f.Path, ErrMissingFile)
		}
	}
	var total int64
	for _, zf := range zr.File { // archive order: one pass over the file
		if zf.Name == ManifestPath || zf.Name == SignaturePath {
			continue
		}
		want, ok := listed[zf.Name]
		if !ok { // (other META/ names were refused by CheckPath)
			return nil, fmt.Errorf("bundle: entry %q: %w", zf.Name, ErrNotInManifest)
		}
		if zf.UncompressedSize64 != uint64(want.Size) {
			return nil, fmt.Errorf("bundle: entry %q: %w: zip header says %d bytes, manifest %d", zf.Name, ErrSize, zf.UncompressedSize64, want.Size)
		}
		data, err := readEntry(zf, want.Size, lim.MaxRatio, inf)
		if err != nil {
			return nil, fmt.Errorf("bundle: entry %q: %w", zf.Name, err)
		}
		if int64(len(data)) != want.Size {
			return nil, fmt.Errorf("bundle: entry %q: %w: %d bytes, manifest says %d", zf.Name, ErrSize, len(data), want.Size)
		}
		if got := digest(data); got != want.SHA256 {
			return nil, fmt.Errorf("bundle: entry %q: %w: sha256 %s, manifest says %s", zf.Name, ErrDigest, got, want.SHA256)
		}
		total += int64(len(data))
		if total > lim.MaxUnpacked {
			return nil, fmt.Errorf("bundle: %w: unpacked size over %d bytes (at entry %q)", ErrTooLarge, lim.MaxUnpacked, zf.Name)
		}
		b.files[zf.Name] = data
	}
	if len(b.files) > lim.MaxFiles {
		return nil, fmt.Errorf("bundle: %w: %d files, at most %d", ErrTooManyFiles, len(b.files), lim.MaxFiles)
	}
	if m.Root == "" { // a subpackage bundle has no app.json: its core binds it by digest
		if err := checkAppJSON(m, b.files["app.json"]); err != nil {
			return nil, fmt.Errorf("bundle: app.json: %w", err)
		}
	}
	return b, nil
}

// checkEntryName applies CheckPath to an entry name, letting META/'s own two entries by.
func checkEntryName(name string) error {
	if strings.HasSuffix(name, "/") && CheckPath(strings.TrimSuffix(name, "/")) == nil {
		return nil // a directory entry: refused by its mode check with a clearer message
	}
	if name == ManifestPath || name == SignaturePath {
		return nil
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w", ErrNonUTF8)
	}
	return CheckPath(name)
}

// bomb reports whether unpacking compressed bytes into uncompressed is past the ratio.
func bomb(uncompressed, compressed uint64, ratio int) bool {
	return uncompressed > ratioSlack && uncompressed/max(compressed, 1) >= uint64(ratio)
}

// readEntry inflates one entry, refusing more than limit bytes or more than its header
// declares, and checking the ratio on what really comes out (a forged header cannot hide
// a bomb), then checks the CRC.
func readEntry(f *zip.File, limit int64, ratio int, inf *inflater) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, f.UncompressedSize64, limit)
	}
	// Inflate here rather than through zip.File.Open, so that the limits, not the zip
	// package, decide what too much is, and say so.
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	var r io.Reader = raw
	if f.Method == zip.Deflate {
		r = inf.reader(raw)
	}
	want := int64(f.UncompressedSize64)
	data, err := readAllLimit(r, make([]byte, 0, want), want)
	if err != nil {
		if errors.Is(err, errOverLimit) {
			return nil, fmt.Errorf("%w: inflates past the %d bytes its header declares", ErrZipBomb, want)
		}
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if crc32.ChecksumIEEE(data) != f.CRC32 {
		return nil, fmt.Errorf("%w: CRC-32 mismatch", ErrFormat)
	}
	if bomb(uint64(len(data)), f.CompressedSize64, ratio) {
		return nil, fmt.Errorf("%w: %d bytes from %d (ratio over %d)", ErrZipBomb, len(data), f.CompressedSize64, ratio)
	}
	if int64(len(data)) != want {
		return nil, fmt.Errorf("%w: %d bytes, header declares %d", ErrSize, len(data), want)
	}
	return data, nil
}

// inflater reuses one flate decompressor across the entries of a bundle.
type inflater struct{ fr io.ReadCloser }

func (i *inflater) reader(r io.Reader) io.Reader {
	if i.fr == nil {
		i.fr = flate.NewReader(r)
	} else {
		i.fr.(flate.Resetter).Reset(r, nil)
	}
	return i.fr
}

var errOverLimit = errors.New("over limit")

// readAllLimit reads r to EOF into buf, failing once more than limit bytes came out.
func readAllLimit(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, errOverLimit
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// checkAppJSON holds app.json to the manifest: the id and version the shell runs under are
// the ones that were signed.
func checkAppJSON(m *Manifest, raw []byte) error {
	var app struct {
		ID      string `json:"id"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &app); err != nil {
		return fmt.Errorf("%w: %v", ErrAppJSON, err)
	}
	if app.ID != m.AppID {
		return fmt.Errorf("%w: id %q, manifest appId %q", ErrAppJSON, app.ID, m.AppID)
	}
	if app.Version != m.Version {
		return fmt.Errorf("%w: version %q, manifest version %q", ErrAppJSON, app.Version, m.Version)
	}
	return nil
}

// Verify checks that the bundle is signed by pub and that the signature holds.
func (b *Bundle) Verify(pub ed25519.PublicKey) error {
	if !b.Signed {
		return fmt.Errorf("bundle %s %s: %w", b.Manifest.AppID, b.Manifest.Version, ErrUnsigned)
	}
	if len(pub) != ed25519.PublicKeySize || !bytes.Equal(pub, b.SignerKey) {
		return fmt.Errorf("bundle %s %s: %w: signed by %s, not by %s", b.Manifest.AppID, b.Manifest.Version,
			ErrWrongKey, b.Manifest.Signer, IDOf(pub))
	}
	if !ed25519.Verify(pub, b.canonical, b.Signature) {
		return fmt.Errorf("bundle %s %s: %w", b.Manifest.AppID, b.Manifest.Version, ErrSignature)
	}
	return nil
}

// FS returns the verified files, read-only, from memory.
func (b *Bundle) FS() fs.FS { return newMemFS(b.files) }
