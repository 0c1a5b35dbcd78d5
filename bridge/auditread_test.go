package bridge

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestAuditRotation writes past a 1 MiB max size several times and reads everything back
// in order across the rotated files.
func TestAuditRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	a, err := OpenAuditLog(AuditConfig{Path: path, MaxSizeMB: 1})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3500 // ~1 KiB a line: about three rotations
	base := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	pad := strings.Repeat("x", 900)
	for i := range n {
		if err := a.Record(AuditEntry{Time: base.Add(time.Duration(i) * time.Millisecond), App: "app",
			Page: strconv.Itoa(i), Kind: "api", API: "ping", Decision: DecisionOK, Reason: pad}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("files %v: want the current file and at least 3 backups", files)
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() > 1<<20 {
			t.Errorf("%s: mode %v size %d, want 0600 and at most 1 MiB", f, fi.Mode().Perm(), fi.Size())
		}
		if f != path && !strings.HasPrefix(filepath.Base(f), "audit-") {
			t.Errorf("unexpected file %s", f)
		}
	}

	got, err := ReadAudit(path, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("read %d entries, want %d", len(got), n)
	}
	for i, e := range got {
		if e.Page != strconv.Itoa(i) {
			t.Fatalf("entry %d is %s: out of order", i, e.Page)
		}
	}

	// Since skips whole backups rotated before it and filters the rest.
	since := base.Add((n - 10) * time.Millisecond)
	got, err = ReadAudit(path, Filter{Since: since})
	if err != nil || len(got) != 10 || got[0].Page != strconv.Itoa(n-10) {
		t.Errorf("since: %d entries, err %v", len(got), err)
	}
}

// TestAuditRotationConcurrent: writers racing across rotations lose and tear no line,
// and keep one unbroken hash chain.
func TestAuditRotationConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := OpenAuditLog(AuditConfig{Path: path, MaxSizeMB: 1})
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 300
	pad := strings.Repeat("y", 1000)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := a.Record(AuditEntry{App: fmt.Sprint(w), Page: strconv.Itoa(i), Decision: DecisionOK, Reason: pad}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	a.Close()
	got, err := ReadAudit(path, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != writers*each {
		t.Fatalf("%d entries, want %d", len(got), writers*each)
	}
	// Each writer's own lines stay in its order.
	next := map[string]int{}
	for _, e := range got {
		if e.Page != strconv.Itoa(next[e.App]) {
			t.Fatalf("writer %s: entry %s after %d", e.App, e.Page, next[e.App]-1)
		}
		next[e.App]++
	}
	if files, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(files) < 2 {
		t.Fatalf("files %v: want a rotation", files)
	}
	verifyOK(t, path, writers*each)
}

// writeAuditFile writes entries as JSON lines to path, gzipped when path ends in .gz.
func writeAuditFile(t *testing.T, path string, entries ...AuditEntry) {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(line, '\n'))
	}
	data := buf.Bytes()
	if strings.HasSuffix(path, ".gz") {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestReadAuditFilters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	at := func(min int) time.Time { return time.Date(2030, 5, 1, 10, min, 0, 0, time.UTC) }
	e := func(min int, app, decision string) AuditEntry {
		return AuditEntry{Time: at(min), App: app, Kind: "api", API: "x", Decision: decision}
	}
	// Oldest backup compressed, the next plain, then the current file; file names sort
	// the same way as their stamps, and the listing must not rely on directory order.
	writeAuditFile(t, filepath.Join(dir, "audit-2030-05-01T10-05-00.000.jsonl.gz"),
		e(1, "a", DecisionOK), e(2, "b", DecisionDenied), e(3, "a", DecisionRateLimited))
	writeAuditFile(t, filepath.Join(dir, "audit-2030-05-01T10-10-00.000.jsonl"),
		e(6, "a", DecisionError), AuditEntry{Time: at(7), App: "b", Kind: "event", Decision: DecisionRefused, Reason: "forged"})
	writeAuditFile(t, path, e(11, "a", DecisionDenied), e(12, "b", DecisionOK))
	// Not backups of this log: another log's backup, a name with a bad stamp, a directory.
	writeAuditFile(t, filepath.Join(dir, "other-2030-05-01T10-10-00.000.jsonl"), e(0, "z", DecisionOK))
	writeAuditFile(t, filepath.Join(dir, "audit-old.jsonl"), e(0, "z", DecisionOK))
	os.Mkdir(filepath.Join(dir, "audit-2030-05-01T10-11-00.000.jsonl"), 0o700)

	minutes := func(es []AuditEntry) string {
		var s []string
		for _, e := range es {
			s = append(s, fmt.Sprintf("%d%s", e.Time.Minute(), e.App))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"all in time order", Filter{}, "1a 2b 3a 6a 7b 11a 12b"},
		{"one app", Filter{App: "a"}, "1a 3a 6a 11a"},
		{"since", Filter{Since: at(6)}, "6a 7b 11a 12b"},
		{"since skips old backups", Filter{Since: at(8)}, "11a 12b"},
		{"denied only", Filter{DeniedOnly: true}, "2b 3a 7b 11a"},
		{"all three", Filter{App: "b", Since: at(2), DeniedOnly: true}, "2b 7b"},
		{"nothing matches", Filter{App: "nobody"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadAudit(path, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if minutes(got) != tt.want {
				t.Errorf("got %q, want %q", minutes(got), tt.want)
			}
		})
	}
}

func TestReadAuditFailures(t *testing.T) {
	ok := `{"time":"2030-01-01T00:00:00Z","app":"a","kind":"api","decision":"ok"}`
	tests := []struct {
		name    string
		content string // of the current file; "" means no file
		want    int
		wantErr string
	}{
		{"no log yet", "", 0, ""},
		{"torn last line skipped", ok + "\n" + `{"time":"2030-01-01T00:00:01Z","ap`, 1, ""},
		{"empty lines skipped", "\n" + ok + "\n\n" + ok + "\n", 2, ""},
		{"malformed line named", ok + "\n{oops}\n" + ok + "\n", 0, "audit.jsonl line 2: invalid character"},
		{"wrong type named", ok + "\n" + `{"time":"yesterday"}` + "\n", 0, "audit.jsonl line 2:"},
		{"line too long", strings.Repeat("x", maxAuditLine+10) + "\n", 0, "line 1: line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			if tt.content != "" {
				os.WriteFile(path, []byte(tt.content), 0o600)
			}
			got, err := ReadAudit(path, Filter{})
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if len(got) != tt.want {
				t.Errorf("%d entries, want %d", len(got), tt.want)
			}
		})
	}
	// A log whose directory does not exist yet is no entries either.
	if got, err := ReadAudit(filepath.Join(t.TempDir(), "none", "audit.jsonl"), Filter{}); err != nil || got != nil {
		t.Errorf("missing dir: %v %v", got, err)
	}
}

func TestFormatAuditTable(t *testing.T) {
	ms := func(f float64) *float64 { return &f }
	at := time.Date(2030, 5, 1, 10, 0, 0, 123456789, time.UTC)
	entries := []AuditEntry{
		{Time: at, App: "dev.example.todo", Kind: "api", API: "getSystemInfo", Decision: DecisionOK, DurationMS: ms(0.042)},
		{Time: at.Add(time.Second), App: "dev.example.todo", Kind: "api", API: "getLocation", Capability: "location:read",
			Decision: DecisionDenied, Reason: "auth deny", DurationMS: ms(1.5)},
		{Time: at.Add(2 * time.Second), App: "dev.example.todo", Kind: "api", API: "request", Capability: "network:request",
			Decision: DecisionRateLimited, Reason: "rate limit exceeded", DurationMS: ms(0.01)},
		{Time: at.Add(3 * time.Second), App: "x", Kind: "api", API: "request", Capability: "network:request",
			Decision: DecisionError, Error: "timeout", DurationMS: ms(60000)},
		// Text from a mini-app cannot break the table or drive the terminal.
		{Time: at.Add(4 * time.Second).In(time.FixedZone("", 2*3600)), App: "evil", Window: "w1", Page: "p1", Kind: "event",
			Decision: DecisionRefused, Reason: "handler \"x\x1b[2J\"\nfake\tline \u202etxt.exe\xff " + strings.Repeat("z", 300)},
	}
	var buf bytes.Buffer
	if err := FormatAuditTable(&buf, entries); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "audit_table.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if buf.String() != string(want) {
		t.Errorf("table differs from %s (-update rewrites it):\n%s\nwant:\n%s", golden, buf.String(), want)
	}
	if strings.ContainsAny(buf.String(), "\x1b\u202e\t") || strings.Count(buf.String(), "\n") != len(entries)+1 {
		t.Errorf("control characters or extra lines reached the table:\n%q", buf.String())
	}
}
