package host

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/render"
)

func init() { runtime.LockOSThread() } // the UI loop needs the main thread

// uiLoop is true when TestMain runs the UI loop (there is a display).
var uiLoop bool

// runWithLoop runs the tests while the main thread runs the UI loop, when there is a
// display; otherwise the tests alone.
func runWithLoop(m *testing.M) int {
	if os.Getenv("DISPLAY") == "" {
		return m.Run()
	}
	if render.InitUI() != nil {
		return m.Run()
	}
	uiLoop = true
	code := make(chan int, 1)
	go func() {
		code <- m.Run()
		render.Do(render.QuitLoop)
	}()
	render.RunLoop()
	return <-code
}

func needLoop(t *testing.T) {
	t.Helper()
	if !uiLoop {
		if os.Getenv("CI") != "" {
			t.Fatal("no DISPLAY on CI: run through scripts/test.sh (xvfb-run)")
		}
		t.Skip("no display")
	}
}

type keepaliveData struct {
	N, Shows, Hides, AppHides int
}

func pageOfSession(t *testing.T, s *Session) keepaliveData {
	t.Helper()
	top, err := s.CurrentPage()
	if err != nil {
		return keepaliveData{Shows: -1} // not open yet: matches nothing the tests wait for
	}
	raw, err := s.PageData(context.Background(), top.ID)
	if err != nil {
		t.Fatal(err)
	}
	var d keepaliveData
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Closing an app's window hides the app (onHide), launching it again shows the same
// state (onShow), and a hidden app is stopped after keepHidden.
func TestDesktopHideShowAndKeepHidden(t *testing.T) {
	needLoop(t)
	for _, keep := range []time.Duration{time.Hour, 300 * time.Millisecond} {
		changes := make(chan struct{}, 100)
		d := NewDesktop(DesktopOptions{
			Session: testOptions(t),
			Load: func(id string) (*App, func(), error) {
				app, err := LoadDir("testdata/keepalive")
				return app, func() {}, err
			},
			KeepHidden: keep,
			OnChange:   func() { changes <- struct{}{} },
			// Probes are answered only with automation on.
			Automation: filepath.Join(t.TempDir(), "a"),
		})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := d.Launch(ctx, "test.keepalive"); err != nil {
			t.Fatal(err)
		}
		s, ok := d.Session("test.keepalive")
		if !ok || d.State("test.keepalive") != StateRunning {
			t.Fatalf("after launch: state %s", d.State("test.keepalive"))
		}
		// The first render may still be on its way.
		waitFor(t, "the button", func() bool { _, err := s.Probe(ctx, "tap", "#inc", ""); return err == nil })
		waitFor(t, "the tap", func() bool { return pageOfSession(t, s).N == 1 })

		if err := s.win.PressClose(); err != nil {
			t.Fatal(err)
		}
		if keep < time.Second {
			select {
			case <-s.Done():
			case <-time.After(20 * time.Second):
				t.Fatal("the hidden app was not stopped after keepHidden")
			}
			waitFor(t, "stopped state", func() bool { return d.State("test.keepalive") == StateStopped })
			// Launching again starts it fresh.
			if err := d.Launch(ctx, "test.keepalive"); err != nil {
				t.Fatal(err)
			}
			s2, _ := d.Session("test.keepalive")
			if s2 == s {
				t.Fatal("the stopped session came back")
			}
			waitFor(t, "a fresh page", func() bool { p := pageOfSession(t, s2); return p.Shows == 1 && p.N == 0 })
		} else {
			waitFor(t, "hidden state", func() bool { return d.State("test.keepalive") == StateHidden })
			waitFor(t, "onHide", func() bool { p := pageOfSession(t, s); return p.Hides == 1 })
			if err := d.Launch(ctx, "test.keepalive"); err != nil {
				t.Fatal(err)
			}
			if again, _ := d.Session("test.keepalive"); again != s {
				t.Fatal("reopening started a new session")
			}
			waitFor(t, "onShow with the same state", func() bool {
				p := pageOfSession(t, s)
				return p.Shows == 2 && p.N == 1 && p.AppHides == 1
			})
			if d.State("test.keepalive") != StateRunning {
				t.Fatalf("state after reopening = %s", d.State("test.keepalive"))
			}
		}
		if err := d.StopAll(); err != nil {
			t.Fatal(err)
		}
		if got := d.Running(); len(got) != 0 {
			t.Fatalf("running after StopAll: %v", got)
		}
		if err := d.Launch(ctx, "test.keepalive"); err == nil {
			t.Fatal("launch after StopAll was accepted")
		}
		if len(changes) == 0 {
			t.Fatal("OnChange was never called")
		}
	}
}

// testOptions are session options with the default configuration and private dirs.
func testOptions(t *testing.T) Options {
	t.Helper()
	v, err := configs.NewViper("")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Load(v)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Window.Width, cfg.Window.Height = 360, 480
	// Not t.Setenv: GTK, running on the main thread, reads the environment.
	cfg.Paths.Data, cfg.Paths.Config, cfg.Paths.Cache = t.TempDir(), t.TempDir(), t.TempDir()
	return Options{Config: cfg, Version: "test"}
}

// An app whose logic stops on its own leaves the desktop, and the desktop says why.
func TestDesktopReportsAFailedApp(t *testing.T) {
	needLoop(t)
	failed := make(chan string, 1)
	d := NewDesktop(DesktopOptions{
		Session: testOptions(t),
		Load: func(id string) (*App, func(), error) {
			app, err := LoadDir("testdata/keepalive")
			return app, func() {}, err
		},
		KeepHidden: time.Hour,
		OnFailed:   func(id string, err error) { failed <- id + ": " + err.Error() },
	})
	defer d.StopAll()
	if err := d.Launch(context.Background(), "test.keepalive"); err != nil {
		t.Fatal(err)
	}
	s, _ := d.Session("test.keepalive")
	s.rt.Stop() // its logic ends under it (a crash; a termination would first show its notice)
	select {
	case why := <-failed:
		if !strings.Contains(why, "test.keepalive") {
			t.Fatalf("OnFailed said %q", why)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("OnFailed was not called")
	}
	waitFor(t, "the app to leave", func() bool { return d.State("test.keepalive") == StateStopped })
}

// TestDesktopLaunchedTwiceAtOnce: a second launch of an app while its first is under
// way (a double click on its tile) loads and starts nothing: it waits for the first
// and shows that session's window.
func TestDesktopLaunchedTwiceAtOnce(t *testing.T) {
	needLoop(t)
	var mu sync.Mutex
	loads := 0
	release := make(chan struct{})
	d := NewDesktop(DesktopOptions{
		Session: testOptions(t),
		Load: func(id string) (*App, func(), error) {
			mu.Lock()
			loads++
			n := loads
			mu.Unlock()
			if n == 1 {
				<-release // the second launch comes while the first loads
			}
			app, err := LoadDir("testdata/keepalive")
			return app, func() {}, err
		},
	})
	defer d.StopAll()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	launched := make(chan error, 2)
	go func() { launched <- d.Launch(ctx, "test.keepalive") }()
	waitFor(t, "the first load", func() bool { mu.Lock(); defer mu.Unlock(); return loads == 1 })
	go func() { launched <- d.Launch(ctx, "test.keepalive") }()
	// Room for a second load, which must not come (a bound, not a wait for an event:
	// nothing happens when it is right).
	time.Sleep(300 * time.Millisecond)
	close(release)
	for range 2 {
		select {
		case err := <-launched:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("a launch never returned")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if loads != 1 {
		t.Fatalf("the app was loaded %d times for one window", loads)
	}
	if d.State("test.keepalive") != StateRunning {
		t.Fatalf("state %s, want running", d.State("test.keepalive"))
	}
}
