package bridge

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Audit decisions.
const (
	DecisionRefused     = "refused"      // a page message the gate dropped
	DecisionOK          = "ok"           // an API call that succeeded
	DecisionError       = "error"        // an API call whose handler failed, panicked or does not exist
	DecisionDenied      = "denied"       // an API call the Check hook (permissions) refused
	DecisionRateLimited = "rate-limited" // an API call refused by the app's token bucket for that API
)

// IsRefusal reports whether decision is one the shell imposed on the mini-app (what
// `shell audit --denied` shows): a denied or rate-limited call, or a refused page message.
func IsRefusal(decision string) bool {
	switch decision {
	case DecisionDenied, DecisionRateLimited, DecisionRefused:
		return true
	}
	return false
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Time       time.Time `json:"time"` // RFC 3339 with nanoseconds, UTC
	App        string    `json:"app"`
	Window     string    `json:"window"`
	Page       string    `json:"page"`
	Kind       string    `json:"kind"`
	API        string    `json:"api,omitempty"`        // for kind "api": the API name
	Capability string    `json:"capability,omitempty"` // for kind "api": what the Check hook decided on
	Decision   string    `json:"decision"`
	Reason     string    `json:"reason,omitempty"`     // why the shell refused (refused, denied, rate-limited)
	Error      string    `json:"error,omitempty"`      // why the call failed (decision "error")
	DurationMS *float64  `json:"durationMs,omitempty"` // for kind "api": time in the gateway

	// The hash chain (see auditchain.go): the previous line's Hash ("" where a chain
	// starts) and this line's. Record sets them; lines an older shell wrote have neither.
	Prev string `json:"prev,omitempty"`
	Hash string `json:"hash,omitempty"`
}

// AuditConfig configures the audit log file and its rotation.
type AuditConfig struct {
	Path       string // the current file; backups are PATH-TIMESTAMP.EXT beside it
	MaxSizeMB  int    // rotate when the file would pass this size; 0: DefaultAuditMaxSizeMB
	MaxBackups int    // rotated files to keep; 0: keep them all
}

// DefaultAuditMaxSizeMB is the rotation size when AuditConfig.MaxSizeMB is 0.
const DefaultAuditMaxSizeMB = 10

// AuditMillGoroutine is the top function of the goroutine lumberjack starts at an audit
// log's first write and never stops (it has no way to), as goroutine dumps spell it.
// Tests using goleak pass it to goleak.IgnoreTopFunction.
const AuditMillGoroutine = "gopkg.in/natefinch/lumberjack%2ev2.(*Logger).millRun"

// AuditLog appends JSON lines to a file rotated by size. Safe for concurrent use within
// one process; a nil *AuditLog records nothing. Only one AuditLog may write a given path
// at a time (rotation renames the file under the writer).
type AuditLog struct {
	mu      sync.Mutex
	w       *lumberjack.Logger
	closed  bool
	path    string
	size    int64          // bytes in the current file, tracked so that we rotate, not lumberjack
	max     int64          // rotation size in bytes
	rotated time.Time      // the last rotation, to the millisecond of its backup's name
	last    string         // the hash of the last line written, "" to start a new chain
	hasher  hash.Hash      // sha256, reused under mu
	buf     []byte         // the line being written, reused under mu (Write does not keep it)
	st      syscall.Stat_t // resync's, reused under mu
}

// OpenAudit opens the audit file at path with the default rotation (AuditConfig{Path: path}).
func OpenAudit(path string) (*AuditLog, error) {
	return OpenAuditLog(AuditConfig{Path: path})
}

// OpenAuditLog opens (or creates, 0600) the audit file for appending, creating its parent
// directories 0700. It fails here, not at the first Record, when the file cannot be written.
func OpenAuditLog(cfg AuditConfig) (*AuditLog, error) {
	path := cfg.Path
	if path == "" {
		return nil, errors.New("audit log: no path")
	}
	if cfg.MaxSizeMB < 0 || cfg.MaxBackups < 0 {
		return nil, fmt.Errorf("audit log %s: negative MaxSizeMB (%d) or MaxBackups (%d)", path, cfg.MaxSizeMB, cfg.MaxBackups)
	}
	if cfg.MaxSizeMB == 0 {
		cfg.MaxSizeMB = DefaultAuditMaxSizeMB
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	// lumberjack opens lazily and keeps an existing file's mode: create or check the file
	// now so that a bad path is an error at start-up, and tighten an old file to 0600.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	err = f.Chmod(0o600)
	var size int64
	if fi, serr := f.Stat(); serr == nil {
		size = fi.Size()
	} else if err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	// Carry the chain on from the last line of the log (an older shell's unhashed line
	// gives "", a new chain).
	last, err := lastAuditHash(path, size)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return &AuditLog{path: path, size: size, last: last, hasher: sha256.New(), max: int64(cfg.MaxSizeMB) << 20, w: &lumberjack.Logger{
		Filename: path, MaxSize: cfg.MaxSizeMB, MaxBackups: cfg.MaxBackups,
		// Compress stays off: ReadAudit reads .gz backups too, but plain files can be
		// read with grep while the shell runs.
	}}, nil
}

// Path is the current audit file.
func (a *AuditLog) Path() string {
	if a == nil {
		return ""
	}
	return a.path
}

// ErrAuditClosed is returned by Record after Close.
var ErrAuditClosed = errors.New("audit log is closed")

// Record appends one entry, stamping Time if it is zero. Each entry is one write under
// the log's lock, so lines never interleave, and a line never straddles two files.
func (a *AuditLog) Record(e AuditEntry) error {
	if a == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	e.Prev, e.Hash = "", ""
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrAuditClosed
	}
	a.resync()
	// Chained under the lock: the line's hash covers the previous one's.
	line, sum := chainLine(a.buf[:0], a.hasher, body, a.last)
	a.buf = line
	if a.size > 0 && a.size+int64(len(line)) >= a.max {
		if err := a.rotate(); err != nil {
			return fmt.Errorf("audit log %s: rotate: %w", a.path, err)
		}
	}
	n, err := a.w.Write(line)
	a.size += int64(n)
	if err != nil {
		// What reached the file is unknown: start a new chain rather than guess.
		a.last = ""
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	a.last = sum
	return nil
}

// resync follows lines another writer appended (a CLI command such as
// `install --allow-signer-change` while the shell runs): when the file's size is not the
// one this log wrote, the chain continues from the file's last line, not from ours.
// One stat per line; without it such a line would read as a break in --verify.
func (a *AuditLog) resync() {
	size := int64(0)
	if err := syscall.Stat(a.path, &a.st); err == nil {
		size = a.st.Size
	} else if !errors.Is(err, fs.ErrNotExist) {
		return
	}
	if size == a.size {
		return
	}
	if last, err := lastAuditHash(a.path, size); err == nil {
		a.last, a.size = last, size
	}
}

// rotate moves the current file aside. lumberjack names backups to the millisecond and
// a second rotation within the same millisecond would overwrite the first backup, losing
// its lines: so wait for the next millisecond first (only tiny MaxSizeMB gets here).
func (a *AuditLog) rotate() error {
	for time.Now().UTC().Truncate(time.Millisecond).Equal(a.rotated) {
		time.Sleep(time.Millisecond)
	}
	if err := a.w.Rotate(); err != nil {
		return err
	}
	a.rotated = time.Now().UTC().Truncate(time.Millisecond)
	a.size = 0
	return nil
}

// Close closes the file. Later Records return ErrAuditClosed.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.closed = true
	return a.w.Close()
}
