package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/share"
)

// registerShareAPIs installs sf.share: the only way a value crosses from one app's
// namespace to another's. Publishing needs share:publish; reading needs share:read and
// the user's consent to the (reader, publisher) pair, asked in the shell's own dialog.
func (s *Session) registerShareAPIs() {
	s.gw.Register("sharePublish", func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Name    string          `json:"name"`
			Value   json.RawMessage `json:"value"`
			Options struct {
				To []string `json:"to"`
			} `json:"options"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		sh, err := s.shares()
		if err != nil {
			return nil, nil, err
		}
		me, err := senderIdentity(snd)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, sh.Publish(me, a.Name, a.Value, a.Options.To)
	})
	s.gw.Register("shareUnpublish", func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Name string `json:"name"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		sh, err := s.shares()
		if err != nil {
			return nil, nil, err
		}
		me, err := senderIdentity(snd)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, sh.Unpublish(me, a.Name)
	})
	s.gw.Register("shareRead", func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			From string `json:"from"`
			Name string `json:"name"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		me, err := senderIdentity(snd)
		if err != nil {
			return nil, nil, err
		}
		if a.From == "" {
			return nil, nil, errors.New("parameter error: from must name another app")
		}
		from, err := s.resolveApp(a.From)
		if err != nil || from == me {
			return nil, nil, errors.New("parameter error: from must name another app")
		}
		sh, err := s.shares()
		if err != nil {
			return nil, nil, err
		}
		if err := s.shareConsent(ctx, sh, me, from, a.Name); err != nil {
			s.auditShare(snd, from.Key(), a.Name, bridge.DecisionDenied, err.Error())
			return nil, nil, err
		}
		v, err := sh.Read(me, from, a.Name)
		if errors.Is(err, share.ErrNotShared) {
			s.auditShare(snd, from.Key(), a.Name, bridge.DecisionError, "nothing shared")
			return nil, nil, errors.New("data not found")
		}
		if err != nil {
			return nil, nil, err
		}
		s.auditShare(snd, from.Key(), a.Name, bridge.DecisionOK, "")
		return map[string]any{"data": v}, nil, nil
	})
}

// senderIdentity is the identity the bridge stamped on a call.
func senderIdentity(snd bridge.Sender) (identity.App, error) {
	id, err := identity.Parse(snd.App)
	if err != nil {
		return identity.App{}, fmt.Errorf("internal error: sender %w", err)
	}
	return id, nil
}

// resolveApp is the app another app names: "ID@KEYID" or "ID@unverified" exactly, a
// bare id the installed app of that id (Options.Identities), else the unverified one.
func (s *Session) resolveApp(name string) (identity.App, error) {
	if strings.Contains(name, "@") {
		return identity.Parse(name)
	}
	if s.opts.Identities != nil {
		return s.opts.Identities(name), nil
	}
	return identity.Unverified(name), nil
}

// shareConsent asks the user, once per pair, whether reader may read what publisher
// shares with it. A denial is remembered: no second prompt.
func (s *Session) shareConsent(ctx context.Context, sh *share.Store, reader, publisher identity.App, name string) error {
	d, err := sh.Consent(reader, publisher)
	if err != nil {
		return err
	}
	switch d {
	case share.Granted:
		return nil
	case share.Denied:
		return errors.New("auth denied")
	}
	answer := s.askConsent(ctx, reader, publisher, name)
	switch answer {
	case 2: // Allow: remembered
		return sh.SetConsent(reader, publisher, share.Granted)
	case 1: // Allow once: this read only
		return nil
	case 0:
		if err := sh.SetConsent(reader, publisher, share.Denied); err != nil {
			return err
		}
	}
	return errors.New("auth deny")
}

// askConsent shows the consent dialog over the reader's window; without one (headless,
// kiosk) the permissions policy answers: 2 allow, 1 once, 0 deny, -1 no answer.
func (s *Session) askConsent(ctx context.Context, reader, publisher identity.App, name string) int {
	if s.opts.Prompts != nil {
		if n, ok := s.opts.Prompts.ask(ctx, reader.Key(), render.Prompt{
			Title:   "Sharing request — " + s.title(),
			Heading: fmt.Sprintf("%q wants to read what %s shared with it", s.title(), publisher),
			Body: fmt.Sprintf("Value: “%s”\n\nIf you allow it, %s can read every value %s shares with it, until you revoke it (shell share revoke %s %s).",
				name, reader, publisher, reader.Key(), publisher.Key()),
			Buttons: promptButtons,
		}); ok {
			return n
		}
	}
	switch s.opts.Config.Permissions.Prompts {
	case "allow":
		return 2
	case "allow-once":
		return 1
	}
	return 0
}

// shares is the share store, or an error when the shell has none.
func (s *Session) shares() (*share.Store, error) {
	if s.opts.Shares == nil {
		return nil, errors.New("no sharing in this shell")
	}
	return s.opts.Shares, nil
}

// auditShare writes one line per read attempt, naming the publisher and the value.
func (s *Session) auditShare(snd bridge.Sender, publisher, name, decision, reason string) {
	s.opts.Audit.Record(bridge.AuditEntry{Time: time.Now().UTC(), App: snd.App, Window: snd.Window, Page: snd.Page,
		Kind: "share", API: "shareRead", Capability: "share:read", Decision: decision,
		Reason: fmt.Sprintf("from %s, %q%s", publisher, name, suffix(reason))})
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}
