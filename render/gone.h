#include <stdint.h>

void sf_on_web_process_gone(void *window, uintptr_t handle);
int sf_reason_crashed(void);
int sf_reason_memory(void);
