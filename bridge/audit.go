package bridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Audit decisions.
const (
	DecisionRefused = "refused" // a page message the gate dropped
	DecisionOK      = "ok"      // an API call that succeeded
	DecisionError   = "error"   // an API call whose handler failed, panicked or does not exist
	DecisionDenied  = "denied"  // an API call the Check hook (permissions, rate budget) refused
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	Time       time.Time `json:"time"` // RFC 3339 with nanoseconds, UTC
	App        string    `json:"app"`
	Window     string    `json:"window"`
	Page       string    `json:"page"`
	Kind       string    `json:"kind"`
	API        string    `json:"api,omitempty"` // for kind "api": the API name
	Decision   string    `json:"decision"`
	Reason     string    `json:"reason,omitempty"`
	DurationMS *float64  `json:"durationMs,omitempty"` // for kind "api": handler run time
}

// AuditLog appends JSON lines to a file. Safe for concurrent use; a nil *AuditLog
// records nothing.
type AuditLog struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// OpenAudit opens (or creates, 0600) the audit file for appending, creating its parent
// directories 0700.
func OpenAudit(path string) (*AuditLog, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return &AuditLog{f: f, path: path}, nil
}

// ErrAuditClosed is returned by Record after Close.
var ErrAuditClosed = errors.New("audit log is closed")

// Record appends one entry, stamping Time if it is zero. Each entry is written with a
// single write on an O_APPEND file, so lines never interleave.
func (a *AuditLog) Record(e AuditEntry) error {
	if a == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	line = append(line, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return ErrAuditClosed
	}
	if _, err := a.f.Write(line); err != nil {
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	return nil
}

// Close closes the file. Later Records return ErrAuditClosed.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
