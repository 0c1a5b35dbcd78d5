#include <stdint.h>

int sf_snapshot_start(void *window, const char *path, uintptr_t handle);
void sf_geometry(void *window, int *x, int *y, int *w, int *h);
