package logic

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// What one app may write into the shell's log (console.*, wx.getLogManager,
// wx.getRealtimeLogManager, the framework's notes): lines of at most MaxLogLine bytes,
// LogRate lines a second on average with bursts of LogBurst. Lines over the rate are
// dropped and counted; the next line that passes says how many went.
const (
	MaxLogLine = 8 << 10
	LogRate    = 100
	LogBurst   = 500
)

// logBudget is one runtime's token bucket for log lines.
type logBudget struct {
	mu      sync.Mutex
	tokens  float64
	last    time.Time
	dropped int
}

// write logs msg through log when the budget allows, truncated to MaxLogLine.
func (b *logBudget) write(log *slog.Logger, level slog.Level, msg, source string) {
	now := time.Now()
	b.mu.Lock()
	if b.last.IsZero() {
		b.tokens = LogBurst
	} else {
		b.tokens = min(LogBurst, b.tokens+now.Sub(b.last).Seconds()*LogRate)
	}
	b.last = now
	if b.tokens < 1 {
		b.dropped++
		b.mu.Unlock()
		return
	}
	b.tokens--
	dropped := b.dropped
	b.dropped = 0
	b.mu.Unlock()
	if dropped > 0 {
		log.Warn(fmt.Sprintf("%d log lines dropped: more than %d a second", dropped, LogRate), "source", "runtime")
	}
	if len(msg) > MaxLogLine {
		msg = fmt.Sprintf("%s… (%d bytes cut)", msg[:MaxLogLine], len(msg)-MaxLogLine)
	}
	log.Log(context.Background(), level, msg, "source", source)
}
