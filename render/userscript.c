// Document-start user scripts, added to a window's user content manager by the shell
// rather than by webview_go's Init, which never unreferences the script it makes: every
// window leaked its copy of the render runtime (about 0.7 MiB, docs/soak.md).
#include "userscript.h"
#include "webview.h"

// sf_user_script_new makes a script run in the top frame at document start. The caller
// owns the reference.
void *sf_user_script_new(const char *source) {
	return webkit_user_script_new(source, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
		WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START, NULL, NULL);
}

// sf_user_script_add adds script to the window's web view; the manager takes its own
// reference. It returns 0 when the window holds no web view.
int sf_user_script_add(void *window, void *script) {
	WebKitWebView *view = sf_web_view(window);
	if (!view) return 0;
	WebKitUserContentManager *m = webkit_web_view_get_user_content_manager(view);
	webkit_user_content_manager_add_script(m, script);
	return 1;
}

void sf_user_script_unref(void *script) { webkit_user_script_unref(script); }
