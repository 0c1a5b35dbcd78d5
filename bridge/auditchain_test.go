package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func recordN(t testing.TB, a *AuditLog, from, n int, pad string) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if err := a.Record(AuditEntry{App: "app", Page: strconv.Itoa(i), Kind: "api", API: "ping", Decision: DecisionOK, Reason: pad}); err != nil {
			t.Fatal(err)
		}
	}
}

func verifyOK(t *testing.T, path string, lines int) ChainReport {
	t.Helper()
	rep, err := VerifyAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != "" || rep.Lines != lines {
		t.Fatalf("VerifyAudit = %+v, want %d lines and no break", rep, lines)
	}
	return rep
}

// TestAuditChainAcrossRotation: the chain runs on through rotations, through a reopen
// of a non-empty file, and through a reopen whose current file is empty (the chain then
// continues from the newest backup).
func TestAuditChainAcrossRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	pad := strings.Repeat("x", 900)
	a, err := OpenAuditLog(AuditConfig{Path: path, MaxSizeMB: 1})
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, a, 0, 2500, pad) // about two rotations
	a.Close()
	if a, err = OpenAuditLog(AuditConfig{Path: path, MaxSizeMB: 1}); err != nil {
		t.Fatal(err)
	}
	recordN(t, a, 2500, 10, pad)
	a.Close()
	// Move the current file aside as a backup, leaving an empty current file.
	backup := filepath.Join(dir, "audit-"+time.Now().UTC().Add(time.Hour).Format(backupTimeLayout)+".jsonl")
	if err := os.Rename(path, backup); err != nil {
		t.Fatal(err)
	}
	if a, err = OpenAuditLog(AuditConfig{Path: path, MaxSizeMB: 1}); err != nil {
		t.Fatal(err)
	}
	recordN(t, a, 2510, 10, pad)
	a.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 4 {
		t.Fatalf("files %v: want at least 3 backups and the current file", files)
	}
	if rep := verifyOK(t, path, 2520); len(rep.Restarts) != 0 {
		t.Errorf("restarts %v, want none", rep.Restarts)
	}
	// Removing the last line of a backup breaks the chain at the next file's first line.
	data, _ := os.ReadFile(backup)
	lines := bytes.SplitAfter(data, []byte("\n"))
	os.WriteFile(backup, bytes.Join(lines[:len(lines)-2], nil), 0o600)
	rep, err := VerifyAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Break != path+":1" {
		t.Errorf("break %q, want %s:1", rep.Break, path)
	}
}

// TestVerifyAuditTamper edits a five-line log in the ways an editor might and checks the
// first bad line VerifyAudit names.
func TestVerifyAuditTamper(t *testing.T) {
	old, _ := json.Marshal(AuditEntry{Time: time.Now().UTC(), App: "old", Kind: "api", Decision: DecisionOK})
	tests := []struct {
		name      string
		edit      func(lines [][]byte) [][]byte
		wantBreak int    // 0: intact
		wantWhy   string // part of the reason
	}{
		{"intact", func(l [][]byte) [][]byte { return l }, 0, ""},
		{"changed field", func(l [][]byte) [][]byte {
			l[2] = bytes.Replace(l[2], []byte(`"page":"2"`), []byte(`"page":"9"`), 1)
			return l
		}, 3, "changed"},
		{"changed hash", func(l [][]byte) [][]byte {
			i := bytes.LastIndex(l[1], []byte(`"hash":"`)) + len(`"hash":"`)
			l[1][i] ^= 1
			return l
		}, 2, "changed"},
		{"hash field mangled", func(l [][]byte) [][]byte {
			l[3] = bytes.Replace(l[3], []byte(`"hash":"`), []byte(`"hash":"zz`), 1)
			return l
		}, 4, "altered"},
		{"removed", func(l [][]byte) [][]byte { return append(l[:2], l[3:]...) }, 3, "removed"},
		{"reordered", func(l [][]byte) [][]byte { l[1], l[2] = l[2], l[1]; return l }, 2, "reordered"},
		{"unhashed line inserted", func(l [][]byte) [][]byte {
			return append(l[:2], append([][]byte{append(old, '\n')}, l[2:]...)...)
		}, 4, "removed"},
		{"first line removed", func(l [][]byte) [][]byte { return l[1:] }, 0, ""}, // indistinguishable from pruned backups
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "audit.jsonl")
			a, err := OpenAudit(path)
			if err != nil {
				t.Fatal(err)
			}
			recordN(t, a, 0, 5, "")
			a.Close()
			data, _ := os.ReadFile(path)
			lines := bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
			lines[len(lines)-1] = append(lines[len(lines)-1], '\n')
			if err := os.WriteFile(path, bytes.Join(tt.edit(lines), nil), 0o600); err != nil {
				t.Fatal(err)
			}
			rep, err := VerifyAudit(path)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.wantBreak > 0 {
				want = fmt.Sprintf("%s:%d", path, tt.wantBreak)
			}
			if rep.Break != want || !strings.Contains(rep.Reason, tt.wantWhy) {
				t.Errorf("VerifyAudit = %+v, want break %q (%s)", rep, want, tt.wantWhy)
			}
		})
	}
}

// TestAuditChainOldLines: lines an older shell wrote without hashes start a new chain,
// which VerifyAudit reports without failing; readers still read them.
func TestAuditChainOldLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	var old []byte
	for i := range 3 {
		l, _ := json.Marshal(AuditEntry{Time: time.Now().UTC(), App: "old", Page: strconv.Itoa(i), Kind: "api", Decision: DecisionOK})
		old = append(append(old, l...), '\n')
	}
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, a, 0, 3, "")
	a.Close()
	rep := verifyOK(t, path, 6)
	if len(rep.Restarts) != 1 || !strings.HasPrefix(rep.Restarts[0], path+":1 ") {
		t.Errorf("restarts %v, want one note for the unhashed lines, at %s:1", rep.Restarts, path)
	}
	got, err := ReadAudit(path, Filter{})
	if err != nil || len(got) != 6 || got[0].Hash != "" || got[5].Hash == "" || got[3].Prev != "" || got[4].Prev != got[3].Hash {
		t.Errorf("ReadAudit = %d entries (%v), want 6: 3 unhashed, then a chain from prev \"\"", len(got), err)
	}
}

// TestReadAuditLast: Filter.Last keeps the newest N entries without the rest.
func TestReadAuditLast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, a, 0, 100, "")
	a.Close()
	for _, last := range []int{1, 7, 100, 500} {
		got, err := ReadAudit(path, Filter{Last: last})
		if err != nil {
			t.Fatal(err)
		}
		want := min(last, 100)
		if len(got) != want || got[len(got)-1].Page != "99" || got[0].Page != strconv.Itoa(100-want) {
			t.Errorf("Last %d: %d entries, want %d ending at page 99", last, len(got), want)
		}
	}
	n := 0
	if err := ScanAudit(path, Filter{App: "app"}, func(AuditEntry) error { n++; return nil }); err != nil || n != 100 {
		t.Errorf("ScanAudit: %d entries, %v; want 100", n, err)
	}
}

// BenchmarkAuditRecord is the gateway's per-call cost of the audit line.
func BenchmarkAuditRecord(b *testing.B) {
	a, err := OpenAudit(filepath.Join(b.TempDir(), "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	d := 0.25
	e := AuditEntry{App: "dev.sandframe.todo@0123456789abcdef", Window: "w1", Page: "pages/index/index", Kind: "api",
		API: "getStorage", Capability: "storage", Decision: DecisionOK, DurationMS: &d}
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Record(e); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAuditChainTwoWriters: a line another writer appends (a CLI command while the
// shell runs) joins the chain instead of breaking it.
func TestAuditChainTwoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	shell, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, shell, 0, 2, "")
	cli, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, cli, 2, 1, "")
	cli.Close()
	recordN(t, shell, 3, 2, "")
	shell.Close()
	verifyOK(t, path, 5)
}

// TestAuditTableBlocks: a table longer than one block prints every row once, under one
// header.
func TestAuditTableBlocks(t *testing.T) {
	var b bytes.Buffer
	tab := NewAuditTable(&b)
	n := 2*auditTableBlock + 3
	for i := range n {
		tab.Add(AuditEntry{Time: time.Unix(int64(i), 0).UTC(), App: "a", Kind: "api", API: "x" + strconv.Itoa(i), Decision: DecisionOK})
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "\n") != n+1 || strings.Count(out, "TIME") != 1 || !strings.Contains(out, "api/x"+strconv.Itoa(n-1)+" ") {
		t.Errorf("%d lines, %d headers; want %d rows under one header", strings.Count(out, "\n"), strings.Count(out, "TIME"), n)
	}
}
