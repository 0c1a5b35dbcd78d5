package host

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/miniapp"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/render"
)

var _ render.ImageSource = (*Session)(nil)

// appIDOf is the bare id compiled styles name the app by in image urls (the same as
// App.Identity().ID); the session serves, budgets and caches by its identity key.
func appIDOf(p *miniapp.Project) string {
	if p.App.ID == "" {
		return "unnamed"
	}
	return p.App.ID
}

// RemoteImage serves the page's remote images (render.ImageSource): the window asks
// for its own app only, so a scheme URL naming another app is refused. A refused or
// failed image is a broken image and one audit line, never an error of the app.
func (s *Session) RemoteImage(ctx context.Context, urlApp, remote string) ([]byte, string, error) {
	if files.IsAppPath(remote) {
		return s.appImage(urlApp, remote)
	}
	var err error
	var img netapi.Image
	switch {
	case urlApp != s.appID:
		err = fmt.Errorf("the image url names app %q, not this page's app", urlApp)
	case s.opts.Images == nil:
		err = errors.New("remote images are off (no image fetcher)")
	default:
		var domains []string
		if n := s.app.Project.App.Network; n != nil {
			domains = n.Domains
		}
		policy := netapi.ImagePolicy(s.opts.Config.ImagesOf(s.appID))
		img, err = s.opts.Images.Fetch(ctx, netapi.ImageApp{ID: s.id, Domains: domains, Policy: policy}, remote)
	}
	if err == nil {
		return img.Data, img.ContentType, nil
	}
	if ctx.Err() != nil {
		return nil, "", err // the window went: nobody sees this image
	}
	decision := bridge.DecisionRefused
	if urlApp == s.appID && s.opts.Images != nil && !netapi.IsRefusal(err) {
		decision = bridge.DecisionError // the server or the network failed
	}
	s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: s.id, Window: "w1", Kind: "image",
		Decision: decision, Reason: auditURL(remote) + ": " + err.Error()})
	s.log.Debug("remote image broken", "url", auditURL(remote), "err", err)
	return nil, "", err
}

// auditURL is remote without its query and fragment, which may carry tokens.
func auditURL(remote string) string {
	u, err := url.Parse(remote)
	if err != nil {
		return "(invalid url)"
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.User = "", "", "", nil
	return u.String()
}
