package launcher

import (
	"context"
	"errors"
	"fmt"
)

// CheckUpdate is the newer release the catalog offers of installed app id ("" none, or
// no catalog set): what a running app's wx.getUpdateManager hears (host.UpdateSource).
func (s *Service) CheckUpdate(ctx context.Context, id string) (string, error) {
	if s.catalogURL() == "" {
		return "", nil
	}
	m, err := s.cfg.Installer.Updates(ctx, s.catalogURL(), s.channel())
	if err != nil {
		return "", fmt.Errorf("check the catalog: %w", err)
	}
	if s.setUpdates(m) {
		s.Emit(EventAppsChanged, nil)
	}
	return m[id], nil
}

// ApplyUpdate is UpdateManager.applyUpdate: the catalog's release of id is installed,
// and the app, stopped by the install, starts again on it. The restart happens after
// the call answers (the app asking is the one restarted).
func (s *Service) ApplyUpdate(ctx context.Context, id string) error {
	if s.catalogURL() == "" {
		return errors.New("no catalog")
	}
	next, err := s.cfg.Installer.Update(ctx, s.catalogURL(), s.channel(), id, nil)
	if err != nil {
		return fmt.Errorf("update %s: %w", id, err)
	}
	if next == nil {
		return errors.New("no update")
	}
	s.log.Info("launcher: app updated at its own request", "app", id, "version", next.Version)
	go func() {
		s.changedTo(next)
		if s.cfg.Runner != nil {
			if err := s.cfg.Runner.Launch(context.Background(), id); err != nil {
				s.log.Warn("launcher: restarting an updated app", "app", id, "err", err)
			}
		}
	}()
	return nil
}
