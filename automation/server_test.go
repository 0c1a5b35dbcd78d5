package automation

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeTarget records what the server asked of it.
type fakeTarget struct {
	probes []string
}

func (f *fakeTarget) CurrentPage() (Page, error) {
	return Page{ID: "p1", Route: "pages/index/index", Query: map[string]string{}}, nil
}
func (f *fakeTarget) Stack() []Page { return []Page{{ID: "p1", Route: "pages/index/index"}} }
func (f *fakeTarget) PageData(ctx context.Context, page string) (json.RawMessage, error) {
	if page == "p9" {
		return nil, errors.New("no page p9")
	}
	return json.RawMessage(`{"count":3}`), nil
}
func (f *fakeTarget) Probe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	f.probes = append(f.probes, op+" "+selector+" "+value)
	if selector == "#missing" {
		return nil, errors.New("no element matches #missing")
	}
	switch op {
	case "style":
		return json.RawMessage(`{"color":"rgb(1, 2, 3)"}`), nil
	case "font":
		return json.RawMessage(`{"loaded":true,"faces":["loaded"]}`), nil
	}
	return json.RawMessage(`[{"tag":"text","id":"count","text":"3 items left","attrs":{},"value":"","checked":false,"visible":true}]`), nil
}
func (f *fakeTarget) Navigate(ctx context.Context, method, url string, delta int) (Page, error) {
	return Page{ID: "p2", Route: strings.TrimPrefix(url, "/")}, nil
}
func (f *fakeTarget) Screenshot(path string) error { return os.WriteFile(path, []byte("png"), 0o600) }
func (f *fakeTarget) Geometry() (Geometry, error)  { return Geometry{Width: 420, Height: 760}, nil }
func (f *fakeTarget) Violations() int              { return 2 }

func TestServerAndClient(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "a.sock")
	ft := &fakeTarget{}
	srv, err := Listen(sock, ft, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	st, err := os.Stat(sock)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode = %v, %v; want owner-only", st.Mode().Perm(), err)
	}
	ctx, c := dialT(t, sock)

	if p, err := c.CurrentPage(ctx); err != nil || p.Route != "pages/index/index" {
		t.Fatalf("current = %+v, %v", p, err)
	}
	var data struct{ Count int }
	if err := c.PageData(ctx, "", &data); err != nil || data.Count != 3 {
		t.Fatalf("data = %+v, %v", data, err)
	}
	if err := c.PageData(ctx, "p9", &data); err == nil || !strings.Contains(err.Error(), "no page p9") {
		t.Fatalf("page.data p9: %v", err)
	}
	if err := c.WaitText(ctx, "#count", "3 items left"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#missing"); err == nil || !strings.Contains(err.Error(), "no element matches #missing") {
		t.Fatalf("tap missing: %v", err)
	}
	if err := c.Input(ctx, "#new", "hello"); err != nil {
		t.Fatal(err)
	}
	if got := ft.probes[len(ft.probes)-1]; got != "input #new hello" {
		t.Fatalf("last probe = %q", got)
	}
	if st, err := c.Style(ctx, "#cell", "::after", "color", "height"); err != nil || st["color"] != "rgb(1, 2, 3)" {
		t.Fatalf("style = %v, %v", st, err)
	}
	if got := ft.probes[len(ft.probes)-1]; got != "style #cell ::after color height" {
		t.Fatalf("last probe = %q", got)
	}
	if fs, err := c.Font(ctx, "icons"); err != nil || !fs.Loaded || len(fs.Faces) != 1 {
		t.Fatalf("font = %+v, %v", fs, err)
	}
	if got := ft.probes[len(ft.probes)-1]; got != "font  icons" {
		t.Fatalf("last probe = %q", got)
	}
	if _, err := c.Font(ctx, ""); err == nil || !strings.Contains(err.Error(), "family is empty") {
		t.Fatalf("font without a family: %v", err)
	}
	if err := c.Call(ctx, "element.tap", map[string]string{}, nil); err == nil || !strings.Contains(err.Error(), "selector is empty") {
		t.Fatalf("empty selector: %v", err)
	}
	if err := c.Call(ctx, "nope", nil, nil); err == nil || !strings.Contains(err.Error(), `unknown method "nope"`) {
		t.Fatalf("unknown method: %v", err)
	}
	if err := c.Call(ctx, "test.inject", map[string]string{"script": "1"}, nil); err == nil {
		t.Fatal("test.inject must not exist outside the test-hooks build")
	}
	if err := c.Screenshot(ctx, "relative.png"); err == nil {
		t.Fatal("a relative screenshot path must be refused")
	}
	shot := filepath.Join(dir, "s.png")
	if err := c.Screenshot(ctx, shot); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Navigate(ctx, "navigateTo", "/pages/b/b", 0); err != nil || p.Route != "pages/b/b" {
		t.Fatalf("navigate = %+v, %v", p, err)
	}
	if n, err := c.Violations(ctx); err != nil || n != 2 {
		t.Fatalf("violations = %d, %v", n, err)
	}
}

func TestListenRefusesAFileInTheWay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not-a-socket")
	if err := os.WriteFile(path, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(path, &fakeTarget{}, nil); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("err = %v", err)
	}
	if raw, _ := os.ReadFile(path); string(raw) != "data" {
		t.Fatal("the file in the way was touched")
	}
}

func TestListenReplacesAStaleSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "a.sock")
	srv, err := Listen(sock, &fakeTarget{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(sock, &fakeTarget{}, nil); err == nil || !strings.Contains(err.Error(), "another shell") {
		t.Fatalf("second listener: %v", err)
	}
	srv.Close()
	// A shell killed with -9 leaves its socket file behind.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(sock); err != nil {
		t.Fatalf("no stale socket to test with: %v", err)
	}
	srv2, err := Listen(sock, &fakeTarget{}, nil)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	srv2.Close()
}

// closingTarget's page.data ends the server while it is being answered, as a prompt's
// answer ends the session whose server it is.
type closingTarget struct {
	fakeTarget
	srv *Server
}

func (f *closingTarget) PageData(ctx context.Context, page string) (json.RawMessage, error) {
	go f.srv.Close()
	for {
		f.srv.mu.Lock()
		done := f.srv.done
		f.srv.mu.Unlock()
		if done {
			return json.RawMessage(`{"count":7}`), nil
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCloseAnswersTheCallInFlight: a call that closes the server still gets its answer.
func TestCloseAnswersTheCallInFlight(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "a.sock")
	ft := &closingTarget{}
	srv, err := Listen(sock, ft, nil)
	if err != nil {
		t.Fatal(err)
	}
	ft.srv = srv
	ctx, c := dialT(t, sock)
	var data struct{ Count int }
	if err := c.PageData(ctx, "", &data); err != nil || data.Count != 7 {
		t.Fatalf("the call in flight got %+v, %v", data, err)
	}
	if _, err := c.CurrentPage(ctx); err == nil {
		t.Fatal("a call after Close was answered")
	}
}

// dialT connects to sock, with a 5-second context for the test's calls; both end with
// the test.
func dialT(t *testing.T, sock string) (context.Context, *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	c, err := DialWait(ctx, sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return ctx, c
}
