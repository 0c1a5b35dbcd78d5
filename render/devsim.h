#include <stdint.h>

void sf_sim_toolbar(void *window, const char **presets, int n, int current, uintptr_t handle);
void sf_sim_frame(void *window, int width, int height, double zoom);
void sf_sim_set_dark(void *window, int dark);
void sf_sim_show_preset(void *window, int i);
