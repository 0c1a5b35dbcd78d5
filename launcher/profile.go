package launcher

import (
	"context"
	"encoding/json"

	"github.com/sandframe/sandframe/profile"
)

// fallbackProfile is the config's profile section: what apps see until the user sets one.
func (s *Service) fallbackProfile() profile.Profile {
	p := s.cfg.Config.Profile
	return profile.Profile{NickName: p.NickName, AvatarURL: p.AvatarURL}
}

func (s *Service) loadProfile() (profile.Profile, error) {
	return profile.Load(s.cfg.Config.ProfilePath(), s.fallbackProfile())
}

func (s *Service) profileGet(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	if err := noArgs(c, args); err != nil {
		return nil, err
	}
	return s.loadProfile()
}

func (s *Service) profileSet(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	var p profile.Profile
	if err := decodeArgs(c.op, args, &p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, &argError{op: c.op, msg: err.Error()}
	}
	if err := profile.Save(s.cfg.Config.ProfilePath(), p); err != nil {
		return nil, err
	}
	return p.Trimmed(), nil
}

func (s *Service) profilePickAvatar(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	if err := noArgs(c, args); err != nil {
		return nil, err
	}
	p, err := s.loadProfile()
	if err != nil {
		c.unchanged = true
		return nil, err
	}
	path, err := s.pick(ctx, "Choose your picture", []string{"*.png", "*.jpg", "*.jpeg", "*.webp"})
	if err != nil || path == "" {
		c.unchanged = true
		return p, err
	}
	if p.AvatarURL, err = profile.AvatarFromFile(path); err != nil {
		return nil, err
	}
	if err := profile.Save(s.cfg.Config.ProfilePath(), p); err != nil {
		return nil, err
	}
	return p.Trimmed(), nil
}
