// The simulator's controls for `shell dev`: a small GTK window beside the app's (device
// preset, light/dark, zoom), outside the web view, so nothing the page draws can cover or
// forge them; and the device frame, which fixes the web view's size and WebKit's zoom.
#include "devsim.h"
#include "webview.h"

extern void sfSimControl(uintptr_t handle, int what, int value);

enum { SIM_PRESET = 1, SIM_DARK = 2, SIM_ZOOM = 3 };

static void sim_preset_changed(GtkComboBox *box, gpointer data) {
	sfSimControl((uintptr_t)data, SIM_PRESET, gtk_combo_box_get_active(box));
}

static void sim_dark_toggled(GtkToggleButton *b, gpointer data) {
	sfSimControl((uintptr_t)data, SIM_DARK, gtk_toggle_button_get_active(b));
}

static void sim_zoom_clicked(GtkButton *b, gpointer data) {
	int step = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(b), "sf-step"));
	sfSimControl((uintptr_t)data, SIM_ZOOM, step);
}

static GtkWidget *sim_zoom_button(const char *label, int step, uintptr_t handle) {
	GtkWidget *b = gtk_button_new_with_label(label);
	g_object_set_data(G_OBJECT(b), "sf-step", GINT_TO_POINTER(step));
	g_signal_connect(b, "clicked", G_CALLBACK(sim_zoom_clicked), (gpointer)handle);
	return b;
}

void sf_sim_toolbar(void *window, const char **presets, int n, int current, uintptr_t handle) {
	// A small window of its own, kept beside the simulator: webview_go's window is shown
	// (realized) before we get it, too late for a header bar, and the web view must stay
	// the window's only child (snapshots and the image scheme find it there).
	GtkWidget *ctl = gtk_window_new(GTK_WINDOW_TOPLEVEL);
	gtk_window_set_title(GTK_WINDOW(ctl), "Simulator");
	gtk_window_set_transient_for(GTK_WINDOW(ctl), GTK_WINDOW(window));
	gtk_window_set_destroy_with_parent(GTK_WINDOW(ctl), TRUE);
	gtk_window_set_deletable(GTK_WINDOW(ctl), FALSE);
	gtk_window_set_resizable(GTK_WINDOW(ctl), FALSE);
	gtk_window_set_type_hint(GTK_WINDOW(ctl), GDK_WINDOW_TYPE_HINT_UTILITY);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gtk_container_set_border_width(GTK_CONTAINER(row), 6);
	GtkWidget *box = gtk_combo_box_text_new();
	for (int i = 0; i < n; i++) gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(box), presets[i]);
	gtk_combo_box_set_active(GTK_COMBO_BOX(box), current);
	g_signal_connect(box, "changed", G_CALLBACK(sim_preset_changed), (gpointer)handle);
	g_object_set_data(G_OBJECT(window), "sf-sim-preset", box);
	gtk_box_pack_start(GTK_BOX(row), box, FALSE, FALSE, 0);
	GtkWidget *dark = gtk_toggle_button_new_with_label("Dark");
	g_object_set_data(G_OBJECT(window), "sf-sim-dark", dark);
	g_signal_connect(dark, "toggled", G_CALLBACK(sim_dark_toggled), (gpointer)handle);
	gtk_box_pack_start(GTK_BOX(row), dark, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), sim_zoom_button("\xe2\x88\x92", -1, handle), FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), sim_zoom_button("100%", 0, handle), FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(row), sim_zoom_button("+", 1, handle), FALSE, FALSE, 0);
	gtk_container_add(GTK_CONTAINER(ctl), row);
	gtk_widget_show_all(ctl);
	// Beside the simulator: right of it where the window manager lets us place it.
	int x = 0, y = 0, w = 0, h = 0;
	gtk_window_get_position(GTK_WINDOW(window), &x, &y);
	gtk_window_get_size(GTK_WINDOW(window), &w, &h);
	gtk_window_move(GTK_WINDOW(ctl), x + w + 8, y);
	g_object_set_data(G_OBJECT(window), "sf-sim-controls", ctl);
}

// sf_sim_set_dark shows the theme on the toggle without firing it again.
void sf_sim_set_dark(void *window, int dark) {
	GtkWidget *b = g_object_get_data(G_OBJECT(window), "sf-sim-dark");
	if (!b) return;
	g_signal_handlers_block_matched(b, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_dark_toggled, NULL);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(b), dark);
	g_signal_handlers_unblock_matched(b, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_dark_toggled, NULL);
	// WebKit answers prefers-color-scheme from GTK's preference (dev only: process-wide).
	g_object_set(gtk_settings_get_default(), "gtk-application-prefer-dark-theme", dark, NULL);
}

// sf_sim_show_preset selects preset i in the list without firing it.
void sf_sim_show_preset(void *window, int i) {
	GtkWidget *box = g_object_get_data(G_OBJECT(window), "sf-sim-preset");
	if (!box) return;
	g_signal_handlers_block_matched(box, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_preset_changed, NULL);
	gtk_combo_box_set_active(GTK_COMBO_BOX(box), i);
	g_signal_handlers_unblock_matched(box, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_preset_changed, NULL);
}

// sf_sim_frame makes the web view width x height CSS pixels at zoom: the widget is
// width*zoom x height*zoom device pixels and WebKit's zoom level scales the page into
// it, so window.innerWidth (and the rpx it sets) stays the preset's width.
void sf_sim_frame(void *window, int width, int height, double zoom) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return;
	webkit_web_view_set_zoom_level(view, zoom);
	gtk_widget_set_size_request(GTK_WIDGET(view), (int)(width * zoom + 0.5), (int)(height * zoom + 0.5));
	gtk_window_resize(GTK_WINDOW(window), 1, 1); // shrink to the new request
	GtkWidget *ctl = g_object_get_data(G_OBJECT(window), "sf-sim-controls");
	if (ctl) {
		int x = 0, y = 0;
		gtk_window_get_position(GTK_WINDOW(window), &x, &y);
		gtk_window_move(GTK_WINDOW(ctl), x + (int)(width * zoom + 0.5) + 8, y);
	}
}
