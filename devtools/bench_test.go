package devtools

import (
	"testing"
	"time"

	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
)

// What one bridge message costs the session while DevTools is open, and while its
// window is closed.
func BenchmarkHubDevMessage(b *testing.B) {
	for _, off := range []bool{false, true} {
		name := "open"
		if off {
			name = "closed"
		}
		b.Run(name, func(b *testing.B) {
			h := NewHub("demo")
			h.off.Store(off)
			m := host.DevMessage{Time: time.Now(), Dir: host.DirHostToPage, Kind: "render", Bytes: 100, Seq: 1}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				h.DevMessage(m)
			}
		})
	}
}

func BenchmarkHubDevConsole(b *testing.B) {
	h := NewHub("demo")
	l := logic.ConsoleLine{Text: "x", Level: "log"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.DevConsole(l)
	}
}
