package host

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// recordingTap is a DevTap that keeps what it hears.
type recordingTap struct {
	mu      sync.Mutex
	msgs    []DevMessage
	console []logic.ConsoleLine
	tasks   int
}

func (r *recordingTap) DevMessage(m DevMessage) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
}
func (r *recordingTap) DevConsole(l logic.ConsoleLine) {
	r.mu.Lock()
	r.console = append(r.console, l)
	r.mu.Unlock()
}
func (r *recordingTap) DevTask(time.Time, time.Duration) { r.mu.Lock(); r.tasks++; r.mu.Unlock() }

func (r *recordingTap) saw(dir, kind string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.msgs {
		if m.Dir == dir && m.Kind == kind {
			return true
		}
	}
	return false
}

func (r *recordingTap) sawRefused(kind string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.msgs {
		if m.Dir == DirPageToHost && m.Kind == kind && strings.Contains(m.Refused, "DevTools messages come only from the DevTools window") {
			return true
		}
	}
	return false
}

// A `shell dev` session of a project folder: DevTools hears the bridge both ways and
// the loop's tasks, evaluates in the app's runtime, and edits a page's data as setData.
func TestDevToolsSessionOfAFolder(t *testing.T) {
	app, err := LoadDir("testdata/counter")
	if err != nil {
		t.Fatal(err)
	}
	tap := &recordingTap{}
	s, page := startApp(t, app, func(o *Options) { o.DevTools, o.DevEval = tap, true })
	waitData(t, s, func(d map[string]any) bool { return d["info"] == "linux" })
	page.tap("inc")
	waitData(t, s, func(d map[string]any) bool { return d["n"] == float64(1) })
	for _, want := range [][2]string{{DirPageToHost, "ready"}, {DirPageToHost, "event"}, {DirHostToPage, "init"},
		{DirHostToPage, "render"}, {DirLogicToHost, "render"}, {DirHostToLogic, "nav"}, {DirLogicToHost, "api"}} {
		if !tap.saw(want[0], want[1]) {
			t.Errorf("the tap never saw %s %s", want[0], want[1])
		}
	}
	// A page that forges DevTools' kind is refused, and the Bridge panel names it.
	page.post(bridge.KindDevTools, map[string]any{"id": 1, "op": "console.eval", "args": map[string]any{"expr": "1"}})
	deadline := time.Now().Add(10 * time.Second) // a hang limit
	for !tap.sawRefused("devtools") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !tap.sawRefused("devtools") || s.Violations() != 1 {
		t.Errorf("the forged message: refused seen %v, violations %d", tap.sawRefused("devtools"), s.Violations())
	}
	tap.mu.Lock()
	tasks := tap.tasks
	tap.mu.Unlock()
	if tasks == 0 {
		t.Error("no task reported")
	}
	if !s.DevEvalAllowed() {
		t.Fatal("eval refused for a folder in dev mode")
	}
	v, err := s.DevEval("getCurrentPages()[0].data.n + 41")
	if err != nil || string(v) != "42" {
		t.Fatalf("eval: %s, %v", v, err)
	}
	if _, err := s.DevEval("throw new Error('boom')"); err == nil || err.Error() != "Error: boom" {
		t.Errorf("a throw: %v", err)
	}
	if err := s.DevSetData("", json.RawMessage(`{"n": 7}`)); err != nil {
		t.Fatal(err)
	}
	waitData(t, s, func(d map[string]any) bool { return d["n"] == float64(7) })
	// The edit went to the page as a render push, as the app's own setData does.
	page.mu.Lock()
	pushes := page.pushes
	page.mu.Unlock()
	if pushes < 3 {
		t.Errorf("%d pushes: the edit did not reach the page", pushes)
	}
}

// Evaluation is never for an installed app: not for one loaded from a bundle (no
// folder), not for a signed one, and not without `shell dev` (DevEval off).
func TestDevEvalNeverForAnInstalledApp(t *testing.T) {
	cases := map[string]struct {
		load func() (*App, error)
		eval bool
	}{
		"bundle":  {func() (*App, error) { a, err := LoadDir("testdata/counter"); a.Dir = ""; return a, err }, true},
		"signed":  {func() (*App, error) { a, err := LoadDir("testdata/counter"); a.Signer = "k1"; return a, err }, true},
		"not dev": {func() (*App, error) { return LoadDir("testdata/counter") }, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			app, err := c.load()
			if err != nil {
				t.Fatal(err)
			}
			s, _ := startApp(t, app, func(o *Options) { o.DevTools, o.DevEval = &recordingTap{}, c.eval })
			waitData(t, s, func(d map[string]any) bool { return d["info"] == "linux" })
			if s.DevEvalAllowed() {
				t.Error("eval allowed")
			}
			if _, err := s.DevEval("1"); !errors.Is(err, ErrNoDevEval) {
				t.Errorf("eval: %v", err)
			}
		})
	}
}
