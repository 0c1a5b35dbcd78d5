package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func tempHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	return home
}

func TestDefaults(t *testing.T) {
	home := tempHome(t)
	v, err := NewViper("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(v)
	if err != nil {
		t.Fatal(err)
	}
	if c.Window.Width != 420 || c.Logic.MaxSetDataBytes != 1<<20 || c.Logic.SyncCallTimeout != 5*time.Second {
		t.Errorf("defaults = %+v", c)
	}
	if c.Window.Acceleration != "auto" {
		t.Errorf("window.acceleration = %q, want auto", c.Window.Acceleration)
	}
	if c.Monitor.RenderBytes != 1<<30 {
		t.Errorf("monitor.renderBytes = %d, want 1 GiB", c.Monitor.RenderBytes)
	}
	if c.Images.Remote != "any" || c.ImagesOf("x") != "any" {
		t.Errorf("images.remote = %q, want any (as WeChat)", c.Images.Remote)
	}
	if c.Paths.Data != filepath.Join(home, "data", "sandframe") {
		t.Errorf("data path = %s", c.Paths.Data)
	}
}

func TestImagesOf(t *testing.T) {
	c := Config{Images: Images{Remote: "declared", Apps: []AppImages{{ID: "a", Remote: "none"}, {ID: "b", Remote: "any"}}}}
	for id, want := range map[string]string{"a": "none", "b": "declared", "c": "declared"} {
		if got := c.ImagesOf(id); got != want {
			t.Errorf("ImagesOf(%s) = %s, want %s (an app entry only narrows)", id, got, want)
		}
	}
}

func TestOverrides(t *testing.T) {
	home := tempHome(t)
	dir := filepath.Join(home, "cfg", "sandframe")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "shell.yaml"), []byte("window:\n  width: 600\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SANDFRAME_WINDOW_HEIGHT", "900")
	v, err := NewViper("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(v)
	if err != nil {
		t.Fatal(err)
	}
	if c.Window.Width != 600 || c.Window.Height != 900 {
		t.Errorf("window = %+v, want user file width and env height", c.Window)
	}
}

func TestBadConfig(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"window:\n  width: 10\n", "window.width: 10 is outside"},
		{"log:\n  level: loud\n", `log.level: "loud" is not one of`},
		{"windw:\n  width: 10\n", `unknown setting "windw.width"`},
		{"window: [\n", "config "},
		{"logic:\n  syncCallTimeout: 0s\n", "logic.syncCallTimeout"},
		{"monitor:\n  renderBytes: 268435456\n", "monitor.renderBytes: 268435456 is less than 512 MiB"},
		{"images:\n  remote: some\n", `images.remote: "some" is not any, declared or none`},
		{"images:\n  apps: [{id: a, remote: all}]\n", "images.apps[0]: needs an id"},
		{"images:\n  maxBytes: 10\n", "images.maxBytes: 10 is outside"},
		{"images:\n  concurrent: 0\n", "images.concurrent: 0 is outside"},
		{"gateway:\n  classes:\n    network: {rate: 0, burst: 10}\n", "gateway.classes.network.rate: 0 is not a positive"},
		{"gateway:\n  classes:\n    feedback: {rate: .inf, burst: 10}\n", "gateway.classes.feedback.rate: +Inf is not a positive"},
		{"gateway:\n  classes:\n    prompt: {burst: 0}\n", "gateway.classes.prompt.burst: 0 is less than 1"},
		{"gateway:\n  classes:\n    netwrk: {rate: 1, burst: 1}\n", `unknown setting "gateway.classes.netwrk.`},
		{"gateway:\n  classes:\n    local: {rate: 1, burst: 1}\n", `unknown setting "gateway.classes.local.`},
		{"gateway:\n  rate: {rate: 50, burst: 100}\n", `unknown setting "gateway.rate.`},
		{"gateway:\n  apis:\n    - {name: request, rate: 5, burst: 0}\n", "gateway.apis[0].burst: 0 is less than 1"},
		{"gateway:\n  apis:\n    - {name: request, rate: 5, burst: 5}\n    - {rate: 5, burst: 5}\n", "gateway.apis[1].name: missing"},
		{"launcher:\n  prewarm: 2\n", "launcher.prewarm: 2: must be 0"},
		{"window:\n  acceleration: gpu\n", `window.acceleration: "gpu" is not auto, on or off`},
		{"codeCache:\n  maxBytes: 1000\n", "codeCache.maxBytes: 1000: must be 0"},
	}
	for _, c := range cases {
		home := tempHome(t)
		file := filepath.Join(home, "x.yaml")
		if err := os.WriteFile(file, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		v, err := NewViper(file)
		if err == nil {
			_, err = Load(v)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
	tempHome(t)
	if _, err := NewViper("/nonexistent/shell.yaml"); err == nil {
		t.Error("an explicit missing config file must be an error")
	}
}

// The classes come from shell.yaml; a user file changes one and keeps the others, and
// adds per-API overrides.
func TestGatewayClasses(t *testing.T) {
	home := tempHome(t)
	file := filepath.Join(home, "x.yaml")
	yaml := "gateway:\n  classes:\n    network: {rate: 1, burst: 3}\n  apis:\n    - {name: request, rate: 0.5, burst: 2}\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := NewViper(file)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(v)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]RateLimit{
		"feedback": {Rate: 5, Burst: 20}, "prompt": {Rate: 2, Burst: 10}, "network": {Rate: 1, Burst: 3},
		"clipboard": {Rate: 2, Burst: 10}, "file": {Rate: 1, Burst: 5}, "location": {Rate: 2, Burst: 10}, "share": {Rate: 10, Burst: 50},
	}
	if len(c.Gateway.Classes) != len(want) {
		t.Errorf("classes = %v, want %v", c.Gateway.Classes, want)
	}
	for name, l := range want {
		if c.Gateway.Classes[name] != l {
			t.Errorf("gateway.classes.%s = %+v, want %+v", name, c.Gateway.Classes[name], l)
		}
	}
	if len(c.Gateway.APIs) != 1 || c.Gateway.APIs[0] != (RateLimitA{Name: "request", Rate: 0.5, Burst: 2}) {
		t.Errorf("gateway.apis = %+v", c.Gateway.APIs)
	}
}
