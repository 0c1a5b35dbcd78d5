// Package configs holds Sandframe's default configuration (shell.yaml, embedded) and the
// typed, validated configuration the rest of the shell reads.
package configs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/viper"
)

//go:embed shell.yaml
var defaultYAML []byte

// DefaultYAML is the embedded default configuration.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Config is the whole shell configuration.
type Config struct {
	Log         Log         `mapstructure:"log"`
	Paths       Paths       `mapstructure:"paths"`
	Window      Window      `mapstructure:"window"`
	Bridge      Bridge      `mapstructure:"bridge"`
	Logic       Logic       `mapstructure:"logic"`
	System      System      `mapstructure:"system"`
	Profile     Profile     `mapstructure:"profile"`
	Location    Location    `mapstructure:"location"`
	Permissions Permissions `mapstructure:"permissions"`
	Gateway     Gateway     `mapstructure:"gateway"`
	Audit       Audit       `mapstructure:"audit"`
	Network     Network     `mapstructure:"network"`
	Images      Images      `mapstructure:"images"`
	Monitor     Monitor     `mapstructure:"monitor"`
	Isolation   Isolation   `mapstructure:"isolation"`
	Storage     Storage     `mapstructure:"storage"`
	Lint        Lint        `mapstructure:"lint"`
	Kiosk       Kiosk       `mapstructure:"kiosk"`
	Launcher    Launcher    `mapstructure:"launcher"`
	CodeCache   CodeCache   `mapstructure:"codeCache"`
}

// CodeCache is the disk level of the code cache (compiled templates, styles and
// transformed JavaScript under $XDG_CACHE_HOME/sandframe/code; docs/performance.md).
type CodeCache struct {
	MaxBytes int64 `mapstructure:"maxBytes"` // its bound (least recently used entries go first); 0: no disk cache
}

// Launcher is the home window (shell with no command).
type Launcher struct {
	Width      int           `mapstructure:"width"`
	Height     int           `mapstructure:"height"`
	KeepHidden time.Duration `mapstructure:"keepHidden"` // a closed app window's app is stopped after this
	Catalog    string        `mapstructure:"catalog"`    // the catalog the launcher browses ("" : none)
	Channel    string        `mapstructure:"channel"`
	// Prewarm is how many mini-app windows the launcher keeps made ahead, document and
	// render runtime loaded, and as many spare logic children, started and warmed with
	// nothing of any app (0 or 1; docs/performance.md, docs/isolate.md). The kiosk runs
	// one app in a window of its own and keeps none.
	Prewarm int `mapstructure:"prewarm"`
}

// Kiosk locks a machine to one app (shell kiosk).
type Kiosk struct {
	App           string        `mapstructure:"app"`
	PIN           string        `mapstructure:"pin"`
	IdleWipe      time.Duration `mapstructure:"idleWipe"`
	MaxRestarts   int           `mapstructure:"maxRestarts"`
	RestartWindow time.Duration `mapstructure:"restartWindow"`
	StatusFile    string        `mapstructure:"statusFile"`
}

// Lint says which static-analysis findings stop pack, install and launch.
type Lint struct {
	Block []string `mapstructure:"block"` // severities: error, warning, info
}

// Storage limits each app's encrypted namespace (WeChat's: 1 MiB a key, 10 MiB an app).
type Storage struct {
	MaxKeyBytes int   `mapstructure:"maxKeyBytes"`
	MaxAppBytes int64 `mapstructure:"maxAppBytes"`
}

// Permissions is the admin policy over capabilities and APIs, and how prompts are
// answered. Per-app entries are a list because app ids contain dots.
type Permissions struct {
	Prompt  string           `mapstructure:"prompt"`  // "ask": a trusted dialog asks the user; "policy": answered by Prompts
	Prompts string           `mapstructure:"prompts"` // without a person: "deny", "allow-once" or "allow"
	Allow   []string         `mapstructure:"allow"`
	Deny    []string         `mapstructure:"deny"`
	Apps    []AppPermissions `mapstructure:"apps"`
}

// AppPermissions is the policy for one app.
type AppPermissions struct {
	ID      string   `mapstructure:"id"`
	Allow   []string `mapstructure:"allow"`
	Deny    []string `mapstructure:"deny"`
	Prompts string   `mapstructure:"prompts"`
}

// Gateway holds the API call rates: a token bucket per app and rate class, and per-API
// overrides. Local APIs have no rate; the classes are the keys of shell.yaml, so a
// misspelt one is an unknown setting.
type Gateway struct {
	Classes map[string]RateLimit `mapstructure:"classes"`
	APIs    []RateLimitA         `mapstructure:"apis"`
}

// RateLimit is a token bucket: Rate tokens a second, at most Burst at once.
type RateLimit struct {
	Rate  float64 `mapstructure:"rate"`
	Burst int     `mapstructure:"burst"`
}

// RateLimitA is the bucket of one API.
type RateLimitA struct {
	Name  string  `mapstructure:"name"`
	Rate  float64 `mapstructure:"rate"`
	Burst int     `mapstructure:"burst"`
}

// validate names the first class or API whose rate or burst is out of range.
func (g Gateway) validate() error {
	names := make([]string, 0, len(g.Classes))
	for name := range g.Classes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := g.Classes[name].validate("gateway.classes." + name); err != nil {
			return err
		}
	}
	for i, a := range g.APIs {
		field := fmt.Sprintf("gateway.apis[%d]", i)
		if a.Name == "" {
			return fmt.Errorf("config: %s.name: missing", field)
		}
		if err := (RateLimit{Rate: a.Rate, Burst: a.Burst}).validate(field); err != nil {
			return err
		}
	}
	return nil
}

func (r RateLimit) validate(field string) error {
	if !(r.Rate > 0) || math.IsInf(r.Rate, 0) {
		return fmt.Errorf("config: %s.rate: %v is not a positive number of calls a second", field, r.Rate)
	}
	if r.Burst < 1 {
		return fmt.Errorf("config: %s.burst: %d is less than 1", field, r.Burst)
	}
	return nil
}

// Audit sets how the audit log rotates.
type Audit struct {
	MaxSizeMB int `mapstructure:"maxSizeMB"`
	Backups   int `mapstructure:"backups"`
}

// Network bounds wx.request.
type Network struct {
	Timeout          time.Duration `mapstructure:"timeout"`
	MaxResponseBytes int64         `mapstructure:"maxResponseBytes"`
	DevMode          bool          `mapstructure:"devMode"` // plain http to loopback allowed
}

// minRenderBytes is the least monitor.renderBytes: below it an app's web process would
// pass its budget before its page showed anything.
const minRenderBytes = 512 << 20

// Images governs remote images (<image src="https://...">, WXSS url(https://...)): the
// page has no network, so the shell fetches them, over https only, with no cookies
// and no referer, into a per-app cache under paths.cache.
type Images struct {
	// Remote is which remote images an app may show: "any" (as WeChat), "declared"
	// (only from the app's network.domains) or "none".
	Remote string `mapstructure:"remote"`
	// Apps narrows Remote for single apps (a kiosk's or an admin's policy); an entry
	// never widens the global policy.
	Apps       []AppImages   `mapstructure:"apps"`
	MaxBytes   int64         `mapstructure:"maxBytes"`   // one image
	PerMinute  int           `mapstructure:"perMinute"`  // network fetches per app per minute (cache hits are free)
	Concurrent int           `mapstructure:"concurrent"` // network fetches per app at once
	CacheBytes int64         `mapstructure:"cacheBytes"` // one app's disk cache
	CacheTTL   time.Duration `mapstructure:"cacheTTL"`   // how long a cached image is shown without asking again
}

// AppImages is the remote-image policy of one app.
type AppImages struct {
	ID     string `mapstructure:"id"`
	Remote string `mapstructure:"remote"`
}

// imagePolicies orders the images.remote values from narrowest to widest.
var imagePolicies = map[string]int{"none": 0, "declared": 1, "any": 2}

// ImagesOf is the remote-image policy for app id: the narrower of images.remote and
// the app's own entry.
func (c Config) ImagesOf(id string) string {
	p := c.Images.Remote
	for _, a := range c.Images.Apps {
		if a.ID == id && imagePolicies[a.Remote] < imagePolicies[p] {
			p = a.Remote
		}
	}
	return p
}

// Monitor holds the per-app budgets and anomaly rules.
type Monitor struct {
	TaskCPU     time.Duration `mapstructure:"taskCPU"`
	HeapBytes   uint64        `mapstructure:"heapBytes"`
	RenderBytes uint64        `mapstructure:"renderBytes"` // resident memory of an app window's web process
	SampleEvery time.Duration `mapstructure:"sampleEvery"`
	Denied      Rule          `mapstructure:"denied"`
	RateLimited Rule          `mapstructure:"rateLimited"`
	Violations  Rule          `mapstructure:"violations"`
}

// Rule is "more than Count in Every".
type Rule struct {
	Count int           `mapstructure:"count"`
	Every time.Duration `mapstructure:"every"`
}

// Isolation says where an app's logic runs: "goroutine" (in the shell's process) or
// "process" (a child process under memory and CPU limits).
type Isolation struct {
	Mode        string        `mapstructure:"mode"`
	Unverified  string        `mapstructure:"unverified"`
	Apps        []AppMode     `mapstructure:"apps"`
	MemoryLimit uint64        `mapstructure:"memoryLimit"`
	CPULimit    time.Duration `mapstructure:"cpuLimit"`
}

// AppMode is the isolation of one app.
type AppMode struct {
	ID   string `mapstructure:"id"`
	Mode string `mapstructure:"mode"`
}

// Profile is the local user profile that user:readProfile hands out.
type Profile struct {
	NickName  string `mapstructure:"nickName"`
	AvatarURL string `mapstructure:"avatarUrl"`
}

// Location is what location:read reports on a desktop without GPS.
type Location struct {
	Latitude  float64 `mapstructure:"latitude"`
	Longitude float64 `mapstructure:"longitude"`
	Accuracy  float64 `mapstructure:"accuracy"`
}

// Log settings.
type Log struct {
	Level  string `mapstructure:"level"`
	Format string `mapstructure:"format"`
}

// Paths are the shell's state directories.
type Paths struct {
	Config string `mapstructure:"config"`
	Data   string `mapstructure:"data"`
	Cache  string `mapstructure:"cache"`
}

// Window settings for mini-app windows.
type Window struct {
	Width       int  `mapstructure:"width"`
	Height      int  `mapstructure:"height"`
	Debug       bool `mapstructure:"debug"`
	RpxMaxWidth int  `mapstructure:"rpxMaxWidth"` // 750rpx spans the window's width up to this
	// Acceleration is WebKit's accelerated compositing for every window: "auto" (off
	// unless the machine has a GPU render node), "on" (WebKit's own policy) or "off".
	Acceleration string `mapstructure:"acceleration"`
}

// Bridge limits for page messages.
type Bridge struct {
	MaxMessageBytes int `mapstructure:"maxMessageBytes"`
	MaxDepth        int `mapstructure:"maxDepth"`
}

// Logic limits for mini-app runtimes.
type Logic struct {
	MaxSetDataBytes int           `mapstructure:"maxSetDataBytes"`
	SyncCallTimeout time.Duration `mapstructure:"syncCallTimeout"`
}

// System is what wx.getSystemInfo reports.
type System struct {
	Brand    string `mapstructure:"brand"`
	Model    string `mapstructure:"model"`
	Language string `mapstructure:"language"`
	// Theme is what wx.getSystemInfo's theme says: "light", "dark", or "auto" for the
	// desktop's own setting, followed as it changes (wx.onThemeChange; docs/app-events.md).
	Theme string `mapstructure:"theme"`
}

// FollowsDesktopTheme reports whether the theme is the desktop's own ("auto"), not a
// fixed "light" or "dark".
func (s System) FollowsDesktopTheme() bool { return s.Theme != "light" && s.Theme != "dark" }

// NewViper returns a viper with the embedded defaults, SANDFRAME_* environment binding,
// and the user file merged in: file, if given, else $XDG_CONFIG_HOME/sandframe/shell.yaml
// when it exists.
func NewViper(file string) (*viper.Viper, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(defaultYAML)); err != nil {
		return nil, fmt.Errorf("embedded shell.yaml: %w", err)
	}
	v.SetEnvPrefix("SANDFRAME")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	explicit := file != ""
	if !explicit {
		if dir, err := xdgDir("XDG_CONFIG_HOME", ".config"); err == nil {
			file = filepath.Join(dir, "sandframe", "shell.yaml")
		}
	}
	if file == "" {
		return v, nil
	}
	f, err := os.Open(file)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return v, nil
		}
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	defer f.Close()
	known := map[string]bool{}
	for _, k := range v.AllKeys() {
		known[k] = true
	}
	if err := v.MergeConfig(f); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	// Keys the defaults don't have are typos or settings of a newer shell: say so.
	user := viper.New()
	user.SetConfigType("yaml")
	if _, err := f.Seek(0, 0); err == nil && user.ReadConfig(f) == nil {
		for _, k := range user.AllKeys() {
			if !known[k] {
				return nil, fmt.Errorf("config %s: unknown setting %q", file, k)
			}
		}
	}
	return v, nil
}

// Load decodes and validates the configuration in v, filling the XDG paths.
func Load(v *viper.Viper) (Config, error) {
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if err := c.fillPaths(); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Validate names the first setting that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Log.Level != "debug" && c.Log.Level != "info" && c.Log.Level != "warn" && c.Log.Level != "error":
		return fmt.Errorf("config: log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	case c.Log.Format != "text" && c.Log.Format != "json":
		return fmt.Errorf("config: log.format: %q is not text or json", c.Log.Format)
	case c.Window.Width < 200 || c.Window.Width > 8000:
		return fmt.Errorf("config: window.width: %d is outside 200..8000", c.Window.Width)
	case c.Window.Height < 200 || c.Window.Height > 8000:
		return fmt.Errorf("config: window.height: %d is outside 200..8000", c.Window.Height)
	case c.Window.RpxMaxWidth != 0 && (c.Window.RpxMaxWidth < 200 || c.Window.RpxMaxWidth > 8000):
		return fmt.Errorf("config: window.rpxMaxWidth: %d is outside 200..8000 (0: no cap)", c.Window.RpxMaxWidth)
	case c.Bridge.MaxMessageBytes < 1024 || c.Bridge.MaxMessageBytes > 16<<20:
		return fmt.Errorf("config: bridge.maxMessageBytes: %d is outside 1024..16777216", c.Bridge.MaxMessageBytes)
	case c.Bridge.MaxDepth < 4 || c.Bridge.MaxDepth > 256:
		return fmt.Errorf("config: bridge.maxDepth: %d is outside 4..256", c.Bridge.MaxDepth)
	case c.Logic.MaxSetDataBytes < 1024 || c.Logic.MaxSetDataBytes > 64<<20:
		return fmt.Errorf("config: logic.maxSetDataBytes: %d is outside 1024..67108864", c.Logic.MaxSetDataBytes)
	case c.Logic.SyncCallTimeout <= 0 || c.Logic.SyncCallTimeout > time.Minute:
		return fmt.Errorf("config: logic.syncCallTimeout: %s is outside (0, 1m]", c.Logic.SyncCallTimeout)
	case c.Location.Latitude < -90 || c.Location.Latitude > 90:
		return fmt.Errorf("config: location.latitude: %g is outside -90..90", c.Location.Latitude)
	case c.Location.Longitude < -180 || c.Location.Longitude > 180:
		return fmt.Errorf("config: location.longitude: %g is outside -180..180", c.Location.Longitude)
	case c.Location.Accuracy < 0:
		return fmt.Errorf("config: location.accuracy: %g is negative", c.Location.Accuracy)
	case c.System.Theme != "auto" && c.System.Theme != "light" && c.System.Theme != "dark":
		return fmt.Errorf("config: system.theme: %q is not auto, light or dark", c.System.Theme)
	case c.Permissions.Prompt != "ask" && c.Permissions.Prompt != "policy":
		return fmt.Errorf("config: permissions.prompt: %q is not ask or policy", c.Permissions.Prompt)
	case c.Audit.MaxSizeMB < 1 || c.Audit.Backups < 0:
		return fmt.Errorf("config: audit: maxSizeMB must be at least 1 and backups not negative")
	case c.Network.Timeout <= 0 || c.Network.MaxResponseBytes < 1:
		return fmt.Errorf("config: network: timeout and maxResponseBytes must be positive")
	case c.Monitor.TaskCPU <= 0:
		return fmt.Errorf("config: monitor.taskCPU: %s must be positive", c.Monitor.TaskCPU)
	case c.Monitor.HeapBytes < 1<<20:
		return fmt.Errorf("config: monitor.heapBytes: %d is less than 1 MiB", c.Monitor.HeapBytes)
	case c.Monitor.RenderBytes < minRenderBytes:
		return fmt.Errorf("config: monitor.renderBytes: %d is less than %d MiB (an empty page's web process uses about 150 to 400 MiB)",
			c.Monitor.RenderBytes, minRenderBytes>>20)
	case c.Monitor.SampleEvery <= 0:
		return fmt.Errorf("config: monitor.sampleEvery: %s must be positive", c.Monitor.SampleEvery)
	case c.Isolation.MemoryLimit < 64<<20:
		return fmt.Errorf("config: isolation.memoryLimit: %d is less than 64 MiB", c.Isolation.MemoryLimit)
	case c.Isolation.CPULimit < time.Second:
		return fmt.Errorf("config: isolation.cpuLimit: %s is less than 1s", c.Isolation.CPULimit)
	}
	if c.Storage.MaxKeyBytes < 1024 || c.Storage.MaxAppBytes < int64(c.Storage.MaxKeyBytes) {
		return fmt.Errorf("config: storage: maxKeyBytes must be at least 1024 and maxAppBytes at least maxKeyBytes")
	}
	if c.Launcher.KeepHidden < 0 || c.Launcher.Width < 200 || c.Launcher.Height < 200 {
		return fmt.Errorf("config: launcher: keepHidden may not be negative, width and height must be at least 200")
	}
	if c.Launcher.Prewarm != 0 && c.Launcher.Prewarm != 1 {
		return fmt.Errorf("config: launcher.prewarm: %d: must be 0 (nothing made ahead) or 1 (one pre-warmed window and one spare logic child)", c.Launcher.Prewarm)
	}
	if c.CodeCache.MaxBytes != 0 && c.CodeCache.MaxBytes < 1<<20 {
		return fmt.Errorf("config: codeCache.maxBytes: %d: must be 0 (no disk cache) or at least 1048576 (1 MiB)", c.CodeCache.MaxBytes)
	}
	if c.Kiosk.IdleWipe < 0 || c.Kiosk.MaxRestarts < 0 || c.Kiosk.RestartWindow <= 0 {
		return fmt.Errorf("config: kiosk: idleWipe and maxRestarts may not be negative, restartWindow must be positive")
	}
	for i, sev := range c.Lint.Block {
		if sev != "error" && sev != "warning" && sev != "info" {
			return fmt.Errorf("config: lint.block[%d]: %q is not error, warning or info", i, sev)
		}
	}
	if err := c.Gateway.validate(); err != nil {
		return err
	}
	for name, r := range map[string]Rule{"denied": c.Monitor.Denied, "rateLimited": c.Monitor.RateLimited, "violations": c.Monitor.Violations} {
		if r.Count < 1 || r.Every <= 0 {
			return fmt.Errorf("config: monitor.%s: count and every must be positive", name)
		}
	}
	switch c.Window.Acceleration {
	case "auto", "on", "off":
	default:
		return fmt.Errorf("config: window.acceleration: %q is not auto, on or off", c.Window.Acceleration)
	}
	for field, mode := range map[string]string{"isolation.mode": c.Isolation.Mode, "isolation.unverified": c.Isolation.Unverified} {
		if mode != "goroutine" && mode != "process" {
			return fmt.Errorf("config: %s: %q is not goroutine or process", field, mode)
		}
	}
	for i, a := range c.Isolation.Apps {
		if a.ID == "" || (a.Mode != "goroutine" && a.Mode != "process") {
			return fmt.Errorf("config: isolation.apps[%d]: needs an id and a mode of goroutine or process", i)
		}
	}
	if _, ok := imagePolicies[c.Images.Remote]; !ok {
		return fmt.Errorf("config: images.remote: %q is not any, declared or none", c.Images.Remote)
	}
	for i, a := range c.Images.Apps {
		if _, ok := imagePolicies[a.Remote]; a.ID == "" || !ok {
			return fmt.Errorf("config: images.apps[%d]: needs an id and a remote of any, declared or none", i)
		}
	}
	switch im := c.Images; {
	case im.MaxBytes < 1024 || im.MaxBytes > 100<<20:
		return fmt.Errorf("config: images.maxBytes: %d is outside 1024..104857600", im.MaxBytes)
	case im.PerMinute < 1:
		return fmt.Errorf("config: images.perMinute: %d must be positive", im.PerMinute)
	case im.Concurrent < 1 || im.Concurrent > 64:
		return fmt.Errorf("config: images.concurrent: %d is outside 1..64", im.Concurrent)
	case im.CacheBytes < im.MaxBytes:
		return fmt.Errorf("config: images.cacheBytes: %d is less than images.maxBytes", im.CacheBytes)
	case im.CacheTTL <= 0:
		return fmt.Errorf("config: images.cacheTTL: %s must be positive", im.CacheTTL)
	}
	for i, a := range c.Permissions.Apps {
		if a.ID == "" {
			return fmt.Errorf("config: permissions.apps[%d].id: missing", i)
		}
	}
	return nil
}

// IsolationOf is the isolation mode for app id; verified says whether its signature
// checked out against a trusted key.
func (c Config) IsolationOf(id string, verified bool) string {
	for _, a := range c.Isolation.Apps {
		if a.ID == id {
			return a.Mode
		}
	}
	if !verified {
		return c.Isolation.Unverified
	}
	return c.Isolation.Mode
}

// PermsPath is the grant store; QuarantinePath the monitor's quarantine list.
func (c Config) PermsPath() string      { return filepath.Join(c.Paths.Data, "perms.db") }
func (c Config) QuarantinePath() string { return filepath.Join(c.Paths.Data, "quarantine.db") }

// AppsPath holds the installed apps' files; RegistryPath their registry.
func (c Config) AppsPath() string     { return filepath.Join(c.Paths.Data, "apps") }
func (c Config) RegistryPath() string { return filepath.Join(c.Paths.Data, "apps.db") }

// DefsPath holds the newest verified security definitions.
func (c Config) DefsPath() string { return filepath.Join(c.Paths.Data, "defs.json") }

// KioskStatusPath is the kiosk's health file.
func (c Config) KioskStatusPath() string {
	if c.Kiosk.StatusFile != "" {
		return c.Kiosk.StatusFile
	}
	return filepath.Join(c.Paths.Data, "kiosk-status.json")
}

// ProfilePath is the local user profile (name, avatar) the launcher edits.
func (c Config) ProfilePath() string { return filepath.Join(c.Paths.Config, "profile.json") }

// TrustPath is the trust store of publisher keys.
func (c Config) TrustPath() string { return filepath.Join(c.Paths.Config, "trust.json") }

// SharesPath holds the consents of explicit sharing.
func (c Config) SharesPath() string { return filepath.Join(c.Paths.Data, "shares.db") }

// StoragePath holds one folder per app's encrypted storage.
func (c Config) StoragePath() string { return filepath.Join(c.Paths.Data, "storage") }

func (c *Config) fillPaths() error {
	for _, p := range []struct {
		dst      *string
		env, def string
	}{
		{&c.Paths.Config, "XDG_CONFIG_HOME", ".config"},
		{&c.Paths.Data, "XDG_DATA_HOME", ".local/share"},
		{&c.Paths.Cache, "XDG_CACHE_HOME", ".cache"},
	} {
		if *p.dst != "" {
			continue
		}
		dir, err := xdgDir(p.env, p.def)
		if err != nil {
			return fmt.Errorf("config: paths: %w", err)
		}
		*p.dst = filepath.Join(dir, "sandframe")
	}
	return nil
}

// xdgDir is $env when set and absolute, else $HOME/def, per the XDG base directory spec.
func xdgDir(env, def string) (string, error) {
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no $%s and no home directory: %w", env, err)
	}
	return filepath.Join(home, def), nil
}

// AuditPath is where the bridge's audit log lives.
func (c Config) AuditPath() string { return filepath.Join(c.Paths.Data, "audit", "audit.jsonl") }
