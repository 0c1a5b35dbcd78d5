package devtools

import "sync"

// ring keeps the last n items, each with a sequence number, so that a panel can ask
// for what came after the last one it showed. Safe for concurrent use.
type ring[T any] struct {
	mu    sync.Mutex
	items []T
	start int    // index of the oldest item
	next  uint64 // sequence number of the next item (the first is 1)
	size  int
}

func newRing[T any](size int) *ring[T] {
	return &ring[T]{items: make([]T, 0, size), size: size, next: 1}
}

// add appends v, dropping the oldest item when full, and returns v's sequence number.
func (r *ring[T]) add(v T) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.items) < r.size {
		r.items = append(r.items, v)
	} else {
		r.items[r.start] = v
		r.start = (r.start + 1) % r.size
	}
	seq := r.next
	r.next++
	return seq
}

// since returns the items after sequence number after (0: all kept), oldest first,
// and the sequence number of the last one (after itself when there is none). dropped
// counts the items after `after` that the ring no longer holds.
func (r *ring[T]) since(after uint64) (out []T, last uint64, dropped uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := uint64(len(r.items))
	first := r.next - n // sequence number of the oldest kept
	if after+1 < first {
		dropped = first - after - 1
		after = first - 1
	}
	for seq := after + 1; seq < r.next; seq++ {
		out = append(out, r.items[(r.start+int(seq-first))%len(r.items)])
	}
	return out, r.next - 1, dropped
}

// clear forgets every item; sequence numbers go on.
func (r *ring[T]) clear() {
	r.mu.Lock()
	r.items, r.start = r.items[:0], 0
	r.mu.Unlock()
}
