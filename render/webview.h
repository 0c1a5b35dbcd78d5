#ifndef SF_WEBVIEW_H
#define SF_WEBVIEW_H
#include <webkit2/webkit2.h>

// sf_web_view is the web view of a webview_go window (the GtkWindow's one child), or
// NULL when it holds none.
static inline WebKitWebView *sf_web_view(void *window) {
	GtkWidget *child = gtk_bin_get_child(GTK_BIN(window));
	return child && WEBKIT_IS_WEB_VIEW(child) ? WEBKIT_WEB_VIEW(child) : NULL;
}
#endif
