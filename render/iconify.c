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
