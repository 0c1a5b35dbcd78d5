package render

import "os"

// SANDFRAME_WEB_CACHE_MODEL=browser runs the window benchmarks with WebKit's default
// cache model, to compare with DOCUMENT_VIEWER (BenchmarkWindowMemory).
func init() {
	if os.Getenv("SANDFRAME_WEB_CACHE_MODEL") == "browser" {
		WebCacheModelBrowser = true
	}
}
