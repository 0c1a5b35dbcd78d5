// A window's web process ending under a live view (a crash, WebKit's memory limit, or
// a kill from outside): WebKit leaves the view blank and says so only by this signal.
#include "gone.h"
#include "webview.h"

extern void sfWebProcessGone(uintptr_t handle, int reason);

static void sf_web_process_terminated(WebKitWebView *v, WebKitWebProcessTerminationReason reason, gpointer data) {
	sfWebProcessGone((uintptr_t)data, (int)reason);
}

// sf_on_web_process_gone reports the window's web process ending to Go.
void sf_on_web_process_gone(void *window, uintptr_t handle) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return;
	g_signal_connect(view, "web-process-terminated", G_CALLBACK(sf_web_process_terminated), (gpointer)handle);
}

int sf_reason_crashed(void) { return WEBKIT_WEB_PROCESS_CRASHED; }
int sf_reason_memory(void) { return WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT; }
