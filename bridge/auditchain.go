package bridge

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"strings"
)

// The audit log's hash chain. A line is the entry's JSON (without prev and hash), with
// `,"prev":"P","hash":"H"}` in place of its closing brace, where P is the previous
// line's H ("" where a chain starts) and H = hex(sha256(P || body)), body being the
// line up to that suffix plus "}". The hash covers the exact bytes written, so a
// verifier needs no canonical re-encoding. JSON escapes every quote inside a string,
// so the suffix cannot occur inside a field value.

const chainPrevKey = `,"prev":"`

// chainLine appends to dst the line to write for body (an entry's JSON without prev and
// hash) following the hash prev, and returns it with the line's hash. h is reset first.
func chainLine(dst []byte, h hash.Hash, body []byte, prev string) (line []byte, sum string) {
	h.Reset()
	h.Write([]byte(prev))
	h.Write(body)
	var raw [sha256.Size]byte
	var hx [2 * sha256.Size]byte
	hex.Encode(hx[:], h.Sum(raw[:0]))
	line = append(dst, body[:len(body)-1]...)
	line = append(line, chainPrevKey...)
	line = append(line, prev...)
	line = append(line, `","hash":"`...)
	line = append(line, hx[:]...)
	line = append(line, "\"}\n"...)
	return line, string(hx[:])
}

// splitChain takes a line apart: the body that was hashed, and the prev and hash it
// carries. ok is false for a line without the chain suffix (an older shell's line, or
// one edited so that the suffix no longer parses).
func splitChain(line []byte) (body []byte, prev, hash string, ok bool) {
	i := bytes.LastIndex(line, []byte(chainPrevKey))
	if i < 0 {
		return nil, "", "", false
	}
	rest := line[i+len(chainPrevKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return nil, "", "", false
	}
	prev = string(rest[:j])
	rest = rest[j:]
	const mid = `","hash":"`
	if !bytes.HasPrefix(rest, []byte(mid)) || len(rest) != len(mid)+2*sha256.Size+2 || !bytes.HasSuffix(rest, []byte(`"}`)) {
		return nil, "", "", false
	}
	hash = string(rest[len(mid) : len(mid)+2*sha256.Size])
	body = append(line[:i:i], '}')
	return body, prev, hash, true
}

func chainHash(prev string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// lastAuditHash is the hash of the last complete line of the log at path (whose current
// file holds size bytes): of the current file, or of the newest backup when the current
// file is empty. "" when there is none or that line has no hash.
func lastAuditHash(path string, size int64) (string, error) {
	file := path
	if size == 0 {
		files, err := auditFiles(path)
		if err != nil {
			return "", err
		}
		if len(files) < 2 {
			return "", nil
		}
		file = files[len(files)-2].path // the newest backup; the last is path itself
	}
	line, err := lastLine(file)
	if err != nil {
		return "", err
	}
	if _, _, hash, ok := splitChain(line); ok {
		return hash, nil
	}
	return "", nil
}

// lastLine returns the last newline-terminated line of a file, without its newline.
func lastLine(path string) ([]byte, error) {
	if strings.HasSuffix(path, ".gz") {
		var last []byte
		err := scanAuditLines(path, func(n int, line []byte, torn bool) error {
			if !torn {
				last = append(last[:0], line...)
			}
			return nil
		})
		return last, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	// Read a growing window from the end until it holds a whole line.
	for win := int64(8 << 10); ; win *= 2 {
		if win > size {
			win = size
		}
		buf := make([]byte, win)
		if _, err := f.ReadAt(buf, size-win); err != nil && err != io.EOF {
			return nil, err
		}
		end := bytes.LastIndexByte(buf, '\n') // a torn last line ends after it
		if end < 0 {
			if win == size || win > maxAuditLine {
				return nil, nil
			}
			continue
		}
		buf = buf[:end]
		if start := bytes.LastIndexByte(buf, '\n'); start >= 0 {
			return buf[start+1:], nil
		}
		if win == size {
			return buf, nil
		}
		if win > maxAuditLine {
			return nil, nil
		}
	}
}

// scanAuditLines calls fn with each line of one audit file (1-based number, the line
// without its newline, whether it is a last line cut short). A missing file has none.
func scanAuditLines(path string, fn func(n int, line []byte, torn bool) error) error {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // not written yet, or removed by rotation while we listed
	}
	if err != nil {
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	defer file.Close()
	var r io.Reader = file
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(file)
		if err != nil {
			return fmt.Errorf("audit log %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("audit log %s line %d: %w", path, n, err)
		}
		torn := err == io.EOF
		if ferr := fn(n, line, torn); ferr != nil {
			return ferr
		}
		if torn {
			return nil
		}
	}
}

// ChainReport is what VerifyAudit found.
type ChainReport struct {
	Lines    int      // lines checked
	Restarts []string // FILE:LINE where a new chain starts (an older shell's unhashed lines, a log begun afresh)
	Break    string   // FILE:LINE of the first line changed, removed or reordered; "" when intact
	Reason   string   // what is wrong at Break
}

// VerifyAudit walks the audit log at path (backups oldest first, then the current file)
// and checks every line's hash and its link to the line before. The first line of the
// oldest file is taken as it is (older backups may have been pruned). A line without a
// hash (a run of them is one note), and a hashed line with an empty prev, start a new
// chain: reported, not a break.
// Removing lines at the very end cannot be seen from the log alone.
func VerifyAudit(path string) (ChainReport, error) {
	var rep ChainReport
	files, err := auditFiles(path)
	if err != nil {
		return rep, err
	}
	first, last, unhashed := true, "", false
	errBreak := errors.New("break")
	for _, af := range files {
		err := scanAuditLines(af.path, func(n int, line []byte, torn bool) error {
			where := fmt.Sprintf("%s:%d", af.path, n)
			if len(bytes.TrimSpace(line)) == 0 {
				return nil
			}
			if torn && !json.Valid(line) {
				return nil // a write cut short by a crash, as ReadAudit skips it
			}
			rep.Lines++
			body, prev, hash, ok := splitChain(line)
			switch {
			case !ok:
				if bytes.Contains(line, []byte(`"hash":`)) || !json.Valid(line) {
					rep.Break, rep.Reason = where, "line altered (its hash field does not parse)"
					return errBreak
				}
				if !unhashed { // one note for a run of them
					rep.Restarts = append(rep.Restarts, where+" (lines without a hash: written by an older shell)")
				}
				last, unhashed, first = "", true, false
				return nil
			case chainHash(prev, body) != hash:
				rep.Break, rep.Reason = where, "line changed (its hash does not match its content)"
				return errBreak
			case first || prev == last:
				last = hash
			case prev == "":
				rep.Restarts = append(rep.Restarts, where+" (new chain)")
				last = hash
			default:
				rep.Break, rep.Reason = where, "line removed or reordered before it (its prev is not the previous line's hash)"
				return errBreak
			}
			first, unhashed = false, false
			return nil
		})
		if errors.Is(err, errBreak) {
			return rep, nil
		}
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}
