// Window snapshots through WebKit itself: WebKit renders the page into an image, so the
// result is right whether or not it composites with the GPU (an X-level grab of an
// accelerated WebView under Xvfb shows an empty window).
#include "gtk.h"
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

extern void sfPromptDone(uintptr_t handle, int response);

static void sf_prompt_response(GtkDialog *dialog, gint response, gpointer data) {
	uintptr_t handle = (uintptr_t)data;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	sfPromptDone(handle, response < 0 ? -1 : response);
}

// sf_prompt_open shows a modal question owned by the shell, over the app's window. The
// texts are plain (no markup): app names and reasons come from the mini-app.
void *sf_prompt_open(void *window, const char *title, const char *heading, const char *body,
		const char **buttons, int n, uintptr_t handle) {
	GtkWidget *d = gtk_message_dialog_new(window ? GTK_WINDOW(window) : NULL,
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", heading);
	gtk_window_set_title(GTK_WINDOW(d), title);
	gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(d), "%s", body);
	for (int i = 0; i < n; i++) gtk_dialog_add_button(GTK_DIALOG(d), buttons[i], i);
	gtk_dialog_set_default_response(GTK_DIALOG(d), 0);
	gtk_window_set_keep_above(GTK_WINDOW(d), TRUE);
	g_signal_connect(d, "response", G_CALLBACK(sf_prompt_response), (gpointer)handle);
	gtk_widget_show_all(d);
	gtk_window_present(GTK_WINDOW(d));
	return d;
}

void sf_prompt_respond(void *dialog, int response) {
	gtk_dialog_response(GTK_DIALOG(dialog), response);
}

void sf_clipboard_set(const char *text) {
	GtkClipboard *cb = gtk_clipboard_get(GDK_SELECTION_CLIPBOARD);
	gtk_clipboard_set_text(cb, text, -1);
	gtk_clipboard_store(cb);
}

// sf_clipboard_get returns the clipboard's text (g_free it), or NULL when it holds none.
char *sf_clipboard_get(void) {
	return gtk_clipboard_wait_for_text(gtk_clipboard_get(GDK_SELECTION_CLIPBOARD));
}

extern void sfFilesDone(uintptr_t handle, char *files);

#define SF_RESPONSE_ANSWERED 1001

static void sf_files_response(GtkDialog *dialog, gint response, gpointer data) {
	uintptr_t handle = (uintptr_t)data;
	GString *out = NULL;
	const char *answered = g_object_get_data(G_OBJECT(dialog), "sf-answer");
	if (response == SF_RESPONSE_ANSWERED && answered) {
		out = g_string_new(answered);
	} else if (response == GTK_RESPONSE_ACCEPT) {
		out = g_string_new(NULL);
		GSList *names = gtk_file_chooser_get_filenames(GTK_FILE_CHOOSER(dialog));
		for (GSList *l = names; l; l = l->next) {
			if (out->len) g_string_append_c(out, '\n');
			g_string_append(out, l->data);
		}
		g_slist_free_full(names, g_free);
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
	sfFilesDone(handle, out ? out->str : NULL);
	if (out) g_string_free(out, TRUE);
}

// sf_files_open shows the shell's own file chooser: the only way a mini-app sees a
// user's file is the user picking it here.
void *sf_files_open(void *window, const char *title, int multiple, uintptr_t handle) {
	GtkWidget *d = gtk_file_chooser_dialog_new(title, window ? GTK_WINDOW(window) : NULL,
		GTK_FILE_CHOOSER_ACTION_OPEN, "_Cancel", GTK_RESPONSE_CANCEL, "_Open", GTK_RESPONSE_ACCEPT, NULL);
	gtk_window_set_modal(GTK_WINDOW(d), TRUE);
	gtk_file_chooser_set_select_multiple(GTK_FILE_CHOOSER(d), multiple);
	gtk_file_chooser_set_local_only(GTK_FILE_CHOOSER(d), TRUE);
	g_signal_connect(d, "response", G_CALLBACK(sf_files_response), (gpointer)handle);
	gtk_widget_show_all(d);
	gtk_window_present(GTK_WINDOW(d));
	return d;
}

// sf_files_answer picks path (or cancels, when path is NULL), for tests: the chooser
// loads folders asynchronously, so the answer rides on the dialog instead of its
// selection.
void sf_files_answer(void *dialog, const char *path) {
	if (!path) {
		gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
		return;
	}
	g_object_set_data_full(G_OBJECT(dialog), "sf-answer", g_strdup(path), g_free);
	// Not GTK_RESPONSE_ACCEPT: the chooser swallows an accept while nothing is selected.
	gtk_dialog_response(GTK_DIALOG(dialog), SF_RESPONSE_ANSWERED);
}

extern void sfSettingsDone(uintptr_t handle, int *on, int n);

static void sf_settings_response(GtkDialog *dialog, gint response, gpointer data) {
	uintptr_t handle = (uintptr_t)data;
	GPtrArray *checks = g_object_get_data(G_OBJECT(dialog), "sf-checks");
	int n = checks ? (int)checks->len : 0;
	int *on = NULL;
	if (response == GTK_RESPONSE_OK && n > 0) {
		on = g_new0(int, n);
		for (int i = 0; i < n; i++)
			on[i] = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(g_ptr_array_index(checks, i)));
	}
	int ok = response == GTK_RESPONSE_OK;
	gtk_widget_destroy(GTK_WIDGET(dialog));
	sfSettingsDone(handle, on, ok ? n : -1);
	g_free(on);
}

// sf_settings_open shows the shell's settings for one app: a switch per capability.
void *sf_settings_open(void *window, const char *title, const char *heading, const char *body,
		const char **labels, const int *on, int n, uintptr_t handle) {
	GtkWidget *d = gtk_dialog_new_with_buttons(title, window ? GTK_WINDOW(window) : NULL,
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, "_Cancel", GTK_RESPONSE_CANCEL, "_Save", GTK_RESPONSE_OK, NULL);
	GtkWidget *box = gtk_dialog_get_content_area(GTK_DIALOG(d));
	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_box_set_spacing(GTK_BOX(box), 8);
	GtkWidget *h = gtk_label_new(heading);
	gtk_label_set_xalign(GTK_LABEL(h), 0);
	PangoAttrList *bold = pango_attr_list_new();
	pango_attr_list_insert(bold, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	gtk_label_set_attributes(GTK_LABEL(h), bold);
	pango_attr_list_unref(bold);
	gtk_box_pack_start(GTK_BOX(box), h, FALSE, FALSE, 0);
	GtkWidget *b = gtk_label_new(body);
	gtk_label_set_xalign(GTK_LABEL(b), 0);
	gtk_box_pack_start(GTK_BOX(box), b, FALSE, FALSE, 0);
	GPtrArray *checks = g_ptr_array_new();
	for (int i = 0; i < n; i++) {
		GtkWidget *c = gtk_check_button_new_with_label(labels[i]);
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(c), on[i]);
		gtk_box_pack_start(GTK_BOX(box), c, FALSE, FALSE, 0);
		g_ptr_array_add(checks, c);
	}
	if (n == 0) {
		GtkWidget *none = gtk_label_new("This app declares no capabilities.");
		gtk_box_pack_start(GTK_BOX(box), none, FALSE, FALSE, 0);
	}
	g_object_set_data_full(G_OBJECT(d), "sf-checks", checks, (GDestroyNotify)g_ptr_array_unref);
	g_signal_connect(d, "response", G_CALLBACK(sf_settings_response), (gpointer)handle);
	gtk_widget_show_all(d);
	gtk_window_present(GTK_WINDOW(d));
	return d;
}

// sf_settings_answer sets the switches and saves, as a person would (tests).
void sf_settings_answer(void *dialog, const int *on, int n) {
	if (!on) {
		gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
		return;
	}
	GPtrArray *checks = g_object_get_data(G_OBJECT(dialog), "sf-checks");
	for (int i = 0; checks && i < n && i < (int)checks->len; i++)
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(g_ptr_array_index(checks, i)), on[i]);
	gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_OK);
}

void sf_window_hide(void *window) {
	gtk_widget_hide(GTK_WIDGET(window));
}

// sf_display_ok initialises GTK if it can: without a display webview_create would
// return NULL and the next call would crash.
int sf_display_ok(void) {
	return gtk_init_check(NULL, NULL);
}
