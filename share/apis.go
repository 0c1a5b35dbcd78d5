package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/identity"
)

// Host is what the sharing APIs need from the running session.
type Host interface {
	// Shares is the share store; an error when the shell has none.
	Shares() (*Store, error)
	// ResolveApp is the app another app names ("ID@KEYID", "ID@unverified", or a bare id).
	ResolveApp(name string) (identity.App, error)
	// AskConsent asks the user whether reader may read what publisher shares with it:
	// 2 allow, 1 allow once, 0 deny, -1 no answer.
	AskConsent(ctx context.Context, reader, publisher identity.App, name string) int
	// AuditShare writes one audit line per read attempt.
	AuditShare(snd bridge.Sender, publisher, name, decision, reason string)
}

// sf.share: the only way a value crosses from one app's namespace to another's.
// Publishing needs share:publish; reading needs share:read and the user's consent to
// the (reader, publisher) pair, asked in the shell's own dialog.
var _ = hostapi.Register(
	hostapi.Decl{Name: "sharePublish", Params: []string{"name", "value", "options"}, Path: "share.publish",
		Capability: "share:publish", Class: hostapi.ClassShare, Handler: publish,
		Args: []hostapi.Field{{Name: "name", Type: hostapi.String}, {Name: "value", Type: hostapi.Any}, {Name: "options", Type: hostapi.Object}}},
	hostapi.Decl{Name: "shareUnpublish", Params: []string{"name"}, Path: "share.unpublish",
		Capability: "share:publish", Class: hostapi.ClassShare, Handler: unpublish,
		Args: []hostapi.Field{{Name: "name", Type: hostapi.String}}},
	hostapi.Decl{Name: "shareRead", Params: []string{"from", "name"}, Path: "share.read",
		Capability: "share:read", Class: hostapi.ClassShare, Handler: read,
		Args: []hostapi.Field{{Name: "from", Type: hostapi.String}, {Name: "name", Type: hostapi.String}}},
	// Planned: WeChat's sharing, declared so that policy and lint know their capability.
	hostapi.Decl{Name: "getShareInfo", Capability: "share:read", Class: hostapi.ClassShare},
	hostapi.Decl{Name: "shareAppMessage", Capability: "share:publish", Class: hostapi.ClassShare},
	hostapi.Decl{Name: "shareFileMessage", Capability: "share:publish", Class: hostapi.ClassShare},
)

// openCall is the session's share store and the caller's identity.
func openCall(c hostapi.Call) (Host, *Store, identity.App, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, identity.App{}, err
	}
	me, err := identity.Parse(c.Sender.App)
	if err != nil {
		return nil, nil, identity.App{}, fmt.Errorf("internal error: sender %w", err)
	}
	sh, err := h.Shares()
	if err != nil {
		return nil, nil, identity.App{}, err
	}
	return h, sh, me, nil
}

func publish(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Name    string          `json:"name"`
		Value   json.RawMessage `json:"value"`
		Options struct {
			To []string `json:"to"`
		} `json:"options"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	_, sh, me, err := openCall(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, sh.Publish(me, a.Name, a.Value, a.Options.To)
}

func unpublish(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Name string `json:"name"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	_, sh, me, err := openCall(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, sh.Unpublish(me, a.Name)
}

func read(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		From string `json:"from"`
		Name string `json:"name"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if a.From == "" {
		return nil, nil, errors.New("parameter error: from must name another app")
	}
	h, sh, me, err := openCall(c)
	if err != nil {
		return nil, nil, err
	}
	from, err := h.ResolveApp(a.From)
	if err != nil || from == me {
		return nil, nil, errors.New("parameter error: from must name another app")
	}
	if err := consent(c.Ctx, h, sh, me, from, a.Name); err != nil {
		h.AuditShare(c.Sender, from.Key(), a.Name, bridge.DecisionDenied, err.Error())
		return nil, nil, err
	}
	v, err := sh.Read(me, from, a.Name)
	if errors.Is(err, ErrNotShared) {
		h.AuditShare(c.Sender, from.Key(), a.Name, bridge.DecisionError, "nothing shared")
		return nil, nil, errors.New("data not found")
	}
	if err != nil {
		return nil, nil, err
	}
	h.AuditShare(c.Sender, from.Key(), a.Name, bridge.DecisionOK, "")
	return map[string]any{"data": v}, nil, nil
}

// consent asks the user, once per pair, whether reader may read what publisher shares
// with it. A denial is remembered: no second prompt.
func consent(ctx context.Context, h Host, sh *Store, reader, publisher identity.App, name string) error {
	d, err := sh.Consent(reader, publisher)
	if err != nil {
		return err
	}
	switch d {
	case Granted:
		return nil
	case Denied:
		return errors.New("auth denied")
	}
	switch h.AskConsent(ctx, reader, publisher, name) {
	case 2: // Allow: remembered
		return sh.SetConsent(reader, publisher, Granted)
	case 1: // Allow once: this read only
		return nil
	case 0:
		if err := sh.SetConsent(reader, publisher, Denied); err != nil {
			return err
		}
	}
	return errors.New("auth deny")
}
