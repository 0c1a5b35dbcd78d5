#include "webcontext.h"
#include "webview.h"

// sf_web_context_tune sets what every window's web context shares (the default
// context: every view uses it). Call on the UI thread before the first view.
void sf_web_context_tune(int document_viewer) {
	WebKitWebContext *ctx = webkit_web_context_get_default();
	webkit_web_context_set_cache_model(ctx, document_viewer ? WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER : WEBKIT_CACHE_MODEL_WEB_BROWSER);
}

// sf_view_acceleration sets the hardware acceleration policy of the window's web view
// (WebKitHardwareAccelerationPolicy); call it before the view loads anything.
void sf_view_acceleration(void *window, int policy) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return;
	WebKitSettings *s = webkit_web_view_get_settings(view);
	webkit_settings_set_hardware_acceleration_policy(s, (WebKitHardwareAccelerationPolicy)policy);
}

// sf_view_acceleration_get is the window's view's policy, or -1 (tests).
int sf_view_acceleration_get(void *window) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return -1;
	return (int)webkit_settings_get_hardware_acceleration_policy(webkit_web_view_get_settings(view));
}
