package storage

import (
	"errors"
	"fmt"
)

// Stored lists the namespaces (app identity keys, share namespaces, and, before the
// identity migration, bare app ids) that have a database, sorted.
func (s *Store) Stored() ([]string, error) { return s.storedApps() }

// Move re-encrypts every item of namespace from into namespace to (under to's keys:
// the namespace is bound into every row's authentication, so folders cannot simply be
// renamed), then wipes from. An item to already holds is kept, not overwritten. A crash
// part way leaves from in place, and moving again finishes the job. It is the storage
// step of the identity migration (docs/storage.md).
func (s *Store) Move(from, to string) error {
	if from == to {
		return nil
	}
	src, err := s.App(from)
	if err != nil {
		return err
	}
	dst, err := s.App(to)
	if err != nil {
		return err
	}
	keys, err := src.Keys()
	if err != nil {
		return fmt.Errorf("storage: move %q to %q: %w", from, to, err)
	}
	for _, k := range keys {
		switch _, err := dst.Get(k.Name); {
		case err == nil:
			continue // the new namespace's own value wins
		case !errors.Is(err, ErrNoKey):
			return fmt.Errorf("storage: move %q to %q: %w", from, to, err)
		}
		v, err := src.Get(k.Name)
		if err != nil {
			return fmt.Errorf("storage: move %q to %q: %w", from, to, err)
		}
		if err := dst.Set(k.Name, v); err != nil {
			return fmt.Errorf("storage: move %q to %q: %w", from, to, err)
		}
	}
	if err := s.Wipe(from); err != nil {
		return fmt.Errorf("storage: move %q to %q: %w", from, to, err)
	}
	s.log.Info("storage: namespace moved", "from", from, "to", to, "keys", len(keys))
	return nil
}
