// Package installer is the install flow the CLI and the launcher share: a bundle file is
// opened and verified (format, digests, signature), checked against the security
// definitions and linted, then handed to the install registry; a catalog's release is
// downloaded into the cache first; Inspect says what installing a bundle would do without
// writing anything; Updates says which installed apps a catalog has newer releases of.
package installer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
)

// Config is what the install flow needs from the shell. The CLI and the launcher map the
// shell's config onto it.
type Config struct {
	// OpenRegistry opens the install registry (its OnUninstall wipes an app's data). Each
	// operation opens it and closes it when done.
	OpenRegistry func() (*registry.Registry, error)
	Trust        *trust.Store // who may sign what is installed; names publishers
	// Defs returns the security definitions in force, nil when there are none yet; nil
	// Defs: no definitions are checked.
	Defs         func() (*lint.Definitions, error)
	Block        []lint.Severity // lint findings of these severities refuse an install
	CacheDir     string          // downloads by URL go here, catalog bundles under CacheDir/bundles
	MachineID    func() string   // this machine's rollout identity (MachineID), asked when a catalog is; nil: none
	ShellVersion string          // this shell's version, for releases' minShell ("": not checked)
	HTTP         *http.Client    // nil: a client with no overall timeout (ctx bounds each call)
	// Bar, when set, gets a terminal progress bar per download (the CLI's stderr).
	Bar    io.Writer
	Logger *slog.Logger // nil: slog.Default()
}

// Installer runs installs. Safe for concurrent use; installs of one app are serialized
// by the registry.
type Installer struct {
	cfg Config
	log *slog.Logger
}

// New makes an Installer. It panics without OpenRegistry or Trust (a wiring bug).
func New(cfg Config) *Installer {
	if cfg.OpenRegistry == nil || cfg.Trust == nil {
		panic("installer: New without OpenRegistry or Trust")
	}
	in := &Installer{cfg: cfg, log: cfg.Logger}
	if in.log == nil {
		in.log = slog.Default()
	}
	return in
}

// OpenRegistry opens the install registry as configured; the caller closes it.
func (in *Installer) OpenRegistry() (*registry.Registry, error) { return in.cfg.OpenRegistry() }

// Installed lists the installed apps, holding the registry only as long as that takes.
func (in *Installer) Installed() ([]registry.Installed, error) {
	reg, err := in.cfg.OpenRegistry()
	if err != nil {
		return nil, err
	}
	defer reg.Close()
	return reg.List()
}

// Trust is the trust store the installer checks signers against.
func (in *Installer) Trust() *trust.Store { return in.cfg.Trust }

// Stages of an install, in the order progress reports them.
const (
	StageDownload = "download" // bytes arriving from a catalog or URL
	StageVerify   = "verify"   // signature, trust, security definitions, lint
	StageInstall  = "install"  // files put in place and the registry switched
)

// Step is one progress report.
type Step struct {
	App   string // the app's id; "" while it is not known yet (a download by URL)
	Stage string // StageDownload, StageVerify or StageInstall
	// Done and Total count bytes for a download (Total 0 when unknown); the other stages
	// report 0 of 1 as they start and 1 of 1 when done.
	Done, Total int64
}

// Progress receives the steps of one install. It is called on the installing goroutine.
type Progress func(Step)

func (p Progress) report(app, stage string, done, total int64) {
	if p != nil {
		p(Step{App: app, Stage: stage, Done: done, Total: total})
	}
}

// Options say what one install may do beyond the safe default.
type Options struct {
	Sideload       bool // a bundle no trusted key signed may be installed, marked unverified
	AllowDowngrade bool // a version older than the installed one may replace it
	// AllowSignerChange lets a bundle not signed by the key the app id is pinned to be
	// installed, wiping the app's data first (registry.InstallOptions.AllowSignerChange);
	// OnSignerChange is told when that happened.
	AllowSignerChange bool
	OnSignerChange    func(old []identity.App, next identity.App)
	Source            string // where the bundle came from, recorded by the registry
	Progress          Progress
}

// InputError is a refusal caused by what was asked for (a bad bundle, a refused install,
// a bad path or URL), not by the shell: the CLI exits with status 2 on it. Its message is
// its cause's.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// IsInput reports whether err is an InputError.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

func badInput(err error) error { return &InputError{err} }

// readBundle reads and opens the bundle at path: format, every file's digest, the
// signature (not yet whether its key is trusted).
func readBundle(path string) ([]byte, *bundle.Bundle, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, badInput(err)
	}
	b, err := bundle.Open(bytes.NewReader(raw), int64(len(raw)), bundle.DefaultLimits())
	if err != nil {
		return nil, nil, badInput(fmt.Errorf("%s: %w", path, err))
	}
	return raw, b, nil
}

// defs are the security definitions in force, or nil.
func (in *Installer) defs() (*lint.Definitions, error) {
	if in.cfg.Defs == nil {
		return nil, nil
	}
	return in.cfg.Defs()
}

// check runs the checks beyond the bundle's own: its signer revoked by the security
// definitions, and blocking lint findings. It returns how many findings block.
func (in *Installer) check(b *bundle.Bundle) (revoked bool, blocking int, err error) {
	defs, err := in.defs()
	if err != nil {
		return false, 0, err
	}
	if defs != nil && defs.SignerRevoked(string(b.Manifest.Signer)) {
		return true, 0, nil
	}
	findings, err := lint.Run(b.FS(), lint.Config{Defs: defs})
	if err != nil {
		return false, 0, err
	}
	return false, len(lint.Blocking(findings, in.cfg.Block)), nil
}

// InstallFile verifies and lints the bundle at path and installs it. A refusal (an
// unreadable or invalid bundle, a revoked or untrusted signer, blocking lint findings, a
// downgrade, ...) is an *InputError naming the file; nothing is written then.
func (in *Installer) InstallFile(path string, o Options) (*registry.Installed, error) {
	raw, b, err := readBundle(path)
	if err != nil {
		return nil, err
	}
	m := b.Manifest
	o.Progress.report(m.AppID, StageVerify, 0, 1)
	revoked, blocking, err := in.check(b)
	if err != nil {
		return nil, err
	}
	if revoked {
		return nil, badInput(fmt.Errorf("%s: its publisher's key %s is revoked by the security definitions", path, m.Signer))
	}
	if blocking > 0 {
		return nil, badInput(fmt.Errorf("%s: %d blocking lint findings (see shell lint %s)", path, blocking, path))
	}
	o.Progress.report(m.AppID, StageVerify, 1, 1)
	o.Progress.report(m.AppID, StageInstall, 0, 1)
	reg, err := in.cfg.OpenRegistry()
	if err != nil {
		return nil, err
	}
	defer reg.Close()
	inst, err := reg.Install(bytes.NewReader(raw), int64(len(raw)),
		registry.InstallOptions{AllowDowngrade: o.AllowDowngrade, Sideload: o.Sideload, Source: o.Source,
			AllowSignerChange: o.AllowSignerChange, OnSignerChange: o.OnSignerChange})
	if err != nil {
		return nil, badInput(fmt.Errorf("%s: %w", path, err))
	}
	// Subpackage bundles beside a sideloaded core (as shell pack writes them) are
	// installed with it; the others are fetched from the catalog when first needed.
	for _, sp := range m.Subpackages {
		sub, err := os.ReadFile(bundle.SubpackageFile(path, sp.Root))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = reg.InstallSubpackage(m.AppID, m.Version, bytes.NewReader(sub), int64(len(sub)))
		}
		if err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", bundle.SubpackageFile(path, sp.Root), err))
		}
	}
	o.Progress.report(m.AppID, StageInstall, 1, 1)
	return inst, nil
}

// PublisherOf names who signed an app for a person: the name its key is trusted under,
// else "signed by KEY", or "unverified" for a sideloaded app.
func PublisherOf(ts *trust.Store, signer string, verified bool) string {
	if !verified {
		return "unverified"
	}
	if ts != nil {
		if t, err := ts.Check(bundle.KeyID(signer)); err == nil && t.Key.Name != "" {
			return t.Key.Name
		}
	}
	return "signed by " + signer
}
