// The shell's own save dialog: the only way a mini-app's file reaches a place of the
// user's choosing (wx.saveImageToPhotosAlbum). Answered like the file chooser
// (sf_files_answer), so the test hooks answer it too.
#include "save.h"
#include <gtk/gtk.h>

extern void sfFilesDone(uintptr_t handle, char *files);

#define SF_RESPONSE_ANSWERED 1001

static void sf_save_response(GtkDialog *dialog, gint response, gpointer data) {
	uintptr_t handle = (uintptr_t)data;
	char *out = NULL;
	const char *answered = g_object_get_data(G_OBJECT(dialog), "sf-answer");
	if (response == SF_RESPONSE_ANSWERED && answered) {
		out = g_strdup(answered);
	} else if (response == GTK_RESPONSE_ACCEPT) {
		out = gtk_file_chooser_get_filename(GTK_FILE_CHOOSER(dialog));
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
	sfFilesDone(handle, out);
	g_free(out);
}

void *sf_save_open(void *window, const char *title, const char *name, uintptr_t handle) {
	GtkWidget *d = gtk_file_chooser_dialog_new(title, window ? GTK_WINDOW(window) : NULL,
		GTK_FILE_CHOOSER_ACTION_SAVE, "_Cancel", GTK_RESPONSE_CANCEL, "_Save", GTK_RESPONSE_ACCEPT, NULL);
	gtk_window_set_modal(GTK_WINDOW(d), TRUE);
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(d), TRUE);
	gtk_file_chooser_set_local_only(GTK_FILE_CHOOSER(d), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(d), name);
	g_signal_connect(d, "response", G_CALLBACK(sf_save_response), (gpointer)handle);
	gtk_widget_show_all(d);
	gtk_window_present(GTK_WINDOW(d));
	return d;
}
