package loop

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestJobsRunInOrderWithATurnHookEach(t *testing.T) {
	var (
		mu  sync.Mutex
		log []string
	)
	add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	l := New(Options{BeforeTurn: func() { add("+") }, AfterTurn: func() { add("turn") }, OnExit: func() { add("exit") }, Logger: quiet})
	done := make(chan struct{})
	queued := make(chan struct{}) // job a waits until b and the panic are queued too
	l.Enqueue(func() { <-queued; add("a"); l.Enqueue(func() { add("c"); close(done) }) })
	l.Enqueue(func() { add("b") })
	l.Enqueue(func() { panic("one bad job") })
	close(queued)
	<-done
	l.Stop()
	<-l.Done()
	// A job enqueued by a job runs after those already queued; a panic is one turn.
	want := []string{"+", "a", "turn", "+", "b", "turn", "+", "turn", "+", "c", "turn", "exit"}
	mu.Lock()
	defer mu.Unlock()
	if len(log) != len(want) {
		t.Fatalf("log = %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("log = %v, want %v", log, want)
		}
	}
}

func TestStop(t *testing.T) {
	l := New(Options{})
	onLoop := make(chan bool, 1)
	l.Enqueue(func() { onLoop <- l.OnLoop() })
	if !<-onLoop {
		t.Error("OnLoop false on the loop")
	}
	if l.OnLoop() {
		t.Error("OnLoop true off the loop")
	}
	l.Stop()
	l.Stop()
	select {
	case <-l.Done():
	case <-time.After(time.Second):
		t.Fatal("loop did not exit")
	}
	if l.Enqueue(func() {}) {
		t.Error("Enqueue after Stop returned true")
	}
	if !l.Stopping() {
		t.Error("Stopping false after Stop")
	}
}

func TestStopSkipsQueuedJobs(t *testing.T) {
	l := New(Options{})
	ran := false
	block := make(chan struct{})
	l.Enqueue(func() { <-block; l.Stop() })
	l.Enqueue(func() { ran = true })
	close(block)
	<-l.Done()
	if ran {
		t.Error("a job queued before Stop ran after it")
	}
}
