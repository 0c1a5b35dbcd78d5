package monitor

import (
	"fmt"
	"testing"
)

// BenchmarkOnTask is what the monitor adds to every JS task (a start and an end).
func BenchmarkOnTask(b *testing.B) {
	w := New(Config{Logger: quiet}).Attach("a")
	for b.Loop() {
		w.OnTask(true)
		w.OnTask(false)
	}
}

// BenchmarkSample is one heap sample (runtime/metrics read + attribution) with 20 apps.
func BenchmarkSample(b *testing.B) {
	m := New(Config{Logger: quiet})
	for i := range 20 {
		m.Attach(fmt.Sprintf("app%d", i))
	}
	for b.Loop() {
		m.sampleOnce(readHeap(), monoNow())
	}
}

// BenchmarkDenied is one anomaly event (a window of 20 in 10 s).
func BenchmarkDenied(b *testing.B) {
	w := New(Config{Logger: quiet}).Attach("a")
	for b.Loop() {
		w.Denied()
	}
}
