package files

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Encodings of FileSystemManager: how a string crosses into bytes and back. "" is the
// logic side's ArrayBuffer, carried as standard base64 (JSON cannot carry bytes).
func normEncoding(e string) (string, error) {
	switch strings.ToLower(e) {
	case "":
		return "", nil
	case "utf8", "utf-8":
		return "utf8", nil
	case "base64":
		return "base64", nil
	case "hex":
		return "hex", nil
	case "binary", "latin1":
		return "latin1", nil
	case "ascii":
		return "ascii", nil
	case "ucs2", "ucs-2", "utf16le", "utf-16le":
		return "ucs2", nil
	}
	return "", fmt.Errorf("invalid encoding %q", e)
}

// decodeData turns the app's data into bytes. enc "" means data is an ArrayBuffer the
// logic side sent as base64.
func decodeData(data, enc string) ([]byte, error) {
	switch enc {
	case "", "base64":
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(data, "="))
		}
		if err != nil {
			return nil, fmt.Errorf("invalid base64 data")
		}
		return b, nil
	case "hex":
		b, err := hex.DecodeString(data)
		if err != nil {
			return nil, fmt.Errorf("invalid hex data")
		}
		return b, nil
	case "latin1", "ascii":
		out := make([]byte, 0, len(data))
		for _, r := range data {
			if enc == "ascii" {
				r &= 0x7f
			}
			out = append(out, byte(r))
		}
		return out, nil
	case "ucs2":
		out := make([]byte, 0, 2*len(data))
		for _, u := range utf16.Encode([]rune(data)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out, nil
	}
	return []byte(data), nil // utf8
}

// encodeData turns bytes into the string the app asked for ("" → base64 for an
// ArrayBuffer).
func encodeData(b []byte, enc string) string {
	switch enc {
	case "", "base64":
		return base64.StdEncoding.EncodeToString(b)
	case "hex":
		return hex.EncodeToString(b)
	case "latin1", "ascii":
		var sb strings.Builder
		for _, c := range b {
			if enc == "ascii" {
				c &= 0x7f
			}
			sb.WriteRune(rune(c))
		}
		return sb.String()
	case "ucs2":
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		return string(utf16.Decode(u))
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
