package launcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/bridge"
	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/profile"
)

// call is one request being handled: what its audit line says.
type call struct {
	op         string
	app        string // the app acted on; "" for the launcher itself
	capability string
	unchanged  bool // a changing operation that changed nothing (a cancelled chooser)
}

// op runs one operation. changes: its outcome is audited.
type op struct {
	run     func(s *Service, ctx context.Context, c *call, args json.RawMessage) (any, error)
	changes bool
}

var ops map[string]op

func init() {
	ops = map[string]op{
		"apps.list":          {run: (*Service).appsList},
		"app.launch":         {run: (*Service).appLaunch},
		"app.close":          {run: (*Service).appClose},
		"app.details":        {run: (*Service).appDetails},
		"perm.revoke":        {run: (*Service).permRevoke, changes: true},
		"perm.reset":         {run: (*Service).permReset, changes: true},
		"storage.clear":      {run: (*Service).storageClear, changes: true},
		"app.update":         {run: (*Service).appUpdate, changes: true},
		"app.rollback":       {run: (*Service).appRollback, changes: true},
		"app.uninstall":      {run: (*Service).appUninstall, changes: true},
		"install.pick":       {run: (*Service).installPick},
		"install.inspect":    {run: (*Service).installInspect},
		"install.file":       {run: (*Service).installFile, changes: true},
		"catalog.list":       {run: (*Service).catalogList},
		"catalog.install":    {run: (*Service).catalogInstall, changes: true},
		"profile.get":        {run: (*Service).profileGet},
		"profile.set":        {run: (*Service).profileSet, changes: true},
		"profile.pickAvatar": {run: (*Service).profilePickAvatar, changes: true},
	}
}

// Handle runs one request and returns its result. A request that names no operation,
// or whose arguments are wrong, is refused and audited; an operation that changes
// something is audited with its outcome (app = the app it acted on, window "launcher").
func (s *Service) Handle(ctx context.Context, req bridge.LauncherRequest) (any, error) {
	o, ok := ops[req.Op]
	if !ok {
		err := fmt.Errorf("unknown operation %q", req.Op)
		s.refuse("", req.Op, err)
		return nil, err
	}
	c := &call{op: req.Op}
	res, err := o.run(s, ctx, c, req.Args)
	var ae *argError
	switch {
	case errors.As(err, &ae):
		s.refuse("", req.Op, err)
	case o.changes && !c.unchanged:
		e := bridge.AuditEntry{App: c.app, Window: "launcher", Kind: string(bridge.KindLauncher), API: req.Op,
			Capability: c.capability, Decision: bridge.DecisionOK}
		if e.App == "" {
			e.App = "launcher"
		}
		if err != nil {
			e.Decision, e.Error = bridge.DecisionError, err.Error()
		}
		s.record(e)
	}
	if err != nil {
		s.log.Info("launcher: operation failed", "op", req.Op, "app", c.app, "err", err)
		return nil, err
	}
	return res, nil
}

// idArgs are the arguments of the operations on one app.
type idArgs struct {
	ID string `json:"id"`
}

// appArg decodes {"id"} and returns the installed app it names.
func (s *Service) appArg(c *call, args json.RawMessage, verb string) (*registry.Installed, error) {
	a, err := c.idArgs(args)
	if err != nil {
		return nil, err
	}
	return s.installed(verb, a.ID)
}

// installed returns the installed app id; the error says what could not be done.
func (s *Service) installed(verb, id string) (*registry.Installed, error) {
	reg, err := s.cfg.Installer.OpenRegistry()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", verb, id, err)
	}
	defer reg.Close()
	in, err := reg.Get(id)
	if errors.Is(err, registry.ErrNotInstalled) {
		return nil, fmt.Errorf("%s %s: not installed", verb, id)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", verb, id, err)
	}
	return in, nil
}

// noArgs checks that a request has no arguments.
func noArgs(c *call, args json.RawMessage) error {
	return decodeArgs(c.op, args, &struct{}{})
}

// AppsList is the answer to apps.list.
type AppsList struct {
	Apps    []App           `json:"apps"`
	Profile profile.Profile `json:"profile"`
	Catalog string          `json:"catalog"` // the catalog the launcher browses, or ""
}

func (s *Service) appsList(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	if err := noArgs(c, args); err != nil {
		return nil, err
	}
	list, err := s.cfg.Installer.Installed()
	if err != nil {
		return nil, err
	}
	s.forgetMeta(list)
	out := AppsList{Apps: make([]App, 0, len(list)), Catalog: s.catalogURL()}
	for i := range list {
		out.Apps = append(out.Apps, s.appOf(&list[i]))
	}
	if out.Profile, err = s.loadProfile(); err != nil {
		// A damaged profile file must not hide the apps: show the fallback, say why.
		s.log.Warn("launcher: reading the profile", "err", err)
		out.Profile = s.fallbackProfile()
	}
	return out, nil
}

func (s *Service) appLaunch(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, err := s.appArg(c, args, "launch")
	if err != nil {
		return nil, err
	}
	if s.cfg.Runner == nil {
		return nil, fmt.Errorf("launch %s: this shell runs no apps from the launcher", in.ID)
	}
	if err := s.cfg.Runner.Launch(ctx, in.ID); err != nil {
		return nil, fmt.Errorf("launch %s: %w", in.ID, err)
	}
	s.Emit(EventAppsChanged, nil)
	return struct{}{}, nil
}

func (s *Service) appClose(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	a, err := c.idArgs(args)
	if err != nil {
		return nil, err
	}
	if err := s.stop(a.ID); err != nil {
		return nil, fmt.Errorf("close %s: %w", a.ID, err)
	}
	s.Emit(EventAppsChanged, nil)
	return struct{}{}, nil
}

// stop stops the app if it runs or is hidden.
func (s *Service) stop(id string) error {
	if s.cfg.Runner == nil || s.cfg.Runner.State(id) == StateStopped {
		return nil
	}
	return s.cfg.Runner.Stop(id)
}

// replaced stops an app whose installed version just changed, so its next launch runs
// the new one (its old files may be gone).
func (s *Service) replaced(id string) {
	if err := s.stop(id); err != nil {
		s.log.Warn("launcher: stopping an app after its version changed", "app", id, "err", err)
	}
}

func (s *Service) appDetails(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, err := s.appArg(c, args, "details of")
	if err != nil {
		return nil, err
	}
	return s.details(in)
}

type capArgs struct {
	ID         string `json:"id"`
	Capability string `json:"capability"`
}

// capArg decodes {"id", "capability"} (capability optional when optional).
func (s *Service) capArg(c *call, args json.RawMessage, verb string, optional bool) (*registry.Installed, string, error) {
	var a capArgs
	if err := decodeArgs(c.op, args, &a); err != nil {
		return nil, "", err
	}
	if err := appID(c.op, a.ID); err != nil {
		return nil, "", err
	}
	if a.Capability != "" || !optional {
		if err := capabilityName(c.op, a.Capability); err != nil {
			return nil, "", err
		}
	}
	c.app, c.capability = a.ID, a.Capability
	in, err := s.installed(verb, a.ID)
	return in, a.Capability, err
}

func (s *Service) permRevoke(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, capability, err := s.capArg(c, args, "revoke from", false)
	if err != nil {
		return nil, err
	}
	pa := s.permsApp(in, s.metaOf(in.Path))
	if s.cfg.Perms != nil {
		err = s.cfg.Perms.Revoke(pa, capability)
	} else {
		err = s.cfg.Grants.Set(pa.ID, pa.Signer, capability, perms.DecisionDenied)
	}
	if err != nil {
		return nil, fmt.Errorf("revoke %s from %s: %w", capability, in.ID, err)
	}
	return s.details(in)
}

func (s *Service) permReset(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, capability, err := s.capArg(c, args, "reset the permissions of", true)
	if err != nil {
		return nil, err
	}
	if capability == "" {
		err = s.cfg.Grants.ResetIdentity(identityOf(in))
	} else {
		err = s.cfg.Grants.Forget(in.ID, capability)
	}
	if err != nil {
		return nil, fmt.Errorf("reset the permissions of %s: %w", in.ID, err)
	}
	return s.details(in)
}

func (s *Service) storageClear(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, err := s.appArg(c, args, "clear the storage of")
	if err != nil {
		return nil, err
	}
	if err := s.appData().Wipe(ctx, identityOf(in), appdata.Data); err != nil {
		return nil, fmt.Errorf("clear the storage of %s: %w", in.ID, err)
	}
	return s.details(in)
}

// appData is the list clearing an app goes through: the integrator's, else the
// stores the service was given.
func (s *Service) appData() appdata.List {
	if s.cfg.AppData != nil {
		return s.cfg.AppData
	}
	l := appdata.List{s.cfg.Storage.AppData(), login.AppData(s.cfg.Storage)}
	if s.cfg.Shares != nil {
		l = append(l, s.cfg.Shares.AppData())
	}
	return l
}

func (s *Service) appUpdate(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	in, err := s.appArg(c, args, "update")
	if err != nil {
		return nil, err
	}
	if s.catalogURL() == "" {
		return nil, fmt.Errorf("update %s: no catalog is set (launcher.catalog in shell.yaml)", in.ID)
	}
	next, err := s.cfg.Installer.Update(ctx, s.catalogURL(), s.channel(), in.ID, s.progress(c))
	if errors.Is(err, registry.ErrSignerChanged) {
		return nil, fmt.Errorf("update %s: %s", in.ID, installer.SignerChangeProblem)
	}
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", in.ID, err)
	}
	if next == nil {
		return nil, fmt.Errorf("update %s: %s is the newest version the catalog has", in.ID, in.Version)
	}
	return s.changedTo(next), nil
}

// changedTo finishes an operation that installed next: the app is stopped if it ran,
// the page told, and the app's view returned.
func (s *Service) changedTo(next *registry.Installed) App {
	s.replaced(next.ID)
	s.Emit(EventAppsChanged, nil)
	return s.appOf(next)
}

func (s *Service) appRollback(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	a, err := c.idArgs(args)
	if err != nil {
		return nil, err
	}
	reg, err := s.cfg.Installer.OpenRegistry()
	if err != nil {
		return nil, fmt.Errorf("rollback %s: %w", a.ID, err)
	}
	defer reg.Close()
	in, err := reg.Rollback(a.ID)
	if err != nil {
		return nil, err // "rollback ID: ..." already
	}
	return s.changedTo(in), nil
}

func (s *Service) appUninstall(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	a, err := c.idArgs(args)
	if err != nil {
		return nil, err
	}
	if err := s.stop(a.ID); err != nil {
		return nil, fmt.Errorf("uninstall %s: stopping it: %w", a.ID, err)
	}
	reg, err := s.cfg.Installer.OpenRegistry()
	if err != nil {
		return nil, fmt.Errorf("uninstall %s: %w", a.ID, err)
	}
	defer reg.Close()
	err = reg.Uninstall(a.ID)
	if errors.Is(err, registry.ErrNotInstalled) {
		return nil, fmt.Errorf("uninstall %s: not installed", a.ID)
	}
	if err != nil {
		return nil, err // "uninstall ID: ..." already
	}
	s.mu.Lock()
	delete(s.updates, a.ID)
	s.mu.Unlock()
	if left, err := reg.List(); err == nil {
		s.forgetMeta(left) // what was read of its versions (their folders name it)
	}
	s.Emit(EventAppsChanged, nil)
	return struct{}{}, nil
}

// Picked is the answer to install.pick.
type Picked struct {
	Path      string `json:"path,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
}

func (s *Service) installPick(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	if err := noArgs(c, args); err != nil {
		return nil, err
	}
	path, err := s.pick(ctx, "Install a mini-app", []string{"*.sfa"})
	if err != nil || path == "" {
		return Picked{Cancelled: path == ""}, err
	}
	s.choose(path)
	return Picked{Path: path}, nil
}

// pick asks the user for a file; "" when cancelled.
func (s *Service) pick(ctx context.Context, title string, patterns []string) (string, error) {
	if s.cfg.Picker == nil {
		return "", errors.New("no file chooser is available")
	}
	path, err := s.cfg.Picker.PickFile(ctx, title, patterns)
	if err != nil {
		return "", fmt.Errorf("file chooser: %w", err)
	}
	return path, nil
}

type pathArgs struct {
	Path     string `json:"path"`
	Sideload bool   `json:"sideload"`
}

func (s *Service) installInspect(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	var a struct {
		Path string `json:"path"`
	}
	if err := decodeArgs(c.op, args, &a); err != nil {
		return nil, err
	}
	if err := s.chosenPath(c.op, a.Path); err != nil {
		return nil, err
	}
	return s.cfg.Installer.Inspect(a.Path)
}

func (s *Service) installFile(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	var a pathArgs
	if err := decodeArgs(c.op, args, &a); err != nil {
		return nil, err
	}
	if err := s.chosenPath(c.op, a.Path); err != nil {
		return nil, err
	}
	in, err := s.cfg.Installer.InstallFile(a.Path, installer.Options{Sideload: a.Sideload, Source: a.Path, Progress: s.progress(c)})
	if errors.Is(err, registry.ErrSignerChanged) { // no override here: see installer.SignerChangeProblem
		return nil, fmt.Errorf("install %s: %s", a.Path, installer.SignerChangeProblem)
	}
	if installer.IsInput(err) {
		return nil, fmt.Errorf("install %w", err) // it names the file: "install PATH: why"
	}
	if err != nil {
		return nil, fmt.Errorf("install %s: %w", a.Path, err)
	}
	return s.changedTo(in), nil
}

// CatalogApp is one app of the catalog, as catalog.list shows it.
type CatalogApp struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Version     string `json:"version"`
	Publisher   string `json:"publisher"`   // the installed version's publisher, or "" (the index does not say)
	Description string `json:"description"` // the installed version's description, or ""
	Installed   string `json:"installed"`   // the version installed, or ""
	Update      bool   `json:"update"`      // Version is newer than the installed one
}

// CatalogList is the answer to catalog.list.
type CatalogList struct {
	URL  string       `json:"url"`
	Apps []CatalogApp `json:"apps"`
}

func (s *Service) catalogList(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	if err := noArgs(c, args); err != nil {
		return nil, err
	}
	out := CatalogList{URL: s.catalogURL(), Apps: []CatalogApp{}}
	if out.URL == "" {
		return out, nil
	}
	offered, err := s.cfg.Installer.Browse(ctx, out.URL, s.channel())
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Installer.Installed()
	if err != nil {
		return nil, err
	}
	installed := map[string]App{}
	for i := range list {
		installed[list[i].ID] = s.appOf(&list[i])
	}
	updates := map[string]string{}
	for _, l := range offered {
		ca := CatalogApp{ID: l.ID, Name: l.Name, Version: l.Version}
		if a, ok := installed[l.ID]; ok {
			ca.Publisher, ca.Description, ca.Installed = a.Publisher, a.Description, a.Version
			if newer(l.Version, a.Version) {
				ca.Update = true
				updates[l.ID] = l.Version
			}
		}
		out.Apps = append(out.Apps, ca)
	}
	if s.setUpdates(updates) {
		s.Emit(EventAppsChanged, nil)
	}
	return out, nil
}

func (s *Service) catalogInstall(ctx context.Context, c *call, args json.RawMessage) (any, error) {
	a, err := c.idArgs(args)
	if err != nil {
		return nil, err
	}
	if s.catalogURL() == "" {
		return nil, fmt.Errorf("install %s: no catalog is set (launcher.catalog in shell.yaml)", a.ID)
	}
	in, err := s.cfg.Installer.InstallFromCatalog(ctx, s.catalogURL(), a.ID, s.channel(), installer.Options{Progress: s.progress(c)})
	if err != nil {
		return nil, fmt.Errorf("install %s: %w", a.ID, err)
	}
	return s.changedTo(in), nil
}

// progressEvery is the least time between two install.progress events of one install
// (a stage's start and end are always sent).
const progressEvery = 100 * time.Millisecond

// progress sends an install's steps to the page as install.progress events, and notes
// the app the install turned out to be for the audit line.
func (s *Service) progress(c *call) installer.Progress {
	var mu sync.Mutex
	var last installer.Step
	var at time.Time
	return func(st installer.Step) {
		mu.Lock()
		if st.App != "" && c.app == "" {
			c.app = st.App
		}
		boundary := st.Stage != last.Stage || st.Done == 0 || (st.Total > 0 && st.Done >= st.Total)
		if !boundary && time.Since(at) < progressEvery {
			mu.Unlock()
			return
		}
		last, at = st, time.Now()
		mu.Unlock()
		s.Emit(EventInstallProgress, map[string]any{"id": st.App, "stage": st.Stage, "done": st.Done, "total": st.Total})
	}
}

// newer reports whether version a is higher than b.
func newer(a, b string) bool {
	c, err := bundle.CompareVersions(a, b)
	return err == nil && c > 0
}
