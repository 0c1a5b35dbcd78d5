#include <stdint.h>

void *sf_save_open(void *window, const char *title, const char *name, uintptr_t handle);
