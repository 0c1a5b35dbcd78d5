// Package lru is a small, concurrency-safe least-recently-used cache: the code caches
// (compiled JavaScript, compiled templates) are bounded by it.
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values, keeping at most its capacity.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	cap   int
	order *list.List // front: most recent
	items map[K]*list.Element
	hits  uint64
	miss  uint64
}

type entry[K comparable, V any] struct {
	key K
	val V
}

// New makes a cache of capacity n (at least 1).
func New[K comparable, V any](n int) *Cache[K, V] {
	return &Cache[K, V]{cap: max(n, 1), order: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value of key and whether it was there.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		c.hits++
		return e.Value.(*entry[K, V]).val, true
	}
	c.miss++
	var zero V
	return zero, false
}

// Put stores val under key, evicting the least recently used entry when full.
func (c *Cache[K, V]) Put(key K, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*entry[K, V]).val = val
		c.order.MoveToFront(e)
		return
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key, val})
	for c.order.Len() > c.cap {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*entry[K, V]).key)
	}
}

// Clear empties the cache.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	c.items = map[K]*list.Element{}
}

// Stats reports hits and misses since the cache was made.
func (c *Cache[K, V]) Stats() (hits, misses uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.miss
}

// Len is the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
