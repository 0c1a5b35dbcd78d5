// Window snapshots through WebKit itself: WebKit renders the page into an image, so the
// result is right whether or not it composites with the GPU (an X-level grab of an
// accelerated WebView under Xvfb shows an empty window).
#include "snapshot.h"
#include <stdlib.h>
#include <string.h>
#include <webkit2/webkit2.h>

extern void sfSnapshotDone(uintptr_t handle, char *err);

typedef struct {
	uintptr_t handle;
	char *path;
} snap_req;

static void sf_snap_finish(GObject *src, GAsyncResult *res, gpointer data) {
	snap_req *req = data;
	GError *err = NULL;
	char *msg = NULL;
	cairo_surface_t *surface = webkit_web_view_get_snapshot_finish(WEBKIT_WEB_VIEW(src), res, &err);
	if (!surface) {
		msg = strdup(err ? err->message : "no snapshot");
	} else {
		cairo_status_t st = cairo_surface_write_to_png(surface, req->path);
		if (st != CAIRO_STATUS_SUCCESS) msg = strdup(cairo_status_to_string(st));
		cairo_surface_destroy(surface);
	}
	if (err) g_error_free(err);
	sfSnapshotDone(req->handle, msg);
	free(msg);
	free(req->path);
	free(req);
}

int sf_snapshot_start(void *window, const char *path, uintptr_t handle) {
	GtkWidget *child = gtk_bin_get_child(GTK_BIN(window));
	if (!child || !WEBKIT_IS_WEB_VIEW(child)) return -1;
	snap_req *req = malloc(sizeof *req);
	req->handle = handle;
	req->path = strdup(path);
	webkit_web_view_get_snapshot(WEBKIT_WEB_VIEW(child), WEBKIT_SNAPSHOT_REGION_VISIBLE,
		WEBKIT_SNAPSHOT_OPTIONS_NONE, NULL, sf_snap_finish, req);
	return 0;
}

void sf_geometry(void *window, int *x, int *y, int *w, int *h) {
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(window));
	*x = *y = *w = *h = 0;
	if (!gw) return;
	gdk_window_get_origin(gw, x, y);
	*w = gdk_window_get_width(gw);
	*h = gdk_window_get_height(gw);
}
