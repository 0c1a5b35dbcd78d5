package render

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// The review's push, sent to the real runtime as if logic had not checked it: 400 paths
// a million past the end of empty arrays, then pushes that pad up to the per-push bound
// each. The page refuses what passes its bounds, its web process stays small, and the
// next ordinary push still renders.
func TestRuntimeRefusesABalloonPush(t *testing.T) {
	setupRuntime(t)
	pid := rtWin.WebProcess()
	if pid == 0 {
		t.Fatal("the runtime window's web process is unknown")
	}
	before := residentMiB(t, pid)

	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 400; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"a%d[1048575]":1`, i)
	}
	b.WriteString("}")
	start := time.Now()
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(b.String())}})
	// Within the gap bound, each push pads as much as it may: 64 paths of 1024 nulls;
	// 2000 such pushes would be 130 M entries without the per-page bound (1 M).
	for round := 0; round < 50; round++ {
		b.Reset()
		b.WriteString("{")
		for i := 0; i < 64; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"r%d_%d[1023]":1`, round, i)
		}
		b.WriteString("}")
		pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(b.String())}})
	}
	took := time.Since(start)
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(`{"n":"still here"}`)}})
	probe, _ := bridge.NewEnvelope(bridge.KindProbe, bridge.Probe{ID: 99, Op: "query", Selector: "#n"})
	if err := rtWin.Send(probe); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-rtProbes:
		if !r.OK || !strings.Contains(string(r.Result), "still here") {
			t.Fatalf("the page shows %s", r.Result)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no probe answer")
	}
	after := residentMiB(t, pid)
	t.Logf("web process %d: %d MiB before, %d MiB after 51 hostile pushes (%s)", pid, before, after, took.Round(time.Millisecond))
	if after-before > 200 {
		t.Errorf("the web process grew by %d MiB", after-before)
	}
}

func residentMiB(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb >> 10
		}
	}
	t.Fatalf("no VmRSS for %d", pid)
	return 0
}
