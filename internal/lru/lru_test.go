package lru

import (
	"sync"
	"testing"
)

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatal("a missing")
	}
	c.Put("c", 3) // evicts b
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.Get(k); !ok || v != want {
			t.Fatalf("%s = %d, %v", k, v, ok)
		}
	}
	c.Put("c", 4)
	if v, _ := c.Get("c"); v != 4 || c.Len() != 2 {
		t.Fatalf("update: %d, len %d", v, c.Len())
	}
	if h, m := c.Stats(); h != 4 || m != 1 {
		t.Fatalf("stats %d/%d", h, m)
	}
	c.Clear()
	if c.Len() != 0 {
		t.Fatal("clear")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New[int, int](16)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.Put(i%32, g)
				c.Get(i % 32)
			}
		}(g)
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Fatalf("len %d over capacity", c.Len())
	}
}
