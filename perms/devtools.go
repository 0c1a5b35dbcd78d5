package perms

import "github.com/sandframe/sandframe/internal/identity"

// Reset forgets every decision of app's identity, so that its next use prompts again
// (DevTools' Permissions panel, docs/devtools.md).
func (m *Manager) Reset(app App) error {
	return m.store.ResetIdentity(identity.Signed(app.ID, app.Signer))
}
