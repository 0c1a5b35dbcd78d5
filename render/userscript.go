package render

/*
#include <stdlib.h>
#include "userscript.h"
*/
import "C"

import (
	"errors"
	"sync"
	"unsafe"
)

// userScripts holds one WebKit user script per distinct source, shared by every window
// that runs it: the shell has a handful (the post shim, the mini-app render runtime,
// the launcher's, the DevTools'), each hundreds of KiB, which WebKit would otherwise
// convert and keep once per window. A WebKitUserScript is immutable and may be added to
// many content managers.
var userScripts struct {
	mu     sync.Mutex
	byText map[string]unsafe.Pointer
}

// maxSharedScripts bounds the shared scripts: past it, a window's script is made for it
// alone and released with it (nothing grows with the number of distinct sources).
const maxSharedScripts = 16

// addUserScript adds source to the window's web view, to run in the top frame at
// document start. Call it on the UI thread, before the document loads.
func addUserScript(window unsafe.Pointer, source string) error {
	userScripts.mu.Lock()
	defer userScripts.mu.Unlock()
	script, shared := userScripts.byText[source]
	if !shared {
		cs := C.CString(source)
		script = C.sf_user_script_new(cs)
		C.free(unsafe.Pointer(cs))
		if len(userScripts.byText) < maxSharedScripts {
			if userScripts.byText == nil {
				userScripts.byText = map[string]unsafe.Pointer{}
			}
			userScripts.byText[source] = script
			shared = true
		}
	}
	ok := C.sf_user_script_add(window, script) != 0
	if !shared {
		C.sf_user_script_unref(script) // the content manager holds it now, or nobody does
	}
	if !ok {
		return errors.New("render: the window holds no web view")
	}
	return nil
}
