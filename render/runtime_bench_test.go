package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/render/wxml"
)

// A second window runs the real render runtime, for the round trip that every UI update
// pays: a render push from Go, applied to the DOM by the runtime, acknowledged with
// ready{seq}.

var (
	rtWin    *Window
	rtReady  = make(chan uint64, 1024)
	rtProbes = make(chan bridge.ProbeResult, 16)
)

const benchWXML = `<view id="n">{{n}}</view>
<view wx:for="{{list}}" wx:key="id" class="row">{{item.title}}</view>`

func startRuntimeWindow() {
	var err error
	rtWin, err = NewWindow(WindowOptions{
		Title: "runtime bench", Width: 320, Height: 240,
		HTML: assets.PageHTML(), Script: assets.RuntimeScript(),
		OnMessage: func(raw string) {
			var env bridge.Envelope
			if json.Unmarshal([]byte(raw), &env) != nil {
				return
			}
			switch env.Kind {
			case bridge.KindReady:
				var r bridge.Ready
				if json.Unmarshal(env.Payload, &r) == nil {
					rtReady <- r.Seq
				}
			case bridge.KindProbeResult:
				var r bridge.ProbeResult
				if json.Unmarshal(env.Payload, &r) == nil {
					rtProbes <- r
				}
			}
		},
	})
	if err != nil {
		panic(err)
	}
}

// rtSeq numbers the pushes to the runtime window.
var rtSeq uint64

// setupRuntime sends init and mounts one page, once.
func setupRuntime(tb testing.TB) {
	tb.Helper()
	needWindow(tb)
	if rtSeq > 0 {
		return
	}
	select {
	case seq := <-rtReady:
		if seq != 0 {
			tb.Fatalf("first ready has seq %d", seq)
		}
	case <-time.After(20 * time.Second):
		tb.Fatal("the runtime page never loaded")
	}
	mountBenchPage(tb)
}

// mountBenchPage sends the benchmarks' init and mounts page p1 with an empty list.
func mountBenchPage(tb testing.TB) {
	tb.Helper()
	tmpl, _, err := wxml.Compile(fstest.MapFS{"pages/b/b.wxml": {Data: []byte(benchWXML)}}, "pages/b/b.wxml")
	if err != nil {
		tb.Fatal(err)
	}
	init, _ := bridge.NewEnvelope(bridge.KindInit, map[string]any{
		"app": map[string]any{"id": "bench", "window": map[string]any{}}, "css": "",
		"pages":      map[string]any{"pages/b/b": map[string]any{"template": tmpl, "css": "", "window": map[string]any{}, "components": map[string]any{}}},
		"components": map[string]any{}, "images": map[string]any{},
		"system": map[string]any{"windowWidth": 320, "windowHeight": 240, "pixelRatio": 1},
	})
	rtWin.Send(init)
	pushWait(tb, []bridge.RenderOp{
		{Op: "mount", Page: "p1", Route: "pages/b/b", Data: json.RawMessage(`{"n":0,"list":[]}`)},
		{Op: "show", Page: "p1"},
	})
}

// pushWait sends one render push and waits for its acknowledgement.
func pushWait(tb testing.TB, ops []bridge.RenderOp) {
	rtSeq++
	env, _ := bridge.NewEnvelope(bridge.KindRender, bridge.Render{Seq: rtSeq, Ops: ops})
	if err := rtWin.Send(env); err != nil {
		tb.Fatal(err)
	}
	for {
		select {
		case seq := <-rtReady:
			if seq == rtSeq {
				return
			}
		case <-time.After(20 * time.Second):
			tb.Fatalf("no ready for push %d", rtSeq)
		}
	}
}

func TestRuntimeAppliesPushes(t *testing.T) {
	setupRuntime(t)
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(`{"n":42,"list":[{"id":1,"title":"a"},{"id":2,"title":"b"}]}`)}})
	pushWait(t, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(`{"list[1].title":"B"}`)}})
	probe, _ := bridge.NewEnvelope(bridge.KindProbe, bridge.Probe{ID: 7, Op: "query", Selector: "#n, .row"})
	if err := rtWin.Send(probe); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-rtProbes:
		var els []struct{ Text string }
		if !r.OK || json.Unmarshal(r.Result, &els) != nil {
			t.Fatalf("probe answered %+v", r)
		}
		var texts []string
		for _, e := range els {
			texts = append(texts, e.Text)
		}
		if got := strings.Join(texts, ","); got != "42,a,B" {
			t.Fatalf("the page shows %q, want 42,a,B", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no probe answer")
	}
}

func listDiff(n, round int) json.RawMessage {
	var b strings.Builder
	b.WriteString(`{"list":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"title":"row %d/%d"}`, i, i, round)
	}
	b.WriteString(`]}`)
	return json.RawMessage(b.String())
}

// BenchmarkWebViewRenderRoundTrip: one setData-sized push (one field) from Go, applied
// by the real runtime, acknowledged back to Go.
func BenchmarkWebViewRenderRoundTrip(b *testing.B) {
	setupRuntime(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pushWait(b, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))}})
	}
}

// BenchmarkWebViewRenderList1000: a 1000-row keyed list replaced with new titles.
// page-ms/op is the page's own time per push (parse, apply, DOM patched), measured in
// the page with performance.now.
func BenchmarkWebViewRenderList1000(b *testing.B) {
	setupRuntime(b)
	var page time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pushWait(b, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: listDiff(1000, i)}})
		b.StopTimer()
		page += pageApplyTime(b)
		b.StartTimer()
	}
	b.ReportMetric(float64(page.Microseconds())/1e3/float64(b.N), "page-ms/op")
}

// BenchmarkWebViewRenderOneField1000: one field of one row changed on a page of 1000
// rows (setData({'list[500].title': …})). page-ms/op as above.
func BenchmarkWebViewRenderOneField1000(b *testing.B) {
	setupRuntime(b)
	pushWait(b, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: listDiff(1000, -1)}})
	var page time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pushWait(b, []bridge.RenderOp{{Op: "data", Target: "p1", Diff: json.RawMessage(fmt.Sprintf(`{"list[500].title":"one %d"}`, i))}})
		b.StopTimer()
		page += pageApplyTime(b)
		b.StartTimer()
	}
	b.ReportMetric(float64(page.Microseconds())/1e3/float64(b.N), "page-ms/op")
}

// pageApplyTime asks the runtime page for its last "sf-apply" measure (transport.js).
func pageApplyTime(tb testing.TB) time.Duration {
	tb.Helper()
	const ask = `(function () {
  var m = performance.getEntriesByName("sf-apply");
  var ms = m.length ? m[m.length - 1].duration : -1;
  window.__sf_post(JSON.stringify({v: 1, kind: "probeResult", payload: {id: 424242, ok: true, result: ms}}));
})();`
	if err := rtWin.Eval(ask); err != nil {
		tb.Fatal(err)
	}
	for {
		select {
		case r := <-rtProbes:
			if r.ID != 424242 {
				continue
			}
			var ms float64
			if json.Unmarshal(r.Result, &ms) != nil || ms < 0 {
				tb.Fatalf("the page has no sf-apply measure: %s", r.Result)
			}
			return time.Duration(ms * float64(time.Millisecond))
		case <-time.After(20 * time.Second):
			tb.Fatal("the page did not report its apply time")
		}
	}
}
