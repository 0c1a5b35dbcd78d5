package render

/*
#include "webcontext.h"
*/
import "C"

import "sync"

// The web context every window shares (WebKit's default context), tuned once before
// the first window (docs/performance.md, "Memory").
//
// Cache model: DOCUMENT_VIEWER. A mini-app page is one document set once (SetHtml),
// never navigated, with no network (images come through the shell's scheme): WebKit's
// memory cache and back/forward page cache, which the default WEB_BROWSER model sizes
// for browsing, hold nothing it reuses. DOCUMENT_VIEWER turns them off.
//
// Process model: one web process per view (WebKit's only model since 2.26, and the
// one this shell relies on: render/webprocess.go names each window's process). A
// process shared by every app's view (related views) would save the per-process cost,
// but one app's compromised renderer would then share an address space with every
// other app's page and the launcher's; the sandbox boundary is worth the memory.

// WebCacheModelBrowser, set before the first window, keeps WebKit's default cache model
// (benchmarks compare the two).
var WebCacheModelBrowser bool

var tuneOnce sync.Once

// tuneWebContext runs on the UI thread before the first view is made.
func tuneWebContext() {
	tuneOnce.Do(func() {
		doc := C.int(1)
		if WebCacheModelBrowser {
			doc = 0
		}
		C.sf_web_context_tune(doc)
	})
}
