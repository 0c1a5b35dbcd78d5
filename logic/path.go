package logic

import "github.com/sandframe/sandframe/bridge"

// The data path grammar and its bounds live in bridge, so that logic, the host and the
// render runtime agree on them.

// MaxPathIndex bounds an array index in a data path (bridge.MaxPathIndex).
const MaxPathIndex = bridge.MaxPathIndex

// PathSeg is one step of a WeChat data path: a key (a.b) or an array index (list[2]).
type PathSeg = bridge.PathSeg

// ParsePath parses a setData key such as "a.b.c", "list[2].done" or "grid[1][3]".
func ParsePath(p string) ([]PathSeg, error) { return bridge.ParsePath(p) }
