package device

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// The desktop's color scheme, for wx.getSystemInfo's theme and wx.onThemeChange when
// the config's system.theme is "auto": GTK_THEME ending in ":dark", else GNOME's
// org.gnome.desktop.interface color-scheme ('prefer-dark'), else a GTK theme named
// "…-dark" (the older way). Read with gsettings, whose absence means light.

const ifaceSchema = "org.gnome.desktop.interface"

// DesktopTheme is the desktop's color scheme now: "dark" or "light".
func DesktopTheme() string { return desktopTheme(context.Background()) }

// desktopTheme is DesktopTheme; ctx ending kills the gsettings it runs.
func desktopTheme(ctx context.Context) string {
	if strings.HasSuffix(strings.ToLower(os.Getenv("GTK_THEME")), ":dark") {
		return "dark"
	}
	return themeOf(gsettingsGet(ctx, "color-scheme"), gsettingsGet(ctx, "gtk-theme"))
}

// themeOf decides from gsettings' answers (GVariant text: 'prefer-dark').
func themeOf(colorScheme, gtkTheme string) string {
	switch strings.Trim(colorScheme, "' \n") {
	case "prefer-dark":
		return "dark"
	case "prefer-light":
		return "light"
	}
	if strings.HasSuffix(strings.ToLower(strings.Trim(gtkTheme, "' \n")), "-dark") {
		return "dark"
	}
	return "light"
}

func gsettingsGet(ctx context.Context, key string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "gsettings", "get", ifaceSchema, key).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// themeHub follows the desktop's scheme for every session of the process with one
// `gsettings monitor`, started with the first watcher and stopped with the last.
var themeHub struct {
	mu   sync.Mutex
	gen  *themeWatch // nil while nobody watches
	subs map[*func(string)]bool
}

// themeWatch is one run of the watcher, from its first subscriber to its last.
type themeWatch struct {
	cancel context.CancelFunc
	ready  chan struct{} // closed once cur holds the first reading
	done   chan struct{} // closed when the watcher and its processes have ended
	cur    string
}

// WatchTheme calls f with the new theme ("dark" or "light") each time the desktop's
// changes, until stop. f runs on the watcher's goroutine and must not block. It returns
// at once: the first reading (two gsettings processes, tens of milliseconds) happens on
// the watcher's goroutine, and CurrentTheme waits for it; so a launch does not. The last
// stop returns once the watcher and its processes have ended: nothing of it runs after.
func WatchTheme(f func(theme string)) (stop func()) {
	h := &themeHub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[*func(string)]bool{}
	}
	key := &f
	h.subs[key] = true
	if h.gen == nil {
		ctx, cancel := context.WithCancel(context.Background())
		h.gen = &themeWatch{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
		go monitorTheme(ctx, h.gen)
	}
	return func() {
		h.mu.Lock()
		delete(h.subs, key)
		g := h.gen
		last := len(h.subs) == 0 && g != nil
		if last {
			g.cancel()
			h.gen = nil
		}
		h.mu.Unlock()
		if last {
			<-g.done
		}
	}
}

// monitorTheme takes the first reading, then reads `gsettings monitor` until ctx ends;
// a scheme or GTK theme change re-reads the theme and tells the watchers when it changed.
func monitorTheme(ctx context.Context, g *themeWatch) {
	defer close(g.done)
	first := desktopTheme(ctx)
	h := &themeHub
	h.mu.Lock()
	g.cur = first
	h.mu.Unlock()
	close(g.ready)
	if ctx.Err() != nil {
		return
	}
	cmd := exec.CommandContext(ctx, "gsettings", "monitor", ifaceSchema)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return
	}
	if err := cmd.Start(); err != nil {
		return // no gsettings: the theme stays what it was
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		k, _, _ := strings.Cut(sc.Text(), ":")
		if k != "color-scheme" && k != "gtk-theme" {
			continue
		}
		now := desktopTheme(ctx)
		h.mu.Lock()
		if ctx.Err() != nil || now == g.cur {
			h.mu.Unlock()
			continue
		}
		g.cur = now
		subs := make([]func(string), 0, len(h.subs))
		for f := range h.subs {
			subs = append(subs, *f)
		}
		h.mu.Unlock()
		for _, f := range subs {
			f(now)
		}
	}
	cmd.Wait()
}

// CurrentTheme is the desktop's theme as the watcher last saw it (no process started;
// right after the watcher started, it waits for its first reading), or, with no
// watcher, DesktopTheme.
func CurrentTheme() string {
	h := &themeHub
	h.mu.Lock()
	g := h.gen
	h.mu.Unlock()
	if g == nil {
		return DesktopTheme()
	}
	<-g.ready
	h.mu.Lock()
	defer h.mu.Unlock()
	return g.cur
}
