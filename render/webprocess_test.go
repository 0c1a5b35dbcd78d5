package render

import (
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/bridge"
)

func TestNewWebProcess(t *testing.T) {
	set := func(pids ...int) map[int]bool {
		m := map[int]bool{}
		for _, p := range pids {
			m[p] = true
		}
		return m
	}
	for _, tc := range []struct {
		name          string
		before, after map[int]bool
		want          int
	}{
		{"one new", set(1, 2), set(1, 2, 3), 3},
		{"one new while another ended", set(1, 2), set(2, 4), 4},
		{"none new (a process was reused)", set(1, 2), set(1, 2), 0},
		{"two new: which is unknown", set(1), set(1, 5, 6), 0},
		{"no /proc", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := newWebProcess(tc.before, tc.after); got != tc.want {
				t.Errorf("= %d, want %d", got, tc.want)
			}
		})
	}
}

// Each window knows the web process that renders it: a live WebKitWebProcess child of
// this process, its own, gone once the window is closed.
func TestEachWindowKnowsItsWebProcess(t *testing.T) {
	needWindow(t)
	a, b := openLoaded(t), openLoaded(t)
	defer a.Close()
	pa, pb := a.WebProcess(), b.WebProcess()
	if pa == 0 || pb == 0 || pa == pb {
		t.Fatalf("web processes %d and %d: want two distinct", pa, pb)
	}
	live := webProcesses()
	if !live[pa] || !live[pb] {
		t.Fatalf("%d, %d not among this process's web processes %v", pa, pb, live)
	}
	// A window made before the loop runs (shell run, kiosk) knows its process too.
	if p := testWin.WebProcess(); p == 0 || !live[p] || p == pa || p == pb {
		t.Errorf("the first window's web process is %d", p)
	}
	b.Close()
	deadline := time.Now().Add(20 * time.Second)
	for webProcesses()[pb] {
		if time.Now().After(deadline) {
			t.Fatalf("the closed window's web process %d lives on", pb)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pa)); err != nil {
		t.Errorf("the open window's web process is gone: %v", err)
	}
}

// The render runtime keeps the data path bounds of bridge (path.js cannot import them).
func TestRuntimePathBoundsMatchBridge(t *testing.T) {
	src, err := fs.ReadFile(assets.Files(), "path.js")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{
		"MAX_PATH_INDEX": bridge.MaxPathIndex, "MAX_PATH_DEPTH": bridge.MaxPathDepth, "MAX_INDEX_GAP": bridge.MaxIndexGap,
	} {
		m := regexp.MustCompile(`var ` + name + ` = (\d+);`).FindSubmatch(src)
		if m == nil {
			t.Errorf("path.js declares no %s", name)
			continue
		}
		if got, _ := strconv.Atoi(string(m[1])); got != want {
			t.Errorf("path.js %s = %d, bridge says %d", name, got, want)
		}
	}
}

// BenchmarkWebProcesses: the /proc scan NewWindow runs twice to find its web process.
func BenchmarkWebProcesses(b *testing.B) {
	for b.Loop() {
		webProcesses()
	}
}
