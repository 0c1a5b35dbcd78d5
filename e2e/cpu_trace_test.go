package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// cpuTimes is each process's CPU time (user + system, in clock ticks) by "pid comm".
func cpuTimes() map[string]int64 {
	out := map[string]int64{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		fields := strings.Fields(s[close+2:])
		if len(fields) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(fields[11], 10, 64)
		st, _ := strconv.ParseInt(fields[12], 10, 64)
		out[s[:open-1]+" "+s[open+1:close]] = u + st
	}
	return out
}

// cpuDelta words what each process spent between two cpuTimes, largest first.
func cpuDelta(before, after map[string]int64) string {
	type row struct {
		name string
		d    int64
	}
	var rows []row
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			rows = append(rows, row{k, d})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].d > rows[j].d })
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s=%dms ", r.name, r.d*10)
	}
	return b.String()
}
