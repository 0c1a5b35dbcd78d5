package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/internal/codecache"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/isolate"
	"github.com/sandframe/sandframe/monitor"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/render"
	"github.com/sandframe/sandframe/share"
	"github.com/sandframe/sandframe/storage"
)

// services are the host services one shell process shares between its mini-apps.
type services struct {
	cfg        configs.Config
	log        *slog.Logger
	audit      *bridge.AuditLog
	store      *perms.Store
	policy     perms.Policy
	perms      *perms.Manager
	prompts    *host.Prompts
	monitor    *monitor.Monitor
	quarantine *monitor.Quarantine
	sessions   *host.Sessions
	network    *netapi.Client
	images     *netapi.Images
	storage    *storage.Store
	shares     *share.Store
	files      *files.Store
	code       *codecache.Cache // the disk level of the code cache (nil: off)
}

// loadConfig reads the configuration with the flags that override it applied.
func loadConfig(g *globals, set func(v interface{ Set(string, any) })) (configs.Config, error) {
	v, err := configs.NewViper(g.configFile)
	if err != nil {
		return configs.Config{}, badInput(err)
	}
	if g.logLevel != "" {
		v.Set("log.level", g.logLevel)
	}
	if set != nil {
		set(v)
	}
	cfg, err := configs.Load(v)
	if err != nil {
		return cfg, badInput(err)
	}
	// Every window of this process (launcher, apps, DevTools) is made after this.
	if err := render.SetAcceleration(cfg.Window.Acceleration); err != nil {
		return cfg, badInput(err)
	}
	return cfg, nil
}

// policyOf maps the config's permissions section onto the permission model's policy.
// A per-app entry names an app as the CLI does (ID: the installed app of that id, else
// the unverified one; ID@unverified; ID@KEYID): the policy keys it by that identity, so
// an unsigned twin of a configured signed app gets none of its rules.
func policyOf(cfg configs.Config) (perms.Policy, error) {
	c := cfg.Permissions
	p := perms.Policy{Allow: c.Allow, Deny: c.Deny, Prompts: c.Prompts, Apps: map[string]perms.AppPolicy{}}
	resolve := identity.Resolver{Installed: installedSigner(cfg)}
	for _, a := range c.Apps {
		id, err := resolve.Resolve(a.ID)
		if err != nil {
			return p, badInput(fmt.Errorf("config: permissions.apps: %w", err))
		}
		p.Apps[id.Key()] = perms.AppPolicy{Allow: a.Allow, Deny: a.Deny, Prompts: a.Prompts}
	}
	if err := p.Validate(); err != nil {
		return p, badInput(fmt.Errorf("config: permissions: %w", err))
	}
	return p, nil
}

// openServices opens the stores and starts the monitor; close undoes it.
func openServices(cfg configs.Config, log *slog.Logger) (*services, error) {
	s := &services{cfg: cfg, log: log, sessions: host.NewSessions()}
	var err error
	if s.policy, err = policyOf(cfg); err != nil {
		return nil, err
	}
	if _, err := host.RateLimits(cfg); err != nil {
		return nil, badInput(err)
	}
	if s.audit, err = bridge.OpenAuditLog(bridge.AuditConfig{Path: cfg.AuditPath(), MaxSizeMB: cfg.Audit.MaxSizeMB, MaxBackups: cfg.Audit.Backups}); err != nil {
		return nil, err
	}
	if err := s.openStores(); err != nil {
		s.close()
		return nil, err
	}
	fallback := perms.PolicyPrompter{Policy: s.policy}
	var prompter perms.Prompter = fallback
	if cfg.Permissions.Prompt == "ask" {
		s.prompts = host.NewPrompts(fallback)
		prompter = s.prompts
	}
	s.perms = perms.NewManager(perms.Config{Store: s.store, Policy: s.policy, Prompter: prompter, Logger: log})
	m := cfg.Monitor
	s.monitor = monitor.New(monitor.Config{
		Budgets: monitor.Budgets{
			TaskCPU: m.TaskCPU, HeapBytes: m.HeapBytes, RenderBytes: m.RenderBytes,
			DeniedPer:      monitor.Window{Count: m.Denied.Count, Every: m.Denied.Every},
			RateLimitedPer: monitor.Window{Count: m.RateLimited.Count, Every: m.RateLimited.Every},
			ViolationsPer:  monitor.Window{Count: m.Violations.Count, Every: m.Violations.Every},
		},
		SampleEvery: m.SampleEvery, Quarantine: s.quarantine, Terminator: s.sessions, Logger: log,
	})
	s.monitor.Start()
	return s, nil
}

// hostOptions are the session options that come from the shared services.
func (s *services) hostOptions() host.Options {
	return host.Options{
		Config: s.cfg, Logger: s.log, Audit: s.audit, Version: version,
		Perms: s.perms, Prompts: s.prompts, Monitor: s.monitor, Quarantine: s.quarantine, Sessions: s.sessions,
		Network: s.network, Images: s.images, Storage: s.storage, Shares: s.shares, Files: s.files, Identities: identities(s.cfg),
		ChildExe: childExe(), ChildArgs: []string{isolate.ChildArg},
	}
}

// LogicBinary is the program that serves isolated logic, installed beside the shell
// (cmd/shell-logic).
const LogicBinary = "shell-logic"

// childExe is the program a logic child runs, started with isolate.ChildArg: shell-logic
// beside this binary, which starts in a fraction of the time and memory this one does
// (it links no GTK or WebKit), or else this binary itself, which serves the child too.
func childExe() string {
	exe, err := os.Executable()
	if err != nil {
		return os.Args[0]
	}
	return childExeBeside(exe)
}

// childExeBeside is shell-logic beside the shell binary exe, or exe.
func childExeBeside(exe string) string {
	if logic := filepath.Join(filepath.Dir(exe), LogicBinary); isExecutable(logic) {
		return logic
	}
	return exe
}

// isExecutable reports whether path is a regular file someone may execute.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func (s *services) close() error {
	var errs []error
	if s.monitor != nil {
		s.monitor.Stop()
	}
	if s.network != nil {
		s.network.Close()
	}
	if s.images != nil {
		s.images.Close()
	}
	for _, c := range []interface{ Close() error }{s.shares, s.storage, s.quarantine, s.store, s.audit} {
		if c != nil && !isNil(c) {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// isNil reports whether a typed nil hides in the interface.
func isNil(c interface{ Close() error }) bool {
	switch v := c.(type) {
	case *monitor.Quarantine:
		return v == nil
	case *perms.Store:
		return v == nil
	case *bridge.AuditLog:
		return v == nil
	case *storage.Store:
		return v == nil
	case *share.Store:
		return v == nil
	}
	return false
}
