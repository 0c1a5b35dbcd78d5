package bridge

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkGatewayOverhead measures, in one run, a gateway call (check, token bucket,
// handler, result encoding, one audit line to a real rotating file) and the same handler
// called directly. ns/op is the gateway call; direct-ns/op the handler alone; ratio is
// their quotient and overhead-ns/op their difference.
func BenchmarkGatewayOverhead(b *testing.B) {
	audit, err := OpenAuditLog(AuditConfig{Path: filepath.Join(b.TempDir(), "audit.jsonl"), MaxSizeMB: 64, MaxBackups: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer audit.Close()
	gw := NewGateway(GatewayConfig{
		Audit: audit, Logger: quiet,
		// The bucket is taken on every call but never runs dry during the benchmark.
		Limits: RateLimits{Default: Limit{Rate: 1e12, Burst: 1 << 30}},
		Check:  func(s Sender, name string) (string, error) { return "", nil },
	})
	// A handler of the usual size: decode small args, answer a few fields.
	h := func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
		var a struct {
			Key string `json:"key"`
		}
		if err := json.Unmarshal(args, &a); err != nil {
			return nil, nil, err
		}
		return map[string]any{"key": a.Key, "platform": "linux", "version": "1.0.0"}, nil, nil
	}
	gw.Register("getInfo", h)
	ctx := context.Background()
	s := Sender{App: "dev.example.bench", Window: "w1", Page: "p1"}
	call := APICall{ID: 1, Name: "getInfo", Args: json.RawMessage(`{"key":"theme"}`)}

	// The direct loop runs first, outside the benchmark timer, with the same count.
	start := time.Now()
	for range b.N {
		if _, _, err := h(ctx, s, call.Args); err != nil {
			b.Fatal(err)
		}
	}
	direct := time.Since(start)

	b.ResetTimer()
	start = time.Now()
	for range b.N {
		if res := gw.Call(ctx, s, call); !res.OK {
			b.Fatalf("call failed: %s", res.Result)
		}
	}
	viaGateway := time.Since(start)
	b.StopTimer()

	n := float64(b.N)
	b.ReportMetric(float64(direct.Nanoseconds())/n, "direct-ns/op")
	b.ReportMetric(float64((viaGateway-direct).Nanoseconds())/n, "overhead-ns/op")
	b.ReportMetric(float64(viaGateway)/float64(max(direct, 1)), "ratio")
}
