package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// A push is one Eval of window.__sf_recv('[env,…]'): what the page gets, parsed once,
// is every envelope in order, whatever their payloads hold.
func TestBatchLiteralRoundTrips(t *testing.T) {
	texts := []string{"plain", "it's 'quoted'", "line\u2028sep\u2029", `</script> "q" \ back \' \"`, "𝄞 中文 \x01\x1f\t\n\r", "bad \xff utf8", `]');window.x=1;//`}
	var batch []byte
	for _, text := range texts {
		env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": text})
		env.Sender = &bridge.Sender{App: "a", Page: "p1"}
		raw, err := appendEnvelope(nil, env)
		if err != nil {
			t.Fatal(err)
		}
		batch = appendToBatch(batch, appendJSStringBody(nil, raw, batchQuote))
	}
	script := string(closeBatch(batch))
	if strings.ContainsAny(script, "\n\r\u2028\u2029") {
		t.Fatalf("the script holds a line terminator: %q", script)
	}
	vm := goja.New()
	vm.Set("window", vm.NewObject())
	if _, err := vm.RunString(`window.x = 0; var got; window.__sf_recv = function (text) { got = JSON.parse(text); };`); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(script); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	if v, _ := vm.RunString(`window.x`); v.ToInteger() != 0 {
		t.Fatal("a payload ran as script")
	}
	out, _ := json.Marshal(vm.Get("got").Export())
	var back []struct {
		V       int
		Kind    string
		Payload struct{ Text string }
		Sender  struct{ App, Page string }
	}
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != len(texts) {
		t.Fatalf("%d envelopes came out of %d", len(back), len(texts))
	}
	for i, text := range texts {
		want := strings.ToValidUTF8(text, "\ufffd")
		if b := back[i]; b.V != 1 || b.Kind != "ui" || b.Payload.Text != want || b.Sender.Page != "p1" {
			t.Errorf("%q came back as %+v", text, b)
		}
	}
}

// An envelope that could spoil the array it travels in is refused by Send, alone: the
// others of the same batch arrive, in order, and nothing is injected.
func TestSendRefusesAnEnvelopeThatWouldSpoilItsBatch(t *testing.T) {
	needWindow(t)
	drain()
	// Hold the UI thread so that everything below goes in one batch.
	release := make(chan struct{})
	Do(func() { <-release })
	good := func(text string) bridge.Envelope {
		env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": text})
		return env
	}
	bad := []bridge.Envelope{
		{V: 1, Kind: bridge.KindUI, Payload: json.RawMessage(`{"op":"title","text":`)},
		{V: 1, Kind: bridge.KindUI, Payload: json.RawMessage(`{"text":"x"}},{"v":1,"kind":"ui","payload":{"op":"title","text":"injected"}`)},
		{V: 1, Kind: bridge.KindUI, Payload: json.RawMessage(`{} {}`)},
		{V: 1, Kind: `ui","payload":{"text":"injected"}}`, Payload: json.RawMessage(`{}`)},
		{V: 1, Kind: "", Payload: json.RawMessage(`{}`)},
	}
	var sent []string
	for i, env := range bad {
		text := string(rune('a' + i))
		if err := testWin.Send(good(text)); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, text)
		if err := testWin.Send(env); err == nil {
			close(release)
			t.Fatalf("Send took %s %s", env.Kind, env.Payload)
		}
	}
	if err := testWin.Send(good("end")); err != nil {
		t.Fatal(err)
	}
	sent = append(sent, "end")
	close(release)
	var got []string
	for len(got) < len(sent) {
		select {
		case raw := <-received:
			var env struct{ Payload struct{ Text string } }
			if err := json.Unmarshal([]byte(raw), &env); err != nil {
				t.Fatal(err)
			}
			got = append(got, env.Payload.Text)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %q of %q", got, sent)
		}
	}
	if strings.Join(got, ",") != strings.Join(sent, ",") {
		t.Fatalf("the page got %q, want %q", got, sent)
	}
	select {
	case raw := <-received:
		t.Fatalf("the page got more: %s", raw)
	case <-time.After(200 * time.Millisecond): // only a bound on waiting for what should not come
	}
}

// Pushes queued while the UI thread is busy go together: one Eval, one JSON.parse, all
// of them in order. A push alone goes at the UI thread's next turn, as before.
func TestQueuedPushesGoInOneBatch(t *testing.T) {
	needWindow(t)
	drain()
	// Count the page's __sf_recv calls (the echo page's is an ordinary function).
	if err := testWin.Eval(`window.__calls = 0; window.__echo = window.__sf_recv;
window.__sf_recv = function (t) { window.__calls++; window.__echo(t); };`); err != nil {
		t.Fatal(err)
	}
	defer testWin.Eval(`window.__sf_recv = window.__echo;`)
	release := make(chan struct{})
	Do(func() { <-release })
	const n = 300
	for i := 0; i < n; i++ {
		env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "quiet"})
		if i == n-1 {
			env, _ = bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "last"})
		}
		if err := testWin.Send(env); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	select {
	case <-received:
	case <-time.After(10 * time.Second):
		t.Fatal("the batch never arrived")
	}
	if err := testWin.Eval(`window.__sf_post(JSON.stringify({calls: window.__calls}))`); err != nil {
		t.Fatal(err)
	}
	select {
	case raw := <-received:
		if raw != `{"calls":1}` {
			t.Fatalf("%d pushes queued together reached the page as %s", n, raw)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the page did not answer")
	}
}

// BenchmarkSendQueue1000 is Go's share of BenchmarkWebViewBatch1000: 1000 envelopes
// checked, encoded, escaped and queued (no window: nothing is flushed).
func BenchmarkSendQueue1000(b *testing.B) {
	w := &Window{}
	quiet, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "quiet"})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 1000; j++ {
			if err := w.Send(quiet); err != nil {
				b.Fatal(err)
			}
		}
		w.pending = w.pending[:0]
	}
}
