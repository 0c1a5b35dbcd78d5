package netapi

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// FetchMedia returns the audio or video at raw ("https://..." or "//host/...") for an
// app's <video>, <audio> or InnerAudioContext: the page has no network, so the render
// runtime asks the shell through its scheme (docs/components.md). Unlike images, media
// comes only from the app's declared network domains, whatever its image policy, over
// https, within the same size, rate and concurrency limits as an image, and is not
// cached. The content must sniff (or be declared) as audio or video.
func (im *Images) FetchMedia(ctx context.Context, app ImageApp, raw string) (Image, error) {
	if app.ID == "" {
		return Image{}, refusef("no app id")
	}
	rules, err := parseDomains(app.Domains)
	if err != nil {
		return Image{}, fmt.Errorf("app.json %w", err)
	}
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return Image{}, refusef("invalid media url %q", raw)
	}
	u.Fragment, u.RawFragment = "", ""
	check := func(u *url.URL) error { return checkURL(u, rules, im.cfg.Net.DevMode) }
	if err := check(u); err != nil {
		return Image{}, err
	}
	data, header, err := im.get(ctx, app.ID, u, check, "audio/*, video/*;q=0.9", "media")
	if err != nil {
		return Image{}, err
	}
	typ := MediaType(data, header.Get("Content-Type"))
	if typ == "" {
		return Image{}, refusef("not audio or video (the content sniffs as %s)", http.DetectContentType(data))
	}
	return Image{Data: data, ContentType: typ}, nil
}

// MediaType is the type of an audio or video file: what its bytes sniff as, else the
// type it was declared with (an MP3 without an ID3 tag sniffs as octet-stream), or ""
// when neither is audio or video.
func MediaType(data []byte, declared string) string {
	sniffed := http.DetectContentType(data)
	if isMediaType(sniffed) {
		return sniffed
	}
	if strings.HasPrefix(sniffed, "text/") || strings.HasPrefix(sniffed, "image/") {
		return "" // a page or a picture served as audio is not audio
	}
	decl, _, _ := mime.ParseMediaType(declared)
	if isMediaType(decl) {
		return decl
	}
	return ""
}

func isMediaType(t string) bool {
	return strings.HasPrefix(t, "audio/") || strings.HasPrefix(t, "video/") || t == "application/ogg"
}
