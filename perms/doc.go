// Package perms is Sandframe's permission model: the capability catalog, the capabilities
// an app declares in app.json, the SQLite store of the user's decisions, the admin policy
// from config, and the prompts that ask the user.
//
// Deny by default and deny wins: an API that needs a capability is allowed only when the
// app declared it, neither the policy nor the user denied it, and the policy, a stored
// grant or a prompt answered yes. Every refusal is a *Denial that says which rule refused.
package perms
