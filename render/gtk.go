package render

/*
#cgo pkg-config: gtk+-3.0
#include <stdlib.h>
#include <gtk/gtk.h>

// sf_snapshot saves what the X server shows of the window as a PNG.
static int sf_snapshot(void *win, const char *path, char **msg) {
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(win));
	if (!gw) return -1;
	int w = gdk_window_get_width(gw), h = gdk_window_get_height(gw);
	GdkPixbuf *pb = gdk_pixbuf_get_from_window(gw, 0, 0, w, h);
	if (!pb) return -2;
	GError *err = NULL;
	gboolean ok = gdk_pixbuf_save(pb, path, "png", &err, NULL);
	g_object_unref(pb);
	if (!ok) {
		if (err) { *msg = g_strdup(err->message); g_error_free(err); }
		return -3;
	}
	return 0;
}

static void sf_geometry(void *win, int *x, int *y, int *w, int *h) {
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(win));
	*x = *y = *w = *h = 0;
	if (!gw) return;
	gdk_window_get_origin(gw, x, y);
	*w = gdk_window_get_width(gw);
	*h = gdk_window_get_height(gw);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func snapshot(win unsafe.Pointer, path string) error {
	p := C.CString(path)
	defer C.free(unsafe.Pointer(p))
	var msg *C.char
	switch rc := C.sf_snapshot(win, p, &msg); rc {
	case 0:
		return nil
	case -1:
		return fmt.Errorf("render: screenshot: the window is not shown")
	case -2:
		return fmt.Errorf("render: screenshot: could not read the window's pixels")
	default:
		text := "unknown error"
		if msg != nil {
			text = C.GoString(msg)
			C.g_free(C.gpointer(msg))
		}
		return fmt.Errorf("render: screenshot %s: %s", path, text)
	}
}

func geometry(win unsafe.Pointer) (x, y, w, h int) {
	var cx, cy, cw, ch C.int
	C.sf_geometry(win, &cx, &cy, &cw, &ch)
	return int(cx), int(cy), int(cw), int(ch)
}
