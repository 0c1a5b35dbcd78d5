package device

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestThemeOf(t *testing.T) {
	for _, c := range []struct{ scheme, gtk, want string }{
		{"'prefer-dark'\n", "'Adwaita'", "dark"},
		{"'default'\n", "'Adwaita'", "light"},
		{"'default'", "'Adwaita-dark'", "dark"},
		{"'prefer-light'", "'Adwaita-dark'", "light"},
		{"", "", "light"}, // no gsettings
	} {
		if got := themeOf(c.scheme, c.gtk); got != c.want {
			t.Errorf("themeOf(%q, %q) = %s, want %s", c.scheme, c.gtk, got, c.want)
		}
	}
}

// A fake gsettings on PATH: `get` answers the scheme in $STATE, `monitor` reports a
// change once $STATE.go exists. The watcher reads the new theme and tells its watcher.
func TestWatchTheme(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	script := `#!/bin/sh
case "$1" in
get) if [ "$3" = color-scheme ]; then cat "` + state + `"; else echo "'Adwaita'"; fi ;;
monitor) while [ ! -e "` + state + `.go" ]; do sleep 0.02; done; echo "color-scheme: $(cat ` + state + `)"; exec sleep 30 ;;
esac
`
	if err := os.WriteFile(filepath.Join(dir, "gsettings"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, []byte("'default'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("GTK_THEME", "")
	if got := DesktopTheme(); got != "light" {
		t.Fatalf("DesktopTheme = %s", got)
	}
	changed := make(chan string, 1)
	stop := WatchTheme(func(theme string) { changed <- theme })
	defer stop()
	// WatchTheme returns at once; its first reading is what CurrentTheme waits for.
	if got := CurrentTheme(); got != "light" {
		t.Fatalf("CurrentTheme = %s", got)
	}
	if err := os.WriteFile(state, []byte("'prefer-dark'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state+".go", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-changed:
		if got != "dark" {
			t.Errorf("changed to %s", got)
		}
	case <-time.After(10 * time.Second): // a hang limit
		t.Fatal("no theme change reported")
	}
}
