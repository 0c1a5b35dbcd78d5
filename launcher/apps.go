package launcher

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/perms"
)

// App is one installed app as the launcher shows it.
type App struct {
	ID string `json:"id"`
	// Identity is what the app's data and decisions are kept under (internal/identity):
	// "ID@KEYID", or "ID@unverified" for an unsigned app, another app than a signed one
	// of the same id.
	Identity    string `json:"identity"`
	Name        string `json:"name"`
	Version     string `json:"version"`
	Publisher   string `json:"publisher"` // the trusted key's name, or "unverified"
	Verified    bool   `json:"verified"`
	Description string `json:"description"`
	Icon        string `json:"icon"`      // a data: URL of the app's icon, or ""
	Installed   string `json:"installed"` // RFC 3339
	Previous    string `json:"previous"`  // the version rollback goes to, or ""
	Update      string `json:"update"`    // a newer catalog version, or ""
	State       string `json:"state"`     // StateStopped, StateRunning or StateHidden
}

// appMeta is what the launcher reads from an installed version's files, once.
type appMeta struct {
	json *installer.AppJSON // nil when app.json cannot be read
	icon string
}

// maxIconBytes bounds the icon a tile shows.
const maxIconBytes = 64 << 10

// iconTypes are the pictures a tile may show, by extension.
var iconTypes = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}

// metaOf reads (or recalls) what the launcher shows of the version installed in dir.
func (s *Service) metaOf(dir string) *appMeta {
	s.mu.Lock()
	m := s.meta[dir]
	s.mu.Unlock()
	if m != nil {
		return m
	}
	m = &appMeta{}
	root, err := os.OpenRoot(dir) // nothing read leaves the app's folder
	if err != nil {
		s.log.Warn("launcher: reading an installed app", "dir", dir, "err", err)
		return m
	}
	defer root.Close()
	if m.json, err = installer.ReadAppJSON(root.FS()); err != nil {
		s.log.Warn("launcher: reading an installed app", "dir", dir, "err", err)
	} else {
		m.icon = iconURL(root, m.json.IconPath())
	}
	s.mu.Lock()
	s.meta[dir] = m
	s.mu.Unlock()
	return m
}

// forgetMeta drops what was read of versions no longer installed.
func (s *Service) forgetMeta(installed []registry.Installed) {
	keep := make(map[string]bool, len(installed))
	for _, in := range installed {
		keep[in.Path] = true
	}
	s.mu.Lock()
	for dir := range s.meta {
		if !keep[dir] {
			delete(s.meta, dir)
		}
	}
	s.mu.Unlock()
}

// iconURL reads the picture at name as a data: URL: a PNG, JPEG or SVG of at most
// maxIconBytes whose bytes are what its name says; else "".
func iconURL(root *os.Root, name string) string {
	mime := iconTypes[strings.ToLower(path.Ext(name))]
	if name == "" || mime == "" {
		return ""
	}
	f, err := root.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxIconBytes+1))
	if err != nil || len(raw) > maxIconBytes {
		return ""
	}
	if mime == "image/svg+xml" {
		if !bytes.Contains(raw, []byte("<svg")) {
			return ""
		}
	} else if http.DetectContentType(raw) != mime {
		return ""
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(raw)
}

// identityOf is the installed app's identity: what its data, decisions and standing are
// kept under (an unsigned twin of the same id is another app).
func identityOf(in *registry.Installed) identity.App { return identity.Signed(in.ID, in.Signer) }

// standing is how the trust store sees an installed app's signer now, as the launch
// check does: verified when its key is trusted (and not revoked), under that key's name.
func (s *Service) standing(in *registry.Installed) (verified bool, name string) {
	if in.Signer == "" {
		return false, ""
	}
	t, err := s.cfg.Installer.Trust().Check(bundle.KeyID(in.Signer))
	if err != nil || t.Status != trust.Trusted {
		return false, ""
	}
	return true, t.Key.Name
}

// permsApp is the app as the permission model sees it when it runs: decisions are kept
// under its identity, the id and the signer's key id (host.App.PermsApp).
func (s *Service) permsApp(in *registry.Installed, m *appMeta) perms.App {
	verified, name := s.standing(in)
	a := perms.App{ID: in.ID, Name: in.ID, Signer: in.Signer, Verified: verified, Claims: map[string]perms.Claim{}}
	if verified {
		a.PublisherName = name
	}
	if m.json != nil {
		a.Name = m.json.DisplayName(in.ID)
		a.Claims, _ = m.json.Claims()
	}
	return a
}

// appOf is the launcher's view of an installed app.
func (s *Service) appOf(in *registry.Installed) App {
	m := s.metaOf(in.Path)
	verified, name := s.standing(in)
	a := App{ID: in.ID, Identity: identityOf(in).Key(), Name: in.ID, Version: in.Version, Publisher: "unverified", Verified: verified,
		Icon: m.icon, Installed: in.Installed.UTC().Format(time.RFC3339), State: StateStopped}
	if verified {
		a.Publisher = name
		if name == "" {
			a.Publisher = "signed by " + in.Signer
		}
	}
	if m.json != nil {
		a.Name, a.Description = m.json.DisplayName(in.ID), m.json.Summary()
	}
	if in.Previous != nil {
		a.Previous = in.Previous.Version
	}
	if s.cfg.Runner != nil {
		a.State = s.cfg.Runner.State(in.ID)
	}
	s.mu.Lock()
	if v := s.updates[in.ID]; v != "" {
		if c, err := bundle.CompareVersions(v, in.Version); err == nil && c > 0 {
			a.Update = v
		}
	}
	s.mu.Unlock()
	return a
}
