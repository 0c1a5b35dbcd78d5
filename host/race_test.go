//go:build race

package host

// raceEnabled: code runs several times slower under the race detector.
const raceEnabled = true
