package isolate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sort"
	"strings"
	"sync"
)

// Bounds on the child's stderr, which the parent re-logs.
const (
	maxLogLine  = 64 << 10 // longer lines are cut
	maxLogAttrs = 32
	maxRawLines = 64 // raw (non-JSON) lines logged; a crash's stack traces beyond are dropped
	tailKeep    = 16
	tailLineLen = 512
)

// relayStderr re-logs the child's slog JSON lines through the parent's logger, tagged
// isolate=child and pid, and keeps its raw lines (the Go runtime's own output) for Err.
func (r *Runtime) relayStderr() {
	defer close(r.stderrDone)
	br := bufio.NewReaderSize(r.stderr, 4096)
	raw := 0
	for {
		line, err := readLine(br, maxLogLine)
		if len(line) > 0 {
			if !r.relayJSON(line) {
				text := string(bytes.ToValidUTF8(line, []byte("?")))
				r.tail.add(text)
				raw++
				switch {
				case raw <= maxRawLines:
					r.log.Warn("isolate: child output", "line", text)
				case raw == maxRawLines+1:
					r.log.Warn("isolate: further raw child output is not logged")
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// readLine reads one line without its newline, at most max bytes of it (the rest of a
// longer line is discarded).
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= max {
			line = append(line, chunk...)
		} else if len(line) < max {
			line = append(line, chunk[:max-len(line)]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

// relayJSON logs one slog JSON record of the child; false if the line is not one.
func (r *Runtime) relayJSON(line []byte) bool {
	if line[0] != '{' {
		return false
	}
	var rec map[string]any
	if err := json.Unmarshal(line, &rec); err != nil {
		return false
	}
	msg, _ := rec["msg"].(string)
	var level slog.Level
	if s, ok := rec["level"].(string); !ok || level.UnmarshalText([]byte(s)) != nil {
		level = slog.LevelInfo
	}
	delete(rec, "msg")
	delete(rec, "level")
	delete(rec, "time")
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > maxLogAttrs {
		keys = keys[:maxLogAttrs]
	}
	attrs := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		attrs = append(attrs, k, rec[k])
	}
	r.log.Log(context.Background(), level, msg, attrs...)
	return true
}

// tail keeps what explains a death in the child's raw output: the first fatal line,
// the first line that speaks of memory (a crash dump after it can be long), the end.
type tail struct {
	mu     sync.Mutex
	fatal  string
	memory string
	ring   []string
}

func newTail() *tail { return &tail{} }

func (t *tail) add(line string) {
	line = truncate(line, tailLineLen)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fatal == "" && (strings.HasPrefix(line, "fatal error:") || strings.HasPrefix(line, "panic:")) {
		t.fatal = line
	}
	if t.memory == "" && matchesAny(line, memoryDeath) {
		t.memory = line
	}
	t.ring = append(t.ring, line)
	if len(t.ring) > tailKeep {
		t.ring = append(t.ring[:0], t.ring[len(t.ring)-tailKeep:]...)
	}
}

func (t *tail) lines() tailLines {
	t.mu.Lock()
	defer t.mu.Unlock()
	return tailLines{fatal: t.fatal, memory: t.memory, lines: append([]string(nil), t.ring...)}
}
