#include "webcontext.h"
#include <webkit2/webkit2.h>

// sf_web_context_tune sets what every window's web context shares (the default
// context: every view uses it). Call on the UI thread before the first view.
void sf_web_context_tune(int document_viewer) {
	WebKitWebContext *ctx = webkit_web_context_get_default();
	webkit_web_context_set_cache_model(ctx, document_viewer ? WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER : WEBKIT_CACHE_MODEL_WEB_BROWSER);
}
