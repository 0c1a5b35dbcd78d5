#include <gtk/gtk.h>
#include <stdint.h>

extern void sfIconified(uintptr_t handle, int iconified);

static gboolean sf_state_event(GtkWidget *w, GdkEventWindowState *e, gpointer data) {
	if (e->changed_mask & GDK_WINDOW_STATE_ICONIFIED) {
		sfIconified((uintptr_t)data, (e->new_window_state & GDK_WINDOW_STATE_ICONIFIED) != 0);
	}
	return FALSE;
}

// sf_on_iconify tells Go when the window is minimised or restored.
void sf_on_iconify(void *window, uintptr_t handle) {
	g_signal_connect(window, "window-state-event", G_CALLBACK(sf_state_event), (gpointer)handle);
}

// A window made and hidden at once (the pre-warmed one, pool.go) was mapped and
// unmapped as it was made; on a bare X server (no window manager) GDK reads an
// UnmapNotify that reaches it after the window was shown again as the window manager
// minimising it, and the app would hear onHide, onShow at launch. The X server sends
// events in order: the hiding's unmap, then the showing's map. So such a window starts
// telling Go at the first map after that unmap (gtk.c's sf_watch_unmap notes it).
static gboolean sf_shown_map(GtkWidget *w, GdkEvent *e, gpointer data) {
	g_signal_handlers_disconnect_by_func(w, G_CALLBACK(sf_shown_map), data);
	sf_on_iconify(w, (uintptr_t)data);
	return FALSE;
}

static gboolean sf_hidden_unmap(GtkWidget *w, GdkEvent *e, gpointer data) {
	g_signal_handlers_disconnect_by_func(w, G_CALLBACK(sf_hidden_unmap), data);
	g_signal_connect(w, "map-event", G_CALLBACK(sf_shown_map), data);
	return FALSE;
}

// sf_on_iconify_once_shown is sf_on_iconify for a window made hidden; call it before
// the window is shown.
void sf_on_iconify_once_shown(void *window, uintptr_t handle) {
	if (g_object_get_data(G_OBJECT(window), "sf-unmapped"))
		g_signal_connect(window, "map-event", G_CALLBACK(sf_shown_map), (gpointer)handle);
	else
		g_signal_connect(window, "unmap-event", G_CALLBACK(sf_hidden_unmap), (gpointer)handle);
}

// sf_iconify_event delivers the state change a window manager reports when it minimises
// or restores the window (tests: a bare X server has no window manager to do it).
void sf_iconify_event(void *window, int iconified) {
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(window));
	if (!gw) return;
	GdkEvent *e = gdk_event_new(GDK_WINDOW_STATE);
	e->window_state.window = g_object_ref(gw);
	e->window_state.send_event = TRUE;
	e->window_state.changed_mask = GDK_WINDOW_STATE_ICONIFIED;
	e->window_state.new_window_state = iconified ? GDK_WINDOW_STATE_ICONIFIED : 0;
	gtk_main_do_event(e);
	gdk_event_free(e);
}
