package bridge

import (
	"testing"

	"go.uber.org/goleak"
)

// No test leaves a goroutine behind, except the one lumberjack starts per audit log and
// cannot stop (see AuditMillGoroutine).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction(AuditMillGoroutine))
}
