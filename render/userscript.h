void *sf_user_script_new(const char *source);
int sf_user_script_add(void *window, void *script);
void sf_user_script_unref(void *script);
