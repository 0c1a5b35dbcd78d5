// The image scheme: the page has no network, so its remote images are asked of the
// shell through a URI scheme of its own. Which app asks is read from the web view that
// made the request (the source attached to it), never from the URL alone.
#include "images.h"
#include "webview.h"

extern void sfImageRequest(uintptr_t source, uintptr_t request, char *uri);

#define SF_IMAGES_KEY "sf-images"

static void sf_images_request(WebKitURISchemeRequest *req, gpointer data) {
	WebKitWebView *wv = webkit_uri_scheme_request_get_web_view(req);
	uintptr_t source = wv ? (uintptr_t)g_object_get_data(G_OBJECT(wv), SF_IMAGES_KEY) : 0;
	g_object_ref(req); // held until sf_images_finish or sf_images_fail
	sfImageRequest(source, (uintptr_t)req, (char *)webkit_uri_scheme_request_get_uri(req));
}

// sf_images_register registers the scheme on the default web context, which every
// window's web view uses. Call once, on the UI thread.
void sf_images_register(const char *scheme) {
	webkit_web_context_register_uri_scheme(webkit_web_context_get_default(), scheme, sf_images_request, NULL, NULL);
}

// sf_images_attach ties a window's web view to a Go image source (0: none).
void sf_images_attach(void *window, uintptr_t source) {
	WebKitWebView *view = sf_web_view(window);
	if (view) g_object_set_data(G_OBJECT(view), SF_IMAGES_KEY, (gpointer)source);
}

void sf_images_finish(uintptr_t request, const void *data, size_t n, const char *content_type) {
	WebKitURISchemeRequest *req = (WebKitURISchemeRequest *)request;
	GInputStream *stream = g_memory_input_stream_new_from_data(g_memdup2(data, n), n, g_free);
	webkit_uri_scheme_request_finish(req, stream, n, content_type);
	g_object_unref(stream);
	g_object_unref(req);
}

void sf_images_fail(uintptr_t request, const char *message) {
	WebKitURISchemeRequest *req = (WebKitURISchemeRequest *)request;
	GError *err = g_error_new_literal(g_quark_from_static_string("sandframe-images"), 1, message);
	webkit_uri_scheme_request_finish_error(req, err);
	g_error_free(err);
	g_object_unref(req);
}
