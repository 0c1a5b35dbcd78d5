package bridge

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	Last       int       // ReadAudit: only the last N selected entries (0 for all)
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
	var out []AuditEntry
	// With Last, keep a window of the newest 2*Last entries in file order, so that memory
	// stays bounded whatever the log's size (the slack absorbs neighbours a hair out of
	// order before the final sort).
	keep := 2 * f.Last
	err := ScanAudit(path, f, func(e AuditEntry) error {
		if keep > 0 && len(out) == 2*keep {
			out = append(out[:0], out[keep:]...)
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Writers stamp entries before they take the lock, so neighbours can be out of order
	// by a hair; a stable sort keeps file order for equal times.
	slices.SortStableFunc(out, func(a, b AuditEntry) int { return a.Time.Compare(b.Time) })
	if f.Last > 0 && len(out) > f.Last {
		out = out[len(out)-f.Last:]
	}
	return out, nil
}

// ScanAudit streams the audit log at path as ReadAudit reads it, calling fn with each
// entry f selects in file order (f.Last is ignored), without holding them. An error
// from fn stops the scan and is returned.
func ScanAudit(path string, f Filter, fn func(AuditEntry) error) error {
	files, err := auditFiles(path)
	if err != nil {
		return err
	}
	for _, bf := range files {
		// A backup holds only lines written before its rotation stamp.
		if !f.Since.IsZero() && !bf.rotated.IsZero() && bf.rotated.Before(f.Since) {
			continue
		}
		if err := scanAuditFile(bf.path, f, fn); err != nil {
			return err
		}
	}
	return nil
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

// scanAuditFile calls fn with each entry of one file that f selects.
func scanAuditFile(path string, f Filter, fn func(AuditEntry) error) error {
	return scanAuditLines(path, func(n int, line []byte, torn bool) error {
		if len(bytes.TrimSpace(line)) == 0 {
			return nil
		}
		var e AuditEntry
		if jerr := json.Unmarshal(line, &e); jerr != nil {
			if torn {
				return nil // a last line cut short by a crash
			}
			return fmt.Errorf("audit log %s line %d: %w", path, n, jerr)
		}
		if f.match(e) {
			return fn(e)
		}
		return nil
	})
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
