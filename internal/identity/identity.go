// Package identity names a mini-app as every store that keeps something of it does: by
// its id together with the key that signed it. An id alone is a claim anyone can make
// in an app.json; a signature by a publisher key is not. So two builds of one id signed
// by different keys are two apps, and an unsigned folder or bundle that declares an id
// is a third, "unverified" one, that never shares a namespace with a signed app.
//
// Key is the one string form, used as the key of storage namespaces, share consents,
// the quarantine, permission decisions, cookie jars and the session list; Parse reads
// it back (and the CLI's way to name an app: ID, ID@unverified or ID@KEYID). See
// docs/security.md ("Identity").
package identity

import (
	"errors"
	"fmt"
	"strings"
)

// UnverifiedMark is what Key puts after the '@' of an unsigned app's key. No key id (16
// hex digits) can be it, so an unsigned app never shares a signed app's namespace.
const UnverifiedMark = "unverified"

// App is one app's identity: its id and the key id of its signer ("" for an unsigned
// folder or bundle). Its zero value is not an identity.
type App struct {
	ID     string // the app id its app.json or manifest declares
	Signer string // the publisher key id (16 lowercase hex digits); "" unsigned
}

// Signed is the identity of app id signed by the key signer ("" gives Unverified).
func Signed(id, signer string) App { return App{ID: id, Signer: signer} }

// Unverified is the identity of an unsigned folder or bundle that declares id.
func Unverified(id string) App { return App{ID: id} }

// IsSigned reports whether a publisher key vouches for this identity.
func (a App) IsSigned() bool { return a.Signer != "" }

// Key is the identity as one string: "ID@KEYID" for a signed app, "ID@unverified" for
// an unsigned one. It contains an '@', which no bare app id of a signed bundle does
// (bundle.ValidAppID), so a key is never confused with the bare ids stores used before.
func (a App) Key() string {
	if a.Signer == "" {
		return a.ID + "@" + UnverifiedMark
	}
	return a.ID + "@" + a.Signer
}

// String is how the shell names the app to a person.
func (a App) String() string {
	if a.Signer == "" {
		return a.ID + " (unverified)"
	}
	return a.ID + " (signed by key " + a.Signer + ")"
}

// ErrNotKey is a string that is not an identity key.
var ErrNotKey = errors.New("not an app identity (want ID@KEYID or ID@unverified)")

// Parse reads a Key back. The id is what comes before the last '@' (no app id holds an
// '@': bundle.ValidAppID and miniapp.Load refuse it; the shell's migration still meets
// names an older shell let through).
func Parse(key string) (App, error) {
	i := strings.LastIndexByte(key, '@')
	if i <= 0 || i == len(key)-1 {
		return App{}, fmt.Errorf("%q: %w", key, ErrNotKey)
	}
	id, signer := key[:i], key[i+1:]
	if signer == UnverifiedMark {
		return Unverified(id), nil
	}
	if !isKeyID(signer) {
		return App{}, fmt.Errorf("%q: %q is not a key id: %w", key, signer, ErrNotKey)
	}
	return Signed(id, signer), nil
}

// IsKey reports whether s is an identity key (as opposed to a bare id, or a store's
// own name such as a share namespace).
func IsKey(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// isKeyID matches bundle.KeyID's form: 16 lowercase hex digits.
func isKeyID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Resolver turns the name a person types into an identity: "ID@KEYID" and
// "ID@unverified" name themselves; a bare "ID" names the installed app of that id (its
// signer comes from Installed), or, when none is installed, the unverified one.
type Resolver struct {
	// Installed returns the signer key id of the installed app id ("" when it is
	// installed unsigned) and whether it is installed at all.
	Installed func(id string) (signer string, ok bool, err error)
}

// Resolve names the app that name means; see Resolver.
func (r Resolver) Resolve(name string) (App, error) {
	if name == "" {
		return App{}, errors.New("an app id is empty")
	}
	if strings.Contains(name, "@") {
		return Parse(name)
	}
	if r.Installed != nil {
		signer, ok, err := r.Installed(name)
		if err != nil {
			return App{}, fmt.Errorf("resolve %s: %w", name, err)
		}
		if ok {
			return Signed(name, signer), nil
		}
	}
	return Unverified(name), nil
}
