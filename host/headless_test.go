package host

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
)

// fakePage plays the render runtime without a WebView: it acknowledges every render
// push and records what the host sent, so host behaviour can be tested headless.
type fakePage struct {
	s *Session

	mu     sync.Mutex
	ui     []bridge.UI
	clip   string
	pushes int
	closed bool
	// onQuery, when set, is told every query the host forwards (query_test.go).
	onQuery func(bridge.Query)
	// canvas answers canvasRead (canvas_test.go: answerCanvas); until it is set the
	// requests wait in canvasWaiting.
	canvas        func(bridge.CanvasRead)
	canvasWaiting []bridge.CanvasRead
	// The render runtime's page state, from mount, unmount and show ops.
	mounted []string
	shown   string
}

func (f *fakePage) Send(env bridge.Envelope) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("closed")
	}
	switch env.Kind {
	case bridge.KindRender:
		var r bridge.Render
		if err := json.Unmarshal(env.Payload, &r); err != nil {
			return err
		}
		f.pushes++
		for _, op := range r.Ops {
			switch op.Op {
			case "mount":
				f.mounted = append(f.mounted, op.Page)
			case "unmount":
				f.mounted = slices.DeleteFunc(f.mounted, func(id string) bool { return slices.Contains(op.Pages, id) })
			case "show":
				f.shown = op.Page
			}
		}
		go f.post(bridge.KindReady, bridge.Ready{Seq: r.Seq})
	case bridge.KindUI:
		var u bridge.UI
		json.Unmarshal(env.Payload, &u)
		f.ui = append(f.ui, u)
	case bridge.KindQuery:
		var q bridge.Query
		if json.Unmarshal(env.Payload, &q) == nil && f.onQuery != nil {
			go f.onQuery(q)
		}
	case bridge.KindCanvasRead:
		var r bridge.CanvasRead
		if json.Unmarshal(env.Payload, &r) == nil {
			if f.canvas != nil {
				go f.canvas(r)
			} else {
				f.canvasWaiting = append(f.canvasWaiting, r)
			}
		}
	}
	return nil
}

func (f *fakePage) Close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
}

func (f *fakePage) post(kind bridge.Kind, payload any) {
	raw, _ := json.Marshal(map[string]any{"v": 1, "kind": kind, "payload": payload})
	f.s.Post(string(raw))
}

// tap sends what the runtime sends for a tap on an element bound to handler.
func (f *fakePage) tap(handler string) { f.tapDetail(handler, nil) }

// tapDetail is tap with an event detail.
func (f *fakePage) tapDetail(handler string, detail map[string]any) {
	ev := map[string]any{
		"type": "tap", "timeStamp": 1, "target": map[string]any{"id": "", "dataset": map[string]any{}},
		"currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}}
	if detail != nil {
		ev["detail"] = detail
	}
	f.post(bridge.KindEvent, map[string]any{"target": "page", "handler": handler, "event": ev})
}

// clipboard stands in for the desktop clipboard.
func (f *fakePage) SetClipboard(text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clip = text
	return nil
}

func (f *fakePage) Clipboard() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clip, nil
}

// startHeadless loads dir and runs it on a fake page until the test ends.
func startHeadless(t *testing.T, dir string, mutate func(*Options)) (*Session, *fakePage) {
	t.Helper()
	app, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return startApp(t, app, mutate)
}

// startApp runs app headless with opts changed by mutate.
func startApp(t *testing.T, app *App, mutate func(*Options)) (*Session, *fakePage) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	v, err := configs.NewViper("")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Load(v)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Config: cfg, Version: "test"}
	if mutate != nil {
		mutate(&o)
	}
	s, err := Start(app, o)
	if err != nil {
		t.Fatal(err)
	}
	page := &fakePage{s: s}
	done := make(chan error, 1)
	go func() { done <- s.RunHeadless(page) }()
	go page.post(bridge.KindReady, bridge.Ready{Seq: 0})
	t.Cleanup(func() {
		s.Close()
		<-done
	})
	return s, page
}

// waitData polls the page in front's logic data until ok accepts it.
func waitData(t *testing.T, s *Session, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	return waitDataFor(t, s, 10*time.Second, ok)
}

// waitDataFor is waitData with its own deadline, for work whose time depends on the
// machine's load (a deadline is a limit on a hang, never the thing asserted).
func waitDataFor(t *testing.T, s *Session, within time.Duration, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	var last map[string]any
	for time.Now().Before(deadline) {
		raw, err := s.PageData(context.Background(), "")
		if err == nil && json.Unmarshal(raw, &last) == nil && ok(last) {
			return last
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("page data never matched; last: %v", last)
	return nil
}

func TestHeadlessSession(t *testing.T) {
	s, page := startHeadless(t, "testdata/counter", nil)
	waitData(t, s, func(d map[string]any) bool { return d["info"] == "linux" })
	for i := 0; i < 3; i++ {
		page.tap("inc")
	}
	waitData(t, s, func(d map[string]any) bool { return d["n"] == float64(3) })
	page.tap("toast")
	waitData(t, s, func(d map[string]any) bool { return d["toast"] == "showToast:ok" })
	page.mu.Lock()
	defer page.mu.Unlock()
	if len(page.ui) != 1 || page.ui[0].Op != "toast" || page.ui[0].Title != "hi" || page.ui[0].Icon != "success" || page.ui[0].Duration != 1500 {
		t.Fatalf("ui ops = %+v", page.ui)
	}
	if s.Violations() != 0 {
		t.Fatalf("violations = %d", s.Violations())
	}
}
