//go:build race

package main

// raceEnabled: the race detector sees the memory scan read what net/http's connection
// goroutines wrote without a lock it can follow.
const raceEnabled = true
