// The simulator's controls for `shell dev`: a GTK header bar on the app's window (device
// preset, light/dark, zoom), outside the web view, so nothing the page draws can cover or
// forge them; and the device frame, which fixes the web view's size and WebKit's zoom.
#include "devsim.h"
#include <webkit2/webkit2.h>

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
	GtkWidget *bar = gtk_header_bar_new();
	gtk_header_bar_set_show_close_button(GTK_HEADER_BAR(bar), TRUE);
	gtk_header_bar_set_title(GTK_HEADER_BAR(bar), gtk_window_get_title(GTK_WINDOW(window)));
	GtkWidget *box = gtk_combo_box_text_new();
	for (int i = 0; i < n; i++) gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(box), presets[i]);
	gtk_combo_box_set_active(GTK_COMBO_BOX(box), current);
	g_signal_connect(box, "changed", G_CALLBACK(sim_preset_changed), (gpointer)handle);
	gtk_header_bar_pack_start(GTK_HEADER_BAR(bar), box);
	GtkWidget *dark = gtk_toggle_button_new_with_label("Dark");
	g_object_set_data(G_OBJECT(window), "sf-sim-dark", dark);
	g_signal_connect(dark, "toggled", G_CALLBACK(sim_dark_toggled), (gpointer)handle);
	gtk_header_bar_pack_start(GTK_HEADER_BAR(bar), dark);
	gtk_header_bar_pack_end(GTK_HEADER_BAR(bar), sim_zoom_button("+", 1, handle));
	gtk_header_bar_pack_end(GTK_HEADER_BAR(bar), sim_zoom_button("100%", 0, handle));
	gtk_header_bar_pack_end(GTK_HEADER_BAR(bar), sim_zoom_button("\xe2\x88\x92", -1, handle));
	gtk_widget_show_all(bar);
	gtk_window_set_titlebar(GTK_WINDOW(window), bar);
}

// sf_sim_set_dark shows the theme on the toggle without firing it again.
void sf_sim_set_dark(void *window, int dark) {
	GtkWidget *b = g_object_get_data(G_OBJECT(window), "sf-sim-dark");
	if (!b) return;
	g_signal_handlers_block_matched(b, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_dark_toggled, NULL);
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(b), dark);
	g_signal_handlers_unblock_matched(b, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, sim_dark_toggled, NULL);
}

// sf_sim_frame makes the web view width x height CSS pixels at zoom: the widget is
// width*zoom x height*zoom device pixels and WebKit's zoom level scales the page into
// it, so window.innerWidth (and the rpx it sets) stays the preset's width.
void sf_sim_frame(void *window, int width, int height, double zoom) {
	GtkWidget *child = gtk_bin_get_child(GTK_BIN(window));
	if (!child || !WEBKIT_IS_WEB_VIEW(child)) return;
	webkit_web_view_set_zoom_level(WEBKIT_WEB_VIEW(child), zoom);
	gtk_widget_set_size_request(child, (int)(width * zoom + 0.5), (int)(height * zoom + 0.5));
	gtk_window_resize(GTK_WINDOW(window), 1, 1); // shrink to the new request
}
