#include <stdint.h>
#include <stddef.h>

void sf_images_register(const char *scheme);
void sf_images_attach(void *window, uintptr_t source);
void sf_images_finish(uintptr_t request, const void *data, size_t n, const char *content_type);
void sf_images_fail(uintptr_t request, const char *message);
