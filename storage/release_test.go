package storage

import (
	"os"
	"strings"
	"testing"
)

// openFiles counts this process's descriptors whose target contains sub.
func openFiles(t *testing.T, sub string) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	n := 0
	for _, e := range ents {
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.Contains(target, sub) {
			n++
		}
	}
	return n
}

// A stopped app's database holds no descriptor; its handle works on as before.
func TestReleaseClosesUntilNextUse(t *testing.T) {
	d := newDirs(t)
	s := openStore(t, d, nil)
	a := appStore(t, s, "dev.example.release")
	mustSet(t, a, "k", `"v1"`)
	if openFiles(t, "dev.example.release") == 0 {
		t.Fatal("the database is not open after a write")
	}
	s.Release("dev.example.release")
	s.Release("dev.example.never-opened")
	if n := openFiles(t, "dev.example.release"); n != 0 {
		t.Fatalf("%d descriptors still open after Release", n)
	}
	if v, err := a.Get("k"); err != nil || string(v) != `"v1"` {
		t.Fatalf("after Release: %s, %v", v, err)
	}
	mustSet(t, a, "k", `"v2"`)
	if v, err := a.Get("k"); err != nil || string(v) != `"v2"` {
		t.Fatalf("write after Release: %s, %v", v, err)
	}
}
