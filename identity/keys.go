// Package identity is wx.login on the desktop: each app gets, for the user of this shell,
// a signing key of its own, and wx.login hands it a short-lived code signed by that key
// (identity/verify checks it; docs/identity-login.md has the format). The key is the
// user's pseudonymous account for that app alone: two apps hold unrelated keys, so their
// backends cannot link one user, and no server of Sandframe's takes part.
//
// Not to be confused with internal/identity, which names apps (ID@KEYID): here the
// identity is the user's, as one app sees them.
package identity

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/internal/appdata"
	appid "github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/storage"
)

// NamespaceOf is the storage namespace holding the login key of the app whose identity
// key is app: sealed like the app's own storage, under the app's own data keys, and
// never visible to the app's storage APIs.
func NamespaceOf(app string) string { return app + "#login" }

// IsNamespace reports whether a storage namespace name is a login namespace.
func IsNamespace(name string) bool { return strings.HasSuffix(name, "#login") }

// Storage opens a storage namespace (storage.Store.App; the session's AppStorage).
type Storage interface {
	AppStorage(namespace string) (*storage.AppStore, error)
}

const seedKey = "ed25519-seed"

// created serialises key creation in this process, so two first logins of one app
// make one key.
var created sync.Mutex

// Key is app's login key; with create, one is made (and stored) when there is none.
// Without create, ok is false when the app has no key (never logged in, or wiped).
func Key(st Storage, app appid.App, create bool) (key ed25519.PrivateKey, ok bool, err error) {
	ns, err := st.AppStorage(NamespaceOf(app.Key()))
	if err != nil {
		return nil, false, fmt.Errorf("login key of %s: %w", app.Key(), err)
	}
	if create {
		created.Lock()
		defer created.Unlock()
	}
	raw, err := ns.Get(seedKey)
	switch {
	case err == nil:
		var seed []byte
		if err := json.Unmarshal(raw, &seed); err != nil || len(seed) != ed25519.SeedSize {
			return nil, false, fmt.Errorf("login key of %s: stored key is damaged", app.Key())
		}
		return ed25519.NewKeyFromSeed(seed), true, nil
	case !errors.Is(err, storage.ErrNoKey):
		return nil, false, fmt.Errorf("login key of %s: %w", app.Key(), err)
	case !create:
		return nil, false, nil
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, false, err
	}
	enc, _ := json.Marshal(seed) // base64 in a JSON string
	if err := ns.Set(seedKey, enc); err != nil {
		return nil, false, fmt.Errorf("login key of %s: %w", app.Key(), err)
	}
	return ed25519.NewKeyFromSeed(seed), true, nil
}

// Wiper removes storage namespaces (storage.Store).
type Wiper interface {
	Wipe(namespace string) error
}

// AppData is the login keys' store in the one wipe (internal/appdata): in every scope
// the app's key goes, so the next login is a new pseudonym (a kiosk's next user, a
// cleared app, a reinstall).
func AppData(st Wiper) appdata.Store { return keysData{st} }

type keysData struct{ st Wiper }

func (keysData) Name() string { return "login keys" }

func (d keysData) Wipe(_ context.Context, app appid.App, _ appdata.Scope) error {
	return d.st.Wipe(NamespaceOf(app.Key()))
}

// StoreOf is the shell's storage as Key needs it (outside a session: the CLI, tests).
func StoreOf(st *storage.Store) Storage { return storeOf{st} }

type storeOf struct{ st *storage.Store }

func (s storeOf) AppStorage(ns string) (*storage.AppStore, error) { return s.st.App(ns) }
