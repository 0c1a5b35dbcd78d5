package netapi

import (
	"context"
	"errors"
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
	q, err := im.take(app.ID)
	if err != nil {
		return Image{}, err
	}
	select {
	case q.slots <- struct{}{}:
		defer func() { <-q.slots }()
	case <-ctx.Done():
		return Image{}, errors.New("abort")
	}
	tctx, cancel := context.WithTimeoutCause(ctx, im.cfg.Net.Timeout, errTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Image{}, refusef("invalid media url: %v", err)
	}
	req.Header.Set("Accept", "audio/*, video/*;q=0.9")
	req.Header.Set("User-Agent", "Sandframe")
	client := &http.Client{
		Transport: im.client.transport,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if len(via) >= maxImageRedirects {
				return refusef("stopped after %d redirects", maxImageRedirects)
			}
			if err := check(next.URL); err != nil {
				return refusef("redirect to %s refused: %v", next.URL.Redacted(), err)
			}
			next.Header.Del("Referer")
			return nil
		},
	}
	resp, err := client.Do(req)
	if err != nil {
		return Image{}, im.client.reason(ctx, tctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Image{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	data, err := im.client.readBody(resp)
	if err != nil {
		return Image{}, im.client.reason(ctx, tctx, err)
	}
	typ := MediaType(data, resp.Header.Get("Content-Type"))
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
