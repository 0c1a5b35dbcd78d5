// The page → Go channel: a WebKit script message handler. A post is fire-and-forget:
// unlike a webview_go binding there is no promise to resolve, so no second Eval per
// message (docs/performance.md).
#include "post.h"
#include "webview.h"

extern void sfPagePosted(uintptr_t handle, char *text, int n);

static void sf_post_received(WebKitUserContentManager *m, WebKitJavascriptResult *r, gpointer data) {
	JSCValue *v = webkit_javascript_result_get_js_value(r);
	// Only text crosses, as with the binding it replaces (whose Go side took a string).
	if (!jsc_value_is_string(v)) return;
	GBytes *b = jsc_value_to_string_as_bytes(v);
	gsize n = 0;
	const char *p = g_bytes_get_data(b, &n);
	if (n <= G_MAXINT) sfPagePosted((uintptr_t)data, (char *)(p ? p : ""), (int)n);
	g_bytes_unref(b);
}

// sf_post_attach registers the handler NAME on the window's web view and connects it
// to handle. It returns the user content manager (a reference the caller gives back to
// sf_post_detach), or NULL when the window holds no web view or NAME is taken.
void *sf_post_attach(void *window, const char *name, uintptr_t handle, unsigned long *signal) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return NULL;
	WebKitUserContentManager *m = webkit_web_view_get_user_content_manager(view);
	char *detailed = g_strconcat("script-message-received::", name, NULL);
	// Connect before registering (WebKit's advice): no message can arrive unheard.
	gulong id = g_signal_connect(m, detailed, G_CALLBACK(sf_post_received), (gpointer)handle);
	g_free(detailed);
	if (!webkit_user_content_manager_register_script_message_handler(m, name)) {
		g_signal_handler_disconnect(m, id);
		return NULL;
	}
	*signal = id;
	return g_object_ref(m);
}

// sf_post_detach stops the handler: after it returns no post reaches Go.
void sf_post_detach(void *manager, const char *name, unsigned long signal) {
	WebKitUserContentManager *m = manager;
	g_signal_handler_disconnect(m, signal);
	webkit_user_content_manager_unregister_script_message_handler(m, name);
	g_object_unref(m);
}
