package installer

import (
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
)

// SignerChangeProblem is what the launcher says about a bundle not signed by the key its
// app id is pinned to. It offers no override: the CLI's --allow-signer-change does.
const SignerChangeProblem = "This app was installed from another publisher, and this bundle is not signed by them " +
	"(it is signed by someone else, or not at all). Installing it would give the app, and its data, to someone else, " +
	"so the launcher does not. Uninstall the app first to start it anew, or, if you trust the change, " +
	"run: shell install --allow-signer-change FILE (it wipes the app's data)."

// Offer is what installing a bundle would do, for the user to confirm.
type Offer struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	Version      string       `json:"version"`
	Publisher    string       `json:"publisher"` // the trusted key's name, or "unverified"
	Verified     bool         `json:"verified"`  // false: only a sideload installs it
	Capabilities []Capability `json:"capabilities"`
	Installed    string       `json:"installed"` // the version installed now, or ""
	Blocking     int          `json:"blocking"`  // blocking lint findings
	Problem      string       `json:"problem"`   // why it cannot be installed, or ""
}

// Inspect opens and verifies the bundle at path as an install would (signature, trust,
// security definitions, lint, the installed version) and says what installing it would
// do. It writes nothing. A file that is not a readable bundle is an *InputError; a
// bundle that may not be installed is an Offer whose Problem says why. An unverified
// bundle has no Problem: a sideload installs it.
func (in *Installer) Inspect(path string) (Offer, error) {
	_, b, err := readBundle(path)
	if err != nil {
		return Offer{}, err
	}
	m := b.Manifest
	o := Offer{ID: m.AppID, Name: m.AppID, Version: m.Version, Publisher: "unverified", Capabilities: []Capability{}}
	if a, err := ReadAppJSON(b.FS()); err == nil {
		o.Name, o.Capabilities = a.DisplayName(m.AppID), a.Declared()
	}
	problem := func(format string, args ...any) {
		if o.Problem == "" {
			o.Problem = fmt.Sprintf(format, args...)
		}
	}
	t, err := in.cfg.Trust.Verify(b)
	switch {
	case err == nil:
		o.Verified, o.Publisher = true, PublisherOf(in.cfg.Trust, string(m.Signer), true)
	case t.Status == trust.Revoked:
		problem("Its publisher's key %s was revoked: %s.", m.Signer, t.Key.Reason)
	case errors.Is(err, bundle.ErrUnsigned), errors.Is(err, trust.ErrUntrusted):
		// Unverified: a sideload may install it.
	default:
		problem("Its signature cannot be trusted: %v.", err)
	}
	revoked, blocking, err := in.check(b)
	if err != nil {
		return Offer{}, err
	}
	o.Blocking = blocking
	if revoked {
		problem("Its publisher's key %s is revoked by the security definitions.", m.Signer)
	}
	if in.cfg.ShellVersion != "" {
		if c, err := bundle.CompareVersions(m.MinShell, in.cfg.ShellVersion); err != nil || c > 0 {
			problem("It needs shell %s or newer; this is %s.", m.MinShell, in.cfg.ShellVersion)
		}
	}
	reg, err := in.cfg.OpenRegistry()
	if err != nil {
		return Offer{}, err
	}
	defer reg.Close()
	switch cur, err := reg.Get(m.AppID); {
	case err == nil:
		o.Installed = cur.Version
		if c, err := bundle.CompareVersions(m.Version, cur.Version); err == nil && c < 0 {
			problem("Version %s is older than the installed %s.", m.Version, cur.Version)
		}
		if cur.Signer != "" && m.Signer != "" && cur.Signer != string(m.Signer) {
			problem(SignerChangeProblem)
		}
	case !errors.Is(err, registry.ErrNotInstalled):
		return Offer{}, err
	}
	if pin, err := reg.Pin(m.AppID); err != nil {
		return Offer{}, err
	} else if pin != "" && pin != string(m.Signer) {
		problem(SignerChangeProblem)
	}
	if blocking > 0 {
		problem("The checks found %d blocking problems in it (see shell lint %s).", blocking, path)
	}
	return o, nil
}
