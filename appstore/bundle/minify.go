package bundle

import (
	"bytes"
	"path"
	"strings"

	tdminify "github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// minifier compacts JavaScript and WXSS for PackOptions.MinifyFile, with a mature
// minifier (tdewolff/minify) rather than one of our own.
var minifier = func() *tdminify.M {
	m := tdminify.New()
	m.Add("text/javascript", &js.Minifier{})
	m.Add("text/css", &css.Minifier{})
	return m
}()

// MinifySource compacts a .js or .wxss file; other files come back unchanged. A file
// the minifier cannot read is an error naming it: pack refuses rather than ship it
// half-minified.
func MinifySource(name string, src []byte) ([]byte, error) {
	var mediatype string
	switch strings.ToLower(path.Ext(name)) {
	case ".js":
		mediatype = "text/javascript"
	case ".wxss":
		mediatype = "text/css"
	default:
		return src, nil
	}
	var out bytes.Buffer
	if err := minifier.Minify(mediatype, &out, bytes.NewReader(src)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
