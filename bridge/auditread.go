package bridge

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Filter selects audit entries. The zero Filter selects everything.
type Filter struct {
	App        string    // only this app ("" for all): an identity key, or a bare id for every identity of it
	Since      time.Time // only entries at or after this time (zero for all)
	DeniedOnly bool      // only refusals: denied, rate-limited, refused (see IsRefusal)
}

func (f Filter) match(e AuditEntry) bool {
	return (f.App == "" || e.App == f.App || !strings.Contains(f.App, "@") && strings.HasPrefix(e.App, f.App+"@")) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(!f.DeniedOnly || IsRefusal(e.Decision))
}

// backupTimeLayout is how lumberjack stamps a rotated file's name (UTC, its default).
const backupTimeLayout = "2006-01-02T15-04-05.000"

// maxAuditLine bounds one line when reading; longer lines are an error naming the file.
const maxAuditLine = 4 << 20

// ReadAudit reads the audit log at path and its rotated backups (PATH-TIMESTAMP.EXT, or
// .EXT.gz when compressed), oldest first, and returns the entries f selects in time
// order. A missing log is no entries, not an error. A malformed line is an error naming
// the file and line, except a last line without its newline (a write cut short by a
// crash), which is skipped.
func ReadAudit(path string, f Filter) ([]AuditEntry, error) {
	files, err := auditFiles(path)
	if err != nil {
		return nil, err
	}
	var out []AuditEntry
	for _, bf := range files {
		// A backup holds only lines written before its rotation stamp.
		if !f.Since.IsZero() && !bf.rotated.IsZero() && bf.rotated.Before(f.Since) {
			continue
		}
		out, err = readAuditFile(bf.path, f, out)
		if err != nil {
			return nil, err
		}
	}
	// Writers stamp entries before they take the lock, so neighbours can be out of order
	// by a hair; a stable sort keeps file order for equal times.
	slices.SortStableFunc(out, func(a, b AuditEntry) int { return a.Time.Compare(b.Time) })
	return out, nil
}

type auditFile struct {
	path    string
	rotated time.Time // zero for the current file
}

// auditFiles lists the backups of path in rotation order, then path itself.
func auditFiles(path string) ([]auditFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ext := filepath.Ext(base)
	prefix := strings.TrimSuffix(base, ext) + "-"
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	var files []auditFile
	for _, de := range ents {
		name := de.Name()
		if de.IsDir() || !strings.HasPrefix(name, prefix) {
			continue
		}
		stamp := strings.TrimPrefix(name, prefix)
		switch {
		case strings.HasSuffix(stamp, ext+".gz"):
			stamp = strings.TrimSuffix(stamp, ext+".gz")
		case strings.HasSuffix(stamp, ext):
			stamp = strings.TrimSuffix(stamp, ext)
		default:
			continue
		}
		t, err := time.Parse(backupTimeLayout, stamp)
		if err != nil {
			continue // not a backup lumberjack made
		}
		files = append(files, auditFile{path: filepath.Join(dir, name), rotated: t})
	}
	slices.SortFunc(files, func(a, b auditFile) int { return a.rotated.Compare(b.rotated) })
	return append(files, auditFile{path: path}), nil
}

// readAuditFile appends the entries of one file that f selects to out.
func readAuditFile(path string, f Filter, out []AuditEntry) ([]AuditEntry, error) {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil // not written yet, or removed by rotation while we listed
	}
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	defer file.Close()
	var r io.Reader = file
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(file)
		if err != nil {
			return nil, fmt.Errorf("audit log %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && len(line) == 0 {
			return out, nil
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("audit log %s line %d: %w", path, n, err)
		}
		torn := err == io.EOF // the last line has no newline
		if len(bytes.TrimSpace(line)) == 0 {
			if torn {
				return out, nil
			}
			continue
		}
		var e AuditEntry
		if jerr := json.Unmarshal(line, &e); jerr != nil {
			if torn {
				return out, nil
			}
			return nil, fmt.Errorf("audit log %s line %d: %w", path, n, jerr)
		}
		if f.match(e) {
			out = append(out, e)
		}
		if torn {
			return out, nil
		}
	}
}

// readLine reads one line without its newline, refusing lines over maxAuditLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxAuditLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxAuditLine)
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return line, err
		}
	}
}
