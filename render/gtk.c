// Window snapshots through WebKit itself: WebKit renders the page into an image, so the
// result is right whether or not it composites with the GPU (an X-level grab of an
// accelerated WebView under Xvfb shows an empty window).
#include <signal.h>
#include <pthread.h>
#include "gtk.h"
#include <stdlib.h>
#include <string.h>
#include "webview.h"

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
	WebKitWebView *view = sf_web_view(window);
	if (!view) return -1;
	snap_req *req = malloc(sizeof *req);
	req->handle = handle;
	req->path = strdup(path);
	webkit_web_view_get_snapshot(view, WEBKIT_SNAPSHOT_REGION_VISIBLE,
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
void *sf_files_open(void *window, const char *title, int multiple, const char *filter_name, const char **patterns, int npatterns, uintptr_t handle) {
	GtkWidget *d = gtk_file_chooser_dialog_new(title, window ? GTK_WINDOW(window) : NULL,
		GTK_FILE_CHOOSER_ACTION_OPEN, "_Cancel", GTK_RESPONSE_CANCEL, "_Open", GTK_RESPONSE_ACCEPT, NULL);
	gtk_window_set_modal(GTK_WINDOW(d), TRUE);
	if (npatterns > 0) {
		GtkFileFilter *f = gtk_file_filter_new();
		gtk_file_filter_set_name(f, filter_name);
		for (int i = 0; i < npatterns; i++) gtk_file_filter_add_pattern(f, patterns[i]);
		gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(d), f);
	}
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

// sf_watch_unmap notes when the unmap of a window made and hidden at once has reached
// GDK (iconify.c, sf_on_iconify_once_shown).
static gboolean sf_unmapped_cb(GtkWidget *w, GdkEvent *e, gpointer data) {
	g_object_set_data(G_OBJECT(w), "sf-unmapped", GINT_TO_POINTER(1));
	return FALSE;
}

void sf_watch_unmap(void *window) {
	g_signal_connect(window, "unmap-event", G_CALLBACK(sf_unmapped_cb), NULL);
}

// sf_window_allocate lays a hidden window out at width x height: a window hidden as it
// is made (the pre-warmed one) is never allocated, and its view, at WebKit's default
// size, would give its page a wrong viewport until it is shown.
void sf_window_allocate(void *window, int width, int height) {
	GtkWidget *w = GTK_WIDGET(window);
	GtkRequisition min;
	gtk_widget_realize(w);
	gtk_widget_get_preferred_size(w, &min, NULL);
	GtkAllocation a = {0, 0, width > min.width ? width : min.width, height > min.height ? height : min.height};
	gtk_widget_size_allocate(w, &a);
}

// sf_keep_terminal_interrupt_from_webkit blocks SIGINT on the UI thread, the thread that
// starts WebKit's web and network processes: they inherit the mask, so a Ctrl+C in the
// terminal, which the terminal sends to the whole process group, stops only the shell
// (Go handles it on another thread and closes the windows), not WebKit's processes
// under a live view. When those died with the shell's own, WebKit relaunched them while
// the shell shut down and, now and then, aborted the whole shell ("readPIDFromPeer:
// Unexpected short read"). WebKit's processes end with the shell's connection to them.
static void sf_keep_terminal_interrupt_from_webkit(void) {
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

// sf_display_ok initialises GTK if it can: without a display webview_create would
// return NULL and the next call would crash.
// Every window's WM_CLASS is "sandframe", "Sandframe" whatever the binary is called, so
// a dock matches the windows to the desktop entry (StartupWMClass).
// GTK reads its environment here, once (displayOK sets what it should read).
int sf_display_ok(void) {
	sf_keep_terminal_interrupt_from_webkit();
	if (!g_get_prgname()) g_set_prgname("sandframe");
	return gtk_init_check(NULL, NULL);
}

// sf_gdk_gl reports whether GDK can make a GL context for the window (-1: no GdkWindow).
int sf_gdk_gl(void *window) {
	gtk_widget_realize(GTK_WIDGET(window));
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(window));
	if (!gw) return -1;
	GError *err = NULL;
	GdkGLContext *ctx = gdk_window_create_gl_context(gw, &err);
	if (!ctx) {
		g_clear_error(&err);
		return 0;
	}
	g_object_unref(ctx);
	return 1;
}

extern void sfKioskChord(uintptr_t handle);

// Kiosk keys: what would leave or close the app does nothing; the operator's chord
// (Ctrl+Alt+Shift+Q) is reported to Go, which asks for the PIN.
static gboolean sf_kiosk_key(GtkWidget *w, GdkEventKey *e, gpointer data) {
	guint mods = e->state & gtk_accelerator_get_default_mod_mask();
	guint key = gdk_keyval_to_lower(e->keyval);
	if (mods == (GDK_CONTROL_MASK | GDK_MOD1_MASK | GDK_SHIFT_MASK) && key == GDK_KEY_q) {
		sfKioskChord((uintptr_t)data);
		return TRUE;
	}
	if (key == GDK_KEY_Escape || key == GDK_KEY_F11 ||
		(mods == GDK_MOD1_MASK && (key == GDK_KEY_F4 || key == GDK_KEY_Left || key == GDK_KEY_Right)) ||
		(mods == GDK_CONTROL_MASK && (key == GDK_KEY_w || key == GDK_KEY_q || key == GDK_KEY_r || key == GDK_KEY_n || key == GDK_KEY_t)) ||
		(mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && (key == GDK_KEY_i || key == GDK_KEY_w || key == GDK_KEY_q)))
		return TRUE;
	return FALSE;
}

static gboolean sf_kiosk_delete(GtkWidget *w, GdkEvent *e, gpointer data) {
	// Closing the window does nothing, except when the shell itself closes it.
	return g_object_get_data(G_OBJECT(w), "sf-closing") == NULL;
}

// sf_allow_close lets the shell close a kiosk window (webview_destroy closes it with
// gtk_window_close, which the kiosk's delete-event handler would otherwise refuse).
void sf_allow_close(void *window) {
	if (window) g_object_set_data(G_OBJECT(window), "sf-closing", GINT_TO_POINTER(1));
}

// sf_kiosk makes the window cover the screen, without decorations, and catches the keys
// a passer-by would use to leave. Without a window manager (a bare X server) fullscreen
// is not honoured, so the window is also placed and sized to the monitor itself.
void sf_kiosk(void *window, uintptr_t handle) {
	GtkWindow *win = GTK_WINDOW(window);
	gtk_window_set_decorated(win, FALSE);
	gtk_window_set_resizable(win, TRUE);
	GdkDisplay *dpy = gdk_display_get_default();
	GdkMonitor *mon = dpy ? gdk_display_get_primary_monitor(dpy) : NULL;
	if (!mon && dpy) mon = gdk_display_get_monitor(dpy, 0);
	if (mon) {
		GdkRectangle r;
		gdk_monitor_get_geometry(mon, &r);
		gtk_window_move(win, r.x, r.y);
		gtk_window_resize(win, r.width, r.height);
	}
	gtk_window_fullscreen(win);
	gtk_window_set_keep_above(win, TRUE);
	g_signal_connect(window, "key-press-event", G_CALLBACK(sf_kiosk_key), (gpointer)handle);
	g_signal_connect(window, "delete-event", G_CALLBACK(sf_kiosk_delete), NULL);
	// The web view must not see the keys first: connect on it too.
	GtkWidget *child = gtk_bin_get_child(GTK_BIN(window));
	if (child) g_signal_connect(child, "key-press-event", G_CALLBACK(sf_kiosk_key), (gpointer)handle);
}

extern void sfPinDone(uintptr_t handle, char *pin);

static void sf_pin_response(GtkDialog *dialog, gint response, gpointer data) {
	uintptr_t handle = (uintptr_t)data;
	GtkEntry *entry = g_object_get_data(G_OBJECT(dialog), "sf-entry");
	char *pin = NULL;
	if (response == GTK_RESPONSE_OK && entry) pin = g_strdup(gtk_entry_get_text(entry));
	gtk_widget_destroy(GTK_WIDGET(dialog));
	sfPinDone(handle, pin);
	g_free(pin);
}

// sf_pin_open asks the operator for the kiosk PIN; the entry hides what is typed.
void *sf_pin_open(void *window, const char *title, const char *heading, uintptr_t handle) {
	GtkWidget *d = gtk_dialog_new_with_buttons(title, window ? GTK_WINDOW(window) : NULL,
		GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, "_Cancel", GTK_RESPONSE_CANCEL, "_OK", GTK_RESPONSE_OK, NULL);
	GtkWidget *box = gtk_dialog_get_content_area(GTK_DIALOG(d));
	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_box_pack_start(GTK_BOX(box), gtk_label_new(heading), FALSE, FALSE, 0);
	GtkWidget *entry = gtk_entry_new();
	gtk_entry_set_visibility(GTK_ENTRY(entry), FALSE);
	gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
	gtk_box_pack_start(GTK_BOX(box), entry, FALSE, FALSE, 6);
	gtk_dialog_set_default_response(GTK_DIALOG(d), GTK_RESPONSE_OK);
	g_object_set_data(G_OBJECT(d), "sf-entry", entry);
	gtk_window_set_keep_above(GTK_WINDOW(d), TRUE);
	g_signal_connect(d, "response", G_CALLBACK(sf_pin_response), (gpointer)handle);
	gtk_widget_show_all(d);
	gtk_window_present(GTK_WINDOW(d));
	return d;
}

// sf_pin_answer types pin and presses OK (or cancels for NULL), for tests.
void sf_pin_answer(void *dialog, const char *pin) {
	if (!pin) {
		gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL);
		return;
	}
	GtkEntry *entry = g_object_get_data(G_OBJECT(dialog), "sf-entry");
	if (entry) gtk_entry_set_text(entry, pin);
	gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_OK);
}

extern void sfDispatched(uintptr_t handle);

static gboolean sf_dispatch_cb(gpointer data) {
	sfDispatched((uintptr_t)data);
	return G_SOURCE_REMOVE;
}

// sf_dispatch runs a Go function on the UI thread; g_idle_add is safe from any thread
// and, unlike webview_dispatch, needs no particular window to still exist.
void sf_dispatch(uintptr_t handle) {
	g_idle_add_full(G_PRIORITY_HIGH_IDLE, sf_dispatch_cb, (gpointer)handle, NULL);
}

extern void sfCloseRequested(uintptr_t handle);

static gboolean sf_close_delete(GtkWidget *w, GdkEvent *e, gpointer data) {
	if (g_object_get_data(G_OBJECT(w), "sf-closing")) return FALSE; // the shell closes it
	sfCloseRequested((uintptr_t)data);
	return TRUE;
}

// sf_on_close hands the window's close button to Go: a mini-app window hides instead
// of closing, the launcher's quits the loop.
void sf_on_close(void *window, uintptr_t handle) {
	g_signal_connect(window, "delete-event", G_CALLBACK(sf_close_delete), (gpointer)handle);
}

void sf_window_present(void *window) {
	gtk_widget_show(GTK_WIDGET(window));
	gtk_window_present(GTK_WINDOW(window));
}

void sf_main_run(void) { gtk_main(); }
void sf_main_quit(void) { gtk_main_quit(); }

// sf_close_button delivers a delete event, as a window manager's close button does.
void sf_close_button(void *window) {
	GdkEvent *e = gdk_event_new(GDK_DELETE);
	GdkWindow *gw = gtk_widget_get_window(GTK_WIDGET(window));
	e->any.window = gw ? g_object_ref(gw) : NULL;
	e->any.send_event = TRUE;
	gtk_main_do_event(e);
	gdk_event_free(e);
}
