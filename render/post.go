package render

/*
#include <stdlib.h>
#include "post.h"
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

// postHandler is the script message handler the page posts through. The page reaches
// it only as window.__sf_post (postShim), as it reached the webview_go binding before.
const postHandler = "__sf_post"

// postShim runs at document start, before the render runtime: it defines
// window.__sf_post(text) on the handler, non-writable and non-configurable, so the
// runtime's transport (and the launcher's) post exactly as they did through the
// binding, and no page code can replace it.
const postShim = `(function () {
  var h = window.webkit && window.webkit.messageHandlers && window.webkit.messageHandlers.` + postHandler + `;
  if (!h) return;
  Object.defineProperty(window, "__sf_post", {
    configurable: false, writable: false, enumerable: false,
    value: function (text) { h.postMessage(text); }
  });
})();`

// pagePost is the Go end of the handler of one window.
type pagePost struct {
	handle  cgo.Handle
	manager unsafe.Pointer
	signal  C.ulong
}

// attachPost connects the window's handler to onMessage; call on the UI thread.
func attachPost(win unsafe.Pointer, onMessage func(string)) (*pagePost, error) {
	if onMessage == nil {
		onMessage = func(string) {}
	}
	p := &pagePost{handle: cgo.NewHandle(onMessage)}
	name := C.CString(postHandler)
	defer C.free(unsafe.Pointer(name))
	p.manager = C.sf_post_attach(win, name, C.uintptr_t(p.handle), &p.signal)
	if p.manager == nil {
		p.handle.Delete()
		return nil, errors.New("render: cannot register the page's message handler")
	}
	return p, nil
}

// detach stops the posts; call on the UI thread.
func (p *pagePost) detach() {
	if p == nil || p.manager == nil {
		return
	}
	name := C.CString(postHandler)
	defer C.free(unsafe.Pointer(name))
	C.sf_post_detach(p.manager, name, p.signal)
	p.manager = nil
	p.handle.Delete()
}

//export sfPagePosted
func sfPagePosted(handle C.uintptr_t, text *C.char, n C.int) {
	cgo.Handle(handle).Value().(func(string))(C.GoStringN(text, n))
}
