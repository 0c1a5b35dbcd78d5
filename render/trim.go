package render

/*
#include <malloc.h>
*/
import "C"

import (
	"sync"
	"time"
)

// trimDelay is how long after a window is destroyed the C heap is trimmed: WebKit and
// GTK free a view's memory in the idle callbacks that follow the destroy.
const trimDelay = 2 * time.Second

var trim struct {
	mu    sync.Mutex
	timer *time.Timer
}

// releaseFreedMemorySoon hands the C heap's free pages back to the system a moment
// after a window is destroyed. glibc keeps what WebKit frees in its arenas, so without
// it the shell's RSS after every app stopped stayed where it was with every app open
// (the soak: docs/soak.md). Windows closed together share one trim.
func releaseFreedMemorySoon() {
	trim.mu.Lock()
	defer trim.mu.Unlock()
	if trim.timer != nil {
		trim.timer.Reset(trimDelay)
		return
	}
	trim.timer = time.AfterFunc(trimDelay, func() {
		trim.mu.Lock()
		trim.timer = nil
		trim.mu.Unlock()
		C.malloc_trim(0) // thread-safe; walks the arenas without stopping the UI
	})
}

// cHeapInUse reports the bytes the C heap has handed out and not had back (glibc's
// mallinfo2: arena and mmapped chunks in use), after trimming. The churn benchmark
// reads it to tell memory a closed window still holds from pages glibc keeps.
func cHeapInUse() int64 {
	C.malloc_trim(0)
	mi := C.mallinfo2()
	return int64(mi.uordblks) + int64(mi.hblkhd)
}
