package logic

import "testing"

// TestWarm: the warm-up's stub app loads under the current framework (Warm would
// otherwise fail every spare logic child's warm-up), and can run again.
func TestWarm(t *testing.T) {
	for range 2 {
		if err := Warm(); err != nil {
			t.Fatalf("Warm: %v", err)
		}
	}
}
