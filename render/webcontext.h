#include <webkit2/webkit2.h>
void sf_web_context_tune(int document_viewer);
void sf_view_acceleration(void *window, int policy);
int sf_view_acceleration_get(void *window);
