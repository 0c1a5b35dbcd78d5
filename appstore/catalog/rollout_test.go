package catalog

import (
	"fmt"
	"math"
	"testing"
)

func TestRolloutDeterministic(t *testing.T) {
	for i := range 100 {
		id := fmt.Sprintf("machine-%d", i)
		a, b := rolloutBucket(id, testApp, "1.1.0"), rolloutBucket(id, testApp, "1.1.0")
		if a != b || a < 0 || a > 99 {
			t.Fatalf("%s: buckets %d, %d", id, a, b)
		}
	}
	// A known value pins the hash: changing it would move every machine between cohorts.
	if got := rolloutBucket("machine-0", testApp, "1.1.0"); got != pinnedBucket {
		t.Fatalf("rolloutBucket(machine-0) = %d, want %d", got, pinnedBucket)
	}
}

// pinnedBucket is rolloutBucket("machine-0", testApp, "1.1.0").
const pinnedBucket = 58

func TestRolloutProportions(t *testing.T) {
	const machines = 20000
	// With n machines the share's standard deviation is √(p(1-p)/n) ≤ 0.0036 at
	// 20,000; 1.5 points is over four of them, and the ids are fixed, so this cannot flake.
	for _, percent := range []int{0, 1, 5, 10, 25, 50, 90, 100} {
		for _, version := range []string{"1.1.0", "2.0.0-rc.1"} {
			in := 0
			for i := range machines {
				if inRollout(fmt.Sprintf("host-%d", i), testApp, version, percent) {
					in++
				}
			}
			got := 100 * float64(in) / machines
			if math.Abs(got-float64(percent)) > 1.5 {
				t.Errorf("rollout %d%% of %s: %.2f%% of machines", percent, version, got)
			}
		}
	}
}

func TestRolloutProperties(t *testing.T) {
	moved, kept := 0, 0
	for i := range 5000 {
		id := fmt.Sprintf("host-%d", i)
		// Raising a rollout never drops a machine that was in.
		if inRollout(id, testApp, "1.1.0", 10) && !inRollout(id, testApp, "1.1.0", 50) {
			t.Fatalf("%s left the rollout when it grew", id)
		}
		// Each version picks its own cohort.
		a, b := inRollout(id, testApp, "1.1.0", 10), inRollout(id, testApp, "1.2.0", 10)
		if a && !b {
			moved++
		} else if a && b {
			kept++
		}
	}
	if moved == 0 || kept > moved {
		t.Fatalf("versions share a cohort: %d moved, %d kept", moved, kept)
	}
	if inRollout("", testApp, "1.1.0", 99) || !inRollout("", testApp, "1.1.0", 100) {
		t.Fatal("a machine with no id must take part in full rollouts only")
	}
}
