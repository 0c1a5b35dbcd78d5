//go:build sandframe_testhooks

package automation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// Test-build methods for the soak driver (scripts/soak.sh): the shell's own Go
// figures, and the launcher's operations as its page would call them.
func init() {
	// test.runtime: goroutines and live Go heap of the shell process; {"gc": true}
	// collects first, so that the heap is what is really held.
	extraMethods["test.runtime"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			GC bool `json:"gc"`
		}
		if len(params) > 0 {
			if err := json.Unmarshal(params, &p); err != nil {
				return nil, err
			}
		}
		if p.GC {
			runtime.GC()
		}
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/goal:bytes"}}
		metrics.Read(s)
		return map[string]any{
			"goroutines":  runtime.NumGoroutine(),
			"heapObjects": s[0].Value.Uint64(),
			"heapGoal":    s[1].Value.Uint64(),
		}, nil
	}
	// test.profile: {"kind": "heap"|"goroutine"|..., "path": FILE, "debug": N} writes
	// that pprof profile of the shell (after a GC for the heap), so the soak can tell a
	// leak from a cache by comparing the profiles before and after.
	extraMethods["test.profile"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Kind  string `json:"kind"`
			Path  string `json:"path"`
			Debug int    `json:"debug"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		prof := pprof.Lookup(p.Kind)
		if prof == nil {
			return nil, fmt.Errorf("test.profile: no profile %q", p.Kind)
		}
		if p.Kind == "heap" {
			runtime.GC()
		}
		f, err := os.Create(p.Path)
		if err != nil {
			return nil, fmt.Errorf("test.profile: %w", err)
		}
		if err := prof.WriteTo(f, p.Debug); err != nil {
			f.Close()
			return nil, fmt.Errorf("test.profile %s: %w", p.Kind, err)
		}
		return nil, f.Close()
	}
	// test.launcherOp: {"op": "apps.list", "args": {...}} through the launcher service;
	// the answer carries how long the service took.
	extraMethods["test.launcherOp"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Op   string          `json:"op"`
			Args json.RawMessage `json:"args"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		l, ok := t.(interface {
			LauncherOp(context.Context, string, json.RawMessage) (any, error)
		})
		if !ok {
			return nil, fmt.Errorf("test.launcherOp: the target is not the launcher")
		}
		start := time.Now()
		res, err := l.LauncherOp(ctx, p.Op, p.Args)
		if err != nil {
			return nil, err
		}
		return map[string]any{"result": res, "micros": time.Since(start).Microseconds()}, nil
	}
}
