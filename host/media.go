package host

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
)

// maxBundleMedia bounds one bundle audio or video file the page plays: it reaches the
// page whole, as a data: URL in one ui message.
const maxBundleMedia = 16 << 20

// mediaReads is how many media sources a session reads or fetches at once.
const mediaReads = 2

// mediaTypes are the bundle files a page may play, by extension.
var mediaTypes = map[string]string{
	".mp3": "audio/mpeg", ".wav": "audio/wav", ".m4a": "audio/mp4", ".aac": "audio/aac",
	".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm", ".ogv": "video/ogg",
}

// mediaSource answers the page's "mediaSource" host event {id, kind, ref}: WebKitGTK
// cannot play media from a custom URI scheme (WebKit bug 146351), so the page's
// <video>, <audio> and InnerAudioContext get their source as a data: URL in a ui
// "media" op {id, content} (or {id, text: the error}), read or fetched off the UI
// thread. docs/components.md.
func (s *Session) mediaSource(d bridge.MediaSource) {
	go func() {
		select {
		case s.mediaSlots <- struct{}{}:
		case <-s.ctx.Done():
			return
		}
		data, typ, err := s.mediaFile(s.ctx, s.appID, d.Kind, d.Ref)
		<-s.mediaSlots
		op := bridge.UI{Op: "media", ID: d.ID}
		if err != nil {
			op.Text = err.Error()
		} else {
			op.Content = "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data)
		}
		s.sendUI(op)
	}()
}

// mediaFile reads a bundle file of a media type, or fetches a remote source from the
// app's declared domains (netapi FetchMedia). A refusal is a failed element and one
// audit line.
func (s *Session) mediaFile(ctx context.Context, urlApp, kind, ref string) ([]byte, string, error) {
	var (
		data []byte
		typ  string
		err  error
	)
	switch {
	case urlApp != s.appID:
		err = fmt.Errorf("the media source names app %q, not this page's app", urlApp)
	case kind == "bundle":
		data, typ, err = s.bundleMedia(ref)
	case kind == "media" && s.opts.Images == nil:
		err = errors.New("remote media is off (no fetcher)")
	case kind == "media":
		var domains []string
		if n := s.app.Project.App.Network; n != nil {
			domains = n.Domains
		}
		var m netapi.Image
		m, err = s.opts.Images.FetchMedia(ctx, netapi.ImageApp{ID: s.id, Domains: domains}, ref)
		data, typ = m.Data, m.ContentType
	default:
		err = fmt.Errorf("unknown media kind %q", kind)
	}
	if err == nil {
		s.log.Debug("media served", "kind", kind, "bytes", len(data), "type", typ)
		return data, typ, nil
	}
	if ctx.Err() != nil {
		return nil, "", err
	}
	where := ref
	if kind == "media" {
		where = auditURL(ref)
	}
	decision := bridge.DecisionRefused
	if kind == "media" && !netapi.IsRefusal(err) && urlApp == s.appID && s.opts.Images != nil {
		decision = bridge.DecisionError
	}
	s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1", Kind: "media",
		Decision: decision, Reason: where + ": " + err.Error()})
	s.log.Debug("media refused", "src", where, "err", err)
	return nil, "", err
}

// bundleMedia reads an audio or video file of the app's bundle.
func (s *Session) bundleMedia(ref string) ([]byte, string, error) {
	p := path.Clean(strings.TrimPrefix(ref, "/"))
	if p == "." || strings.HasPrefix(p, "../") || p == ".." || !fs.ValidPath(p) {
		return nil, "", fmt.Errorf("%q is not a bundle path", ref)
	}
	typ, ok := mediaTypes[strings.ToLower(path.Ext(p))]
	if !ok {
		return nil, "", fmt.Errorf("%s is not an audio or video file", p)
	}
	fsys := s.app.Project.FS
	if fsys == nil {
		return nil, "", errors.New("the app has no files")
	}
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return nil, "", fmt.Errorf("%s is not in the bundle", p)
	}
	if info.Size() > maxBundleMedia {
		return nil, "", fmt.Errorf("%s is larger than %d bytes", p, maxBundleMedia)
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", p, err)
	}
	return data, typ, nil
}
