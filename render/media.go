package render

/*
#include <stdlib.h>
#include "images.h"
*/
import "C"

import (
	"context"
	"net/url"
	"runtime/cgo"
	"unsafe"
)

// MediaSource serves a page's audio and video through the image scheme (the page has
// no network; its CSP allows media from data: and this scheme only): a bundle file
// (ImageScheme://bundle/?app=A&p=PATH) or a remote source the shell fetches
// (ImageScheme://media/?app=A&u=URL). A window's ImageSource that also implements it
// serves both; kind is "bundle" or "media" and ref the path or the URL. An error makes
// the element fail (its error event), as a broken image.
type MediaSource interface {
	MediaFile(ctx context.Context, urlApp, kind, ref string) (data []byte, contentType string, err error)
}

// MediaURL is the scheme URL of a bundle file (kind "bundle", ref its path) or a remote
// source (kind "media", ref its URL) for app's page; the render runtime builds the same
// (assets/runtime/ctl-media.js mediaURL).
func MediaURL(app, kind, ref string) string {
	key := "p"
	if kind == "media" {
		key = "u"
	}
	return ImageScheme + "://" + kind + "/?app=" + url.QueryEscape(app) + "&" + key + "=" + url.QueryEscape(ref)
}

// parseMediaURL splits a media scheme URL; ok is false for any other URL.
func parseMediaURL(raw string) (app, kind, ref string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != ImageScheme || (u.Host != "bundle" && u.Host != "media") {
		return "", "", "", false
	}
	q := u.Query()
	app, kind = q.Get("app"), u.Host
	if kind == "bundle" {
		ref = q.Get("p")
	} else {
		ref = q.Get("u")
	}
	return app, kind, ref, true
}

// serveMedia answers a media request of the window whose source is source, if raw is
// a media URL; it reports whether it was one.
func serveMedia(source, request C.uintptr_t, raw string) bool {
	app, kind, ref, ok := parseMediaURL(raw)
	if !ok {
		return false
	}
	wi := cgo.Handle(source).Value().(*windowImages)
	ms, isMedia := wi.src.(MediaSource)
	if !isMedia || app == "" || ref == "" {
		failImage(request, "this page cannot play media")
		return true
	}
	go func() {
		data, typ, err := ms.MediaFile(wi.ctx, app, kind, ref)
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
	return true
}
