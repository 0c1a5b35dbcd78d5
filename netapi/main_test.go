package netapi

import (
	"testing"

	"go.uber.org/goleak"
)

// Every client and server a test makes is closed: no connection goroutine outlives it.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
