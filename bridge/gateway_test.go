package bridge

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func readAudit(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

func TestGatewayCall(t *testing.T) {
	sender := Sender{App: "todo", Window: "w1", Page: "p1", Route: "pages/index/index"}
	tests := []struct {
		name         string
		call         APICall
		ctx          func() context.Context
		wantOK       bool
		wantResult   string
		wantDecision string
		wantReason   string
	}{
		{"ok with result (a nav is not carried)", APICall{ID: 1, Name: "navigateTo", Args: json.RawMessage(`{"url":"/pages/x/x"}`)}, nil,
			true, `{"errMsg":"navigateTo:ok","url":"/pages/x/x"}`, "ok", ""},
		{"handler error", APICall{ID: 2, Name: "getStorage", Args: json.RawMessage(`{"key":"nope"}`)}, nil,
			false, `{"errMsg":"getStorage:fail data not found"}`, "error", "data not found"},
		{"handler error keeps errCode", APICall{ID: 3, Name: "request"}, nil,
			false, `{"errCode":600001,"errMsg":"request:fail domain not allowed"}`, "error", "domain not allowed"},
		{"unknown api", APICall{ID: 4, Name: "readFile"}, nil,
			false, `{"errMsg":"readFile:fail api not found"}`, "error", "api not found"},
		{"panic", APICall{ID: 5, Name: "explode"}, nil,
			false, `{"errMsg":"explode:fail internal error"}`, "error", "panic: boom"},
		{"denied by check", APICall{ID: 6, Name: "getLocation"}, nil,
			false, `{"errMsg":"getLocation:fail auth deny"}`, "denied", "auth deny"},
		{"result not encodable", APICall{ID: 7, Name: "nan"}, nil,
			false, `{"errMsg":"nan:fail internal error"}`, "error", "result not encodable: json: unsupported value: NaN"},
		{"cancelled context", APICall{ID: 8, Name: "getStorage", Args: json.RawMessage(`{"key":"a"}`)},
			func() context.Context { ctx, cancel := context.WithCancel(context.Background()); cancel(); return ctx },
			false, `{"errMsg":"getStorage:fail context canceled"}`, "error", "context canceled"},
		{"handler cannot forge errMsg", APICall{ID: 9, Name: "forge"}, nil,
			true, `{"errMsg":"forge:ok"}`, "ok", ""},
	}

	auditPath := filepath.Join(t.TempDir(), "a", "b", "audit.jsonl")
	audit, err := OpenAudit(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	gw := NewGateway(GatewayConfig{Audit: audit, Logger: quiet, Check: func(s Sender, name string) (string, error) {
		switch name {
		case "getLocation":
			return "location:read", errors.New("auth deny")
		case "request":
			return "network:request", nil
		}
		return "", nil
	}})
	gw.Register("navigateTo", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		var a struct{ URL string }
		if err := json.Unmarshal(args, &a); err != nil {
			return nil, nil, err
		}
		return map[string]any{"url": a.URL}, &Nav{Action: "navigateTo", Show: "p2"}, nil
	})
	gw.Register("getStorage", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		return nil, nil, errors.New("data not found")
	})
	gw.Register("request", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		return map[string]any{"errCode": 600001}, &Nav{}, errors.New("domain not allowed")
	})
	gw.Register("explode", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		panic("boom")
	})
	gw.Register("getLocation", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		t.Error("getLocation ran although the check denied it")
		return nil, nil, nil
	})
	gw.Register("nan", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		return map[string]any{"v": math.NaN()}, nil, nil
	})
	gw.Register("forge", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		return map[string]any{"errMsg": "forge:fail fake"}, nil, nil
	})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			res := gw.Call(ctx, sender, tt.call)
			if res.ID != tt.call.ID || res.OK != tt.wantOK || string(res.Result) != tt.wantResult {
				t.Errorf("result = {id %d ok %v %s}, want ok %v %s", res.ID, res.OK, res.Result, tt.wantOK, tt.wantResult)
			}
		})
	}
	audit.Close()

	lines := readAudit(t, auditPath)
	if len(lines) != len(tests) {
		t.Fatalf("%d audit lines, want %d", len(lines), len(tests))
	}
	for i, tt := range tests {
		e := lines[i]
		// Refusals carry a reason, failures an error; never both.
		field, other := "reason", "error"
		if tt.wantDecision == DecisionError {
			field, other = "error", "reason"
		}
		detail, _ := e[field].(string)
		wantCap := map[string]string{"getLocation": "location:read", "request": "network:request"}[tt.call.Name]
		capability, _ := e["capability"].(string)
		if e["api"] != tt.call.Name || e["kind"] != "api" || e["app"] != "todo" || e["page"] != "p1" ||
			e["decision"] != tt.wantDecision || detail != tt.wantReason || e[other] != nil || capability != wantCap {
			t.Errorf("audit line %d = %v", i+1, e)
		}
		if _, ok := e["durationMs"].(float64); !ok {
			t.Errorf("audit line %d has no duration", i+1)
		}
		if _, err := time.Parse(time.RFC3339Nano, e["time"].(string)); err != nil {
			t.Errorf("audit line %d time: %v", i+1, err)
		}
	}
}

func TestGatewayGoRunsOffTheCallersGoroutine(t *testing.T) {
	gw := NewGateway(GatewayConfig{Logger: quiet})
	release := make(chan struct{})
	gw.Register("slow", func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		<-release // would deadlock if Go ran the handler before returning
		return nil, nil, nil
	})
	got := make(chan APIResult, 1)
	gw.Go(context.Background(), Sender{App: "a"}, APICall{ID: 9, Name: "slow"}, func(r APIResult) { got <- r })
	close(release)
	select {
	case r := <-got:
		if !r.OK || string(r.Result) != `{"errMsg":"slow:ok"}` {
			t.Errorf("result %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("done never called")
	}

	// A panicking completion is contained too.
	done := make(chan struct{})
	gw.Go(context.Background(), Sender{App: "a"}, APICall{ID: 10, Name: "slow"}, func(APIResult) {
		defer close(done)
		panic("completion bug")
	})
	<-done
}

func TestAuditLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "sandframe")
	path := filepath.Join(dir, "audit.jsonl")
	a, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if err := a.Record(AuditEntry{App: "x", Kind: "event", Decision: DecisionRefused, Reason: strings.Repeat("r", i*100)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(AuditEntry{}); !errors.Is(err, ErrAuditClosed) {
		t.Errorf("record after close: %v", err)
	}
	if n := len(readAudit(t, path)); n != 1000 {
		t.Errorf("%d lines, want 1000", n)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v %v", fi.Mode(), err)
	}
	di, err := os.Stat(dir)
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v %v", di.Mode(), err)
	}

	// Reopening appends.
	a, err = OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	a.Record(AuditEntry{App: "y", Decision: DecisionOK})
	a.Close()
	lines := readAudit(t, path)
	if len(lines) != 1001 || lines[1000]["app"] != "y" {
		t.Errorf("after reopen: %d lines, last %v", len(lines), lines[len(lines)-1])
	}

	// A nil log records nothing and does not fail.
	var none *AuditLog
	if err := none.Record(AuditEntry{}); err != nil {
		t.Error(err)
	}
	if err := none.Close(); err != nil {
		t.Error(err)
	}
}

func TestOpenAuditFailsWithContext(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	_, err := OpenAudit(filepath.Join(file, "audit.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "audit log "+file) {
		t.Errorf("err = %v", err)
	}
}
