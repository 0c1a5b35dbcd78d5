package isolate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"testing/fstest"
)

// The app's code reaches the child from the parent: code frames, before init. The
// parent reads it (preloadCode, through an os.Root of the app's folder) just after the
// launch check verified that folder, so the child needs no file system at all, neither
// before its confinement nor after, and a spare can be confined before it knows its app
// (spare.go). Only an app with too much code to send is read by the child from its
// folder as it needs it (init's ReadDir), and keeps read access to that folder.

// maxCodeFrameData bounds the file bytes of one code frame: base64 in JSON makes them
// about 11 MiB of a frame of at most MaxFrameBytes (16 MiB).
var maxCodeFrameData = 8 << 20 // a variable so tests can lower it

// codeBody is one code frame: files by slash path under the app's folder.
type codeBody struct {
	Files map[string][]byte `json:"files"`
}

// errCodeFile: one file does not fit a code frame; the app is read from its folder.
var errCodeFile = errors.New("a code file too big for a code frame")

// codeFrames reads the app's code under dir and encodes it as code frames, files in
// path order. An error (too much code: errPreloadTooBig, errCodeFile; or a folder that
// cannot be walked) means the child must read the folder itself.
func codeFrames(dir string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	code, err := preloadCode(root.FS())
	if err != nil {
		return nil, err
	}
	var out []byte
	chunk, size := map[string][]byte{}, 0
	flush := func() error {
		buf, err := encodeFrame(tCode, 0, codeBody{Files: chunk})
		out = append(out, buf...)
		chunk, size = map[string][]byte{}, 0
		return err
	}
	paths := make([]string, 0, len(code))
	for p := range code {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		data := code[p].Data
		if len(data) > maxCodeFrameData {
			return nil, fmt.Errorf("%w: %s, %d bytes", errCodeFile, p, len(data))
		}
		if size+len(data) > maxCodeFrameData {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		chunk[p], size = data, size+len(data)
	}
	if len(chunk) > 0 {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// codeSink is the child's side: the code frames, within preloadCode's bounds (the
// parent is trusted, but a bound costs nothing).
type codeSink struct {
	files, bytes int
}

// add takes one code frame into g.
func (s *codeSink) add(g *growFS, f frame) error {
	var body codeBody
	if err := decodeBody(f, &body); err != nil {
		return err
	}
	for p, b := range body.Files {
		if !fs.ValidPath(p) || p == "." {
			return fmt.Errorf("code: %q is not a file path", truncate(p, 64))
		}
		s.files++
		s.bytes += len(b)
		if s.files > maxPreloadFiles || s.bytes > maxPreloadBytes {
			return fmt.Errorf("code: %w", errPreloadTooBig)
		}
	}
	g.add(body.Files)
	return nil
}

// newGrowFS is an empty growFS.
func newGrowFS() *growFS { return &growFS{m: fstest.MapFS{}} }
