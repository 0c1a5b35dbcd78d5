package catalog

import (
	"crypto/sha256"
	"encoding/binary"
)

// rolloutBucket places a machine in one of 100 buckets for one release of one app. It is
// a stable hash, so a machine keeps its answer across runs and raising a rollout from 10
// to 50 percent keeps the first 10 percent in; the version is part of it, so each new
// canary release is tried by a different slice of the fleet.
func rolloutBucket(machineID, appID, version string) int {
	h := sha256.Sum256([]byte("sandframe-rollout-1\n" + appID + "\n" + version + "\n" + machineID))
	return int(binary.BigEndian.Uint64(h[:8]) % 100)
}

// inRollout reports whether the machine takes part in a rollout of percent. A machine
// with no id takes part only in a full rollout: bucketing every anonymous machine alike
// would give a partial rollout to all of them or none.
func inRollout(machineID, appID, version string, percent int) bool {
	switch {
	case percent >= 100:
		return true
	case percent <= 0 || machineID == "":
		return false
	}
	return rolloutBucket(machineID, appID, version) < percent
}
