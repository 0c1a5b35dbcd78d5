#include <stdint.h>

int sf_snapshot_start(void *window, const char *path, uintptr_t handle);
void sf_geometry(void *window, int *x, int *y, int *w, int *h);
void *sf_prompt_open(void *window, const char *title, const char *heading, const char *body, const char **buttons, int n, uintptr_t handle);
void sf_prompt_respond(void *dialog, int response);
void sf_clipboard_set(const char *text);
char *sf_clipboard_get(void);
void *sf_files_open(void *window, const char *title, int multiple, const char *filter_name, const char **patterns, int npatterns, uintptr_t handle);
void sf_dispatch(uintptr_t handle);
void sf_on_close(void *window, uintptr_t handle);
void sf_window_present(void *window);
void sf_main_run(void);
void sf_main_quit(void);
void sf_close_button(void *window);
void sf_files_answer(void *dialog, const char *path);
void *sf_settings_open(void *window, const char *title, const char *heading, const char *body, const char **labels, const int *on, int n, uintptr_t handle);
void sf_settings_answer(void *dialog, const int *on, int n);
void sf_window_hide(void *window);
void sf_window_allocate(void *window, int width, int height);
void sf_watch_unmap(void *window);
int sf_display_ok(void);
int sf_gdk_gl(void *window);
void sf_kiosk(void *window, uintptr_t handle);
void *sf_pin_open(void *window, const char *title, const char *heading, uintptr_t handle);
void sf_pin_answer(void *dialog, const char *pin);
void sf_allow_close(void *window);
