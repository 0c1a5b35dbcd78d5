package render

/*
#include <stdlib.h>
#include "images.h"
*/
import "C"

import (
	"context"
	"errors"
	"net/url"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// ImageScheme is the URI scheme through which a page shows remote images: the page has
// no network (its CSP allows images from data: and this scheme only), so
// <image src="https://..."> and WXSS url(https://...) become RemoteImageURL(app, url)
// and the shell fetches them. docs/render-runtime.md.
const ImageScheme = "sfimg"

// RemoteImageURL is the scheme URL for remote (an https URL) shown by app's page. The
// render runtime builds the same form (assets/runtime/paths.js remoteImage).
func RemoteImageURL(app, remote string) string {
	return ImageScheme + "://image/?app=" + url.QueryEscape(app) + "&u=" + url.QueryEscape(remote)
}

// ParseImageURL splits a scheme URL into the app it names and the remote URL.
func ParseImageURL(raw string) (app, remote string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != ImageScheme || u.Host != "image" {
		return "", "", errors.New("not an image url")
	}
	q := u.Query()
	app, remote = q.Get("app"), q.Get("u")
	if app == "" || remote == "" {
		return "", "", errors.New("image url without an app or a url")
	}
	return app, remote, nil
}

// ImageSource fetches the remote images of one window's page. urlApp is the app the
// scheme URL names; the source knows which app its window shows and refuses a URL
// naming another. An error makes a broken image (the source audits it).
type ImageSource interface {
	RemoteImage(ctx context.Context, urlApp, remote string) (data []byte, contentType string, err error)
}

var registerImages sync.Once

// attachImages ties w's web view to src; call on the UI thread.
func (w *Window) attachImages(src ImageSource) {
	registerImages.Do(func() {
		s := C.CString(ImageScheme)
		defer C.free(unsafe.Pointer(s))
		C.sf_images_register(s)
	})
	if src == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.images = cgo.NewHandle(&windowImages{src: src, ctx: ctx})
	w.stopImages = cancel
	C.sf_images_attach(w.wv.Window(), C.uintptr_t(w.images))
}

// detachImages unties the web view and ends the fetches in flight; call on the UI
// thread, before the window goes.
func (w *Window) detachImages() {
	if w.images == 0 {
		return
	}
	C.sf_images_attach(w.wv.Window(), 0)
	w.stopImages()
	w.images.Delete()
	w.images = 0
}

type windowImages struct {
	src ImageSource
	ctx context.Context // ends with the window
}

//export sfImageRequest
func sfImageRequest(source, request C.uintptr_t, uri *C.char) {
	raw := C.GoString(uri)
	if source == 0 {
		failImage(request, "this page has no image source")
		return
	}
	wi := cgo.Handle(source).Value().(*windowImages)
	app, remote, err := ParseImageURL(raw)
	if err != nil {
		failImage(request, err.Error())
		return
	}
	// The UI thread only hands over: the fetch runs on its own goroutine and the
	// answer comes back to the UI thread.
	go func() {
		data, typ, err := wi.src.RemoteImage(wi.ctx, app, remote)
		Do(func() {
			if err != nil {
				failImage(request, err.Error())
				return
			}
			t := C.CString(typ)
			defer C.free(unsafe.Pointer(t))
			var p unsafe.Pointer
			if len(data) > 0 {
				p = C.CBytes(data)
				defer C.free(p)
			}
			C.sf_images_finish(request, p, C.size_t(len(data)), t)
		})
	}()
}

func failImage(request C.uintptr_t, msg string) {
	m := C.CString(msg)
	defer C.free(unsafe.Pointer(m))
	C.sf_images_fail(request, m)
}
