package render

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// flush holds a batch back while a burst is still arriving, never a lone push, never
// past burstMax or burstBytes, and goes once no Send came for burstQuiet.
func TestBurstWait(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	var lone burst
	lone.sent(100)
	if lone.wait(t0) {
		t.Fatal("a lone push was held back")
	}
	lone.take()
	lone.pushed(at(time.Second))
	lone.sent(100)
	if lone.wait(at(time.Second + burstQuiet)) {
		t.Fatal("a lone push burstQuiet after the last was held back")
	}

	// One envelope right after a push is part of a stream: it waits for more, for
	// burstQuiet without a send.
	var stream burst
	stream.pushed(t0)
	stream.sent(100)
	if !stream.wait(at(5 * time.Microsecond)) {
		t.Fatal("an envelope 5 µs after a push went alone")
	}
	if stream.wait(at(5*time.Microsecond + burstQuiet)) {
		t.Fatal("held back burstQuiet after it came, with no other send")
	}

	var b burst
	for i := 0; i < 10; i++ {
		b.sent(100)
	}
	if !b.wait(at(0)) {
		t.Fatal("a batch of 10 went at flush's first look")
	}
	b.sent(110) // still arriving
	if !b.wait(at(15 * time.Microsecond)) {
		t.Fatal("went while sends were still arriving")
	}
	if !b.wait(at(30 * time.Microsecond)) {
		t.Fatal("went before burstQuiet without a send")
	}
	if b.wait(at(15*time.Microsecond + burstQuiet)) {
		t.Fatal("held back after burstQuiet without a send")
	}
	b.take()
	if b.pushes.Load() != 1 || b.wait(at(time.Second)) {
		t.Fatalf("after a flush: pushes %d, or held back with nothing queued", b.pushes.Load())
	}

	// A stream that never pauses goes after burstMax.
	var s burst
	s.sent(100)
	s.sent(100)
	d := time.Duration(0)
	for ; d < 10*burstMax; d += 5 * time.Microsecond {
		s.sent(100)
		if !s.wait(at(d)) {
			break
		}
	}
	if d < burstMax || d > burstMax+5*time.Microsecond {
		t.Fatalf("a steady stream went after %v, want burstMax (%v)", d, burstMax)
	}

	// A long batch goes at once.
	var big burst
	big.sent(100)
	big.sent(burstBytes)
	if big.wait(t0) {
		t.Fatal("a batch of burstBytes was held back")
	}
}

// pushCounts reads the test window's Eval and hold-back counters.
func pushCounts() (pushes, deferrals uint64) {
	return testWin.burst.pushes.Load(), testWin.burst.deferrals.Load()
}

// A burst still arriving when its flush first runs goes in one Eval, in order. Before,
// that flush sent what it found and the rest went in another Eval (in a burst of 1000
// from a busy sender, 2–4). The order on the UI thread is made certain: it is held
// while two envelopes are queued (their flush is scheduled), then runs that flush, then
// a function that sends three more.
func TestBurstGoesInOneEval(t *testing.T) {
	needWindow(t)
	drain()
	// The page notes how many envelopes each call brings.
	if err := testWin.Eval(`window.__lens = []; window.__echo = window.__sf_recv;
window.__sf_recv = function (t) { window.__lens.push(JSON.parse(t).length); window.__echo(t); };`); err != nil {
		t.Fatal(err)
	}
	defer testWin.Eval(`window.__sf_recv = window.__echo;`)
	env := func(i int) bridge.Envelope {
		e, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": fmt.Sprint(i)})
		return e
	}
	const n = 5
	for try := 0; try < 3; try++ {
		p0, _ := pushCounts()
		release := make(chan struct{})
		Do(func() { <-release })
		for i := 0; i < 2; i++ {
			if err := testWin.Send(env(i)); err != nil {
				t.Fatal(err)
			}
		}
		sendErr := make(chan error, 1)
		Do(func() { // runs after the flush the first Send scheduled
			for i := 2; i < n; i++ {
				if err := testWin.Send(env(i)); err != nil {
					sendErr <- err
					return
				}
			}
			sendErr <- nil
		})
		close(release)
		if err := <-sendErr; err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			select {
			case raw := <-received:
				var e struct{ Payload struct{ Text string } }
				if err := json.Unmarshal([]byte(raw), &e); err != nil || e.Payload.Text != fmt.Sprint(i) {
					t.Fatalf("try %d: got %s, want %d next", try, raw, i)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("try %d: envelope %d never arrived", try, i)
			}
		}
		if p1, _ := pushCounts(); p1-p0 != 1 {
			t.Errorf("try %d: the burst went in %d Evals", try, p1-p0)
		}
	}
	if err := testWin.Eval(`window.__sf_post(JSON.stringify({lens: window.__lens}))`); err != nil {
		t.Fatal(err)
	}
	select {
	case raw := <-received:
		if raw != `{"lens":[5,5,5]}` {
			t.Fatalf("the page got the three bursts as %s, want one call each", raw)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the page did not answer")
	}
}

// A push alone is never held back: it goes at the flush its Send scheduled.
func TestLonePushIsNotHeldBack(t *testing.T) {
	needWindow(t)
	drain()
	env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "alone"})
	for i := 0; i < 20; i++ {
		p0, d0 := pushCounts()
		if err := testWin.Send(env); err != nil {
			t.Fatal(err)
		}
		select {
		case <-received:
		case <-time.After(10 * time.Second):
			t.Fatal("the push never arrived")
		}
		if p1, d1 := pushCounts(); p1-p0 != 1 || d1 != d0 {
			t.Fatalf("a lone push went in %d Evals after %d hold-backs", p1-p0, d1-d0)
		}
	}
}
