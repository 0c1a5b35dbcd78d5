package launcher

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/perms"
)

// Details is what the launcher shows of one app: what it may do, what it stores, where
// it may connect, and what it did lately.
type Details struct {
	App          App               `json:"app"`
	Capabilities []CapabilityState `json:"capabilities"`
	Storage      StorageUse        `json:"storage"`
	Domains      Domains           `json:"domains"`
	Audit        []AuditLine       `json:"audit"` // newest first
}

// CapabilityState is one capability the app declares or has a decision about.
type CapabilityState struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Reason      string `json:"reason"`   // the app's, from app.json; "" when it does not declare it
	Decision    string `json:"decision"` // "granted", "once", "denied", or "" when not asked yet
}

// StorageUse is the app's use of its storage.
type StorageUse struct {
	Bytes int64 `json:"bytes"` // key names and values
	Limit int64 `json:"limit"`
	Keys  int   `json:"keys"` // how many keys it holds
}

// Domains are the servers the app declares, by API. One list in app.json
// (network.domains) serves every network API; there is no socket API yet.
type Domains struct {
	Request      []string `json:"request"`
	Socket       []string `json:"socket"`
	UploadFile   []string `json:"uploadFile"`
	DownloadFile []string `json:"downloadFile"`
}

// AuditLine is one line of the app's audit log.
type AuditLine struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	API        string    `json:"api"`
	Capability string    `json:"capability"`
	Decision   string    `json:"decision"`
	Reason     string    `json:"reason"` // why it was refused, or why it failed
}

// auditLines is how many of the app's audit lines Details shows.
const auditLines = 20

// details gathers the Details of an installed app.
func (s *Service) details(in *registry.Installed) (Details, error) {
	m := s.metaOf(in.Path)
	d := Details{App: s.appOf(in), Capabilities: []CapabilityState{}, Audit: []AuditLine{},
		Domains: Domains{Request: []string{}, Socket: []string{}, UploadFile: []string{}, DownloadFile: []string{}}}
	var err error
	if d.Capabilities, err = s.capabilities(in, m); err != nil {
		return Details{}, fmt.Errorf("details of %s: %w", in.ID, err)
	}
	st, err := s.cfg.Storage.App(identityOf(in).Key())
	if err != nil {
		return Details{}, fmt.Errorf("details of %s: %w", in.ID, err)
	}
	info, err := st.Info()
	if err != nil {
		return Details{}, fmt.Errorf("details of %s: %w", in.ID, err)
	}
	d.Storage = StorageUse{Bytes: info.CurrentSize, Limit: info.LimitSize, Keys: len(info.Keys)}
	if m.json != nil && m.json.Network != nil {
		for _, dom := range m.json.Network.Domains {
			d.Domains.Request = append(d.Domains.Request, dom)
		}
		d.Domains.UploadFile = append(d.Domains.UploadFile, d.Domains.Request...)
		d.Domains.DownloadFile = append(d.Domains.DownloadFile, d.Domains.Request...)
	}
	if d.Audit, err = s.auditOf(in.ID); err != nil {
		return Details{}, fmt.Errorf("details of %s: %w", in.ID, err)
	}
	return d, nil
}

// capabilities lists every capability the app declares, and every one it has a
// decision about, by name.
func (s *Service) capabilities(in *registry.Installed, m *appMeta) ([]CapabilityState, error) {
	pa := s.permsApp(in, m)
	decided := map[string]perms.Decision{}
	grants, err := s.cfg.Grants.List(in.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		if g.Signer == pa.Signer { // the decisions in force for this build of the app
			decided[g.Capability] = g.Decision
		}
	}
	if s.cfg.Perms != nil { // in force: the policy's say included
		inForce, err := s.cfg.Perms.Settings(pa)
		if err != nil {
			return nil, err
		}
		for cp, d := range inForce {
			decided[cp] = d
		}
	}
	names := map[string]bool{}
	for cp := range pa.Claims {
		names[cp] = true
	}
	for cp := range decided {
		names[cp] = true
	}
	out := make([]CapabilityState, 0, len(names))
	for name := range names {
		c := CapabilityState{Name: name, Title: name, Reason: pa.Claims[name].Reason}
		if cp, ok := perms.Lookup(name); ok {
			c.Title, c.Description = cp.Title, cp.Description
		}
		if d := decided[name]; d != perms.DecisionAsk {
			c.Decision = string(d)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// auditOf is the app's last auditLines audit lines, newest first.
func (s *Service) auditOf(id string) ([]AuditLine, error) {
	path := s.cfg.Audit.Path()
	if path == "" {
		path = s.cfg.Config.AuditPath()
	}
	entries, err := bridge.ReadAudit(path, bridge.Filter{App: id})
	if errors.Is(err, fs.ErrNotExist) {
		return []AuditLine{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]AuditLine, 0, min(len(entries), auditLines))
	for i := len(entries) - 1; i >= 0 && len(out) < auditLines; i-- {
		e := entries[i]
		reason := e.Reason
		if reason == "" {
			reason = e.Error
		}
		out = append(out, AuditLine{Time: e.Time, Kind: e.Kind, API: e.API, Capability: e.Capability, Decision: e.Decision, Reason: reason})
	}
	return out, nil
}
