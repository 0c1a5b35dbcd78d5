#include <stdint.h>

void *sf_post_attach(void *window, const char *name, uintptr_t handle, unsigned long *signal);
void sf_post_detach(void *manager, const char *name, unsigned long signal);
