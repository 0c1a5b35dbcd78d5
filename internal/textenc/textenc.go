// Package textenc turns the text files of a mini-program into UTF-8. Older Chinese
// projects save sources in GBK, which WeChat's tools accept; the shell decodes them
// (as GB18030, GBK's superset) instead of refusing the app, and the caller warns.
package textenc

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encoding names what a file was decoded from.
type Encoding string

const (
	UTF8    Encoding = "UTF-8"
	GB18030 Encoding = "GB18030"
)

// ToUTF8 returns src unchanged when it is valid UTF-8. Otherwise it decodes src as
// GB18030 (which covers GBK and GB2312) and reports GB18030; ok is false when that
// fails too (a sequence GB18030 cannot map), and then the caller refuses the file.
func ToUTF8(src []byte) (out []byte, enc Encoding, ok bool) {
	if utf8.Valid(src) {
		return src, UTF8, true
	}
	dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
	if err != nil || !utf8.Valid(dec) {
		return nil, "", false
	}
	// The decoder maps bytes it cannot decode to U+FFFD; a file that had none of
	// its own is not GB18030 if the decoder produced one.
	if bytes.Contains(dec, []byte("\uFFFD")) && !bytes.Contains(src, []byte("\xef\xbf\xbd")) {
		return nil, "", false
	}
	return dec, GB18030, true
}

// Decode is ToUTF8 for callers that report the encoding elsewhere (the linter warns
// about a JS file; the loader only needs its text): src itself when it is not GB18030.
func Decode(src []byte) []byte {
	if out, _, ok := ToUTF8(src); ok {
		return out
	}
	return src
}
