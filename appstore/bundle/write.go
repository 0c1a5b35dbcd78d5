package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// signatureFile is META/signature: the signer's public key (so that Open can check the
// signature before anyone decides whether to trust the key) and the ed25519 signature over
// the manifest's canonical bytes. Like the manifest it must be in canonical form.
type signatureFile struct {
	Key string `json:"key"` // EncodePublicKey form
	Sig string `json:"sig"` // standard base64 of the 64-byte signature
}

const maxSignatureFile = 512

func encodeSignature(pub ed25519.PublicKey, sig []byte) []byte {
	raw, _ := json.Marshal(signatureFile{Key: EncodePublicKey(pub), Sig: base64.StdEncoding.EncodeToString(sig)})
	return raw
}

func parseSignature(raw []byte) (ed25519.PublicKey, []byte, error) {
	if len(raw) > maxSignatureFile {
		return nil, nil, fmt.Errorf("%d bytes, at most %d", len(raw), maxSignatureFile)
	}
	var sf signatureFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, nil, err
	}
	pub, err := DecodePublicKey(sf.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("key: %w", err)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(sf.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, nil, fmt.Errorf("sig: not the base64 of %d bytes", ed25519.SignatureSize)
	}
	if !bytes.Equal(encodeSignature(pub, sig), raw) {
		return nil, nil, fmt.Errorf("not in canonical form")
	}
	return pub, sig, nil
}

// dosEpoch is 1980-01-01 00:00 in MS-DOS date/time form: every entry gets it, so that the
// bytes depend on the files' contents only.
const (
	dosEpochDate = 1<<5 | 1
	dosEpochTime = 0
)

// incompressible lists extensions stored without compression: deflate gains nothing on them.
var incompressible = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".mp3", ".mp4", ".zip", ".gz"}

// writeBundle writes the zip: META/manifest.json, META/signature (when sig is non-nil),
// then files in path order. Every header field is fixed or derived from the content, so
// the same input gives the same bytes. An entry that deflate would shrink past maxRatio is
// stored instead, so that no bundle Pack makes looks like a zip bomb to Open.
func writeBundle(out io.Writer, manifestRaw, sigRaw []byte, files map[string][]byte, maxRatio int) error {
	zw := zip.NewWriter(out)
	add := func(name string, data []byte) error {
		method := zip.Deflate
		lower := strings.ToLower(name)
		for _, ext := range incompressible {
			if strings.HasSuffix(lower, ext) {
				method = zip.Store
			}
		}
		body := data
		if method == zip.Deflate {
			var buf bytes.Buffer
			fw, _ := flate.NewWriter(&buf, flate.BestCompression)
			fw.Write(data)
			fw.Close()
			body = buf.Bytes()
			// Below the ratio for every entry, whatever its size, keeps the whole archive
			// below it too.
			if len(body) >= len(data) || int64(len(data)) >= int64(len(body))*int64(maxRatio) {
				method, body = zip.Store, data
			}
		}
		fh := &zip.FileHeader{
			Name:               name,
			Method:             method,
			ModifiedDate:       dosEpochDate,
			ModifiedTime:       dosEpochTime,
			CRC32:              crc32.ChecksumIEEE(data),
			CompressedSize64:   uint64(len(body)),
			UncompressedSize64: uint64(len(data)),
		}
		fh.SetMode(0o644)
		fh.CreatorVersion = fh.CreatorVersion&0xff00 | 20
		fh.ReaderVersion = 20
		if !isASCII(name) && utf8.ValidString(name) {
			fh.Flags |= 0x800 // the name is UTF-8
		}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if _, err := w.Write(body); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	if err := add(ManifestPath, manifestRaw); err != nil {
		return err
	}
	if sigRaw != nil {
		if err := add(SignaturePath, sigRaw); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := add(name, files[name]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// build makes the manifest of files (signed when key is set) and writes the bundle.
func build(out io.Writer, m Manifest, files map[string][]byte, key ed25519.PrivateKey) (*Manifest, error) {
	m.Format = ManifestFormat
	m.Files = make([]File, 0, len(files))
	for name, data := range files {
		m.Files = append(m.Files, File{Path: name, SHA256: digest(data), Size: int64(len(data))})
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	m.Signer = ""
	var pub ed25519.PublicKey
	if key != nil {
		if err := checkPrivateKey(key); err != nil {
			return nil, err
		}
		pub = key.Public().(ed25519.PublicKey)
		m.Signer = IDOf(pub)
	}
	raw, err := m.Canonical()
	if err != nil {
		return nil, err
	}
	var sigRaw []byte
	if key != nil {
		sigRaw = encodeSignature(pub, ed25519.Sign(key, raw))
	}
	if err := writeBundle(out, raw, sigRaw, files, DefaultLimits().MaxRatio); err != nil {
		return nil, err
	}
	return &m, nil
}
