package storage

// Release closes appID's database until its next use, when its session has ended: a
// shell that ran fifty apps keeps no descriptors (two connections, their WAL and
// shared memory: five per app) nor SQLite caches for the ones that stopped. The handle
// App returned stays valid; the next operation opens the database again.
func (s *Store) Release(appID string) {
	s.mu.Lock()
	a := s.apps[appID]
	s.mu.Unlock()
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.db != nil {
		if err := a.db.close(); err != nil {
			s.log.Warn("storage: release", "app", appID, "err", err)
		}
		a.db = nil
	}
}
