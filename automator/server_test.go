package automator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sandframe/sandframe/automation"
)

// fake is a target with two pages and a logic that records what it was asked.
type fake struct {
	mu     sync.Mutex
	ops    []string
	closed chan struct{}
}

func (f *fake) CurrentPage() (automation.Page, error) {
	return automation.Page{ID: "p2", Route: "pages/b/b", Query: map[string]string{"x": "1"}}, nil
}
func (f *fake) Stack() []automation.Page {
	return []automation.Page{{ID: "p1", Route: "pages/a/a"}, {ID: "p2", Route: "pages/b/b", Query: map[string]string{"x": "1"}}}
}
func (f *fake) PageData(_ context.Context, page string) (json.RawMessage, error) {
	if page != "p2" {
		return nil, errors.New("no page " + page)
	}
	return json.RawMessage(`{"list":[{"title":"a"},{"title":"b"}],"n":2}`), nil
}
func (f *fake) Probe(_ context.Context, op, selector, value string) (json.RawMessage, error) {
	f.mu.Lock()
	f.ops = append(f.ops, op+" "+value)
	f.mu.Unlock()
	if op == "auto.query" {
		return json.RawMessage(`[{"elementId":"e1","tagName":"view"}]`), nil
	}
	if op == "auto.tap" {
		return nil, errors.New("auto.tap : element e9 is no longer in the page")
	}
	return json.RawMessage(`{}`), nil
}
func (f *fake) Navigate(context.Context, string, string, int) (automation.Page, error) {
	return automation.Page{}, errors.New("unused")
}
func (f *fake) Screenshot(string) error                { return errors.New("no window") }
func (f *fake) Geometry() (automation.Geometry, error) { return automation.Geometry{}, nil }
func (f *fake) Violations() int                        { return 0 }
func (f *fake) Close()                                 { close(f.closed) }
func (f *fake) Automate(_ context.Context, op string, params json.RawMessage) (json.RawMessage, error) {
	f.mu.Lock()
	f.ops = append(f.ops, op+" "+string(params))
	f.mu.Unlock()
	if op == "callWx" {
		return json.RawMessage(`{"errMsg":"x:ok"}`), nil
	}
	return json.RawMessage(`null`), nil
}

func TestLoopbackAddr(t *testing.T) {
	for in, want := range map[string]string{
		"9420": "127.0.0.1:9420", "localhost:9420": "127.0.0.1:9420", ":0": "127.0.0.1:0",
		"127.0.0.2:1": "127.0.0.2:1", "[::1]:5": "[::1]:5",
	} {
		got, err := LoopbackAddr(in)
		if err != nil || got != want {
			t.Errorf("LoopbackAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"0.0.0.0:9420", "192.168.1.4:9420", "[::]:1", "example.com:1", "99999", "x"} {
		if got, err := LoopbackAddr(in); err == nil {
			t.Errorf("LoopbackAddr(%q) = %q, want an error", in, got)
		}
	}
}

func start(t *testing.T) (*fake, string) {
	t.Helper()
	f := &fake{closed: make(chan struct{})}
	s, err := Start(context.Background(), "0", f, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return f, "ws://" + s.Addr().String()
}

func TestRefusesAWebPage(t *testing.T) {
	_, url := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil {
		t.Fatal("a request with an Origin was served")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("want 403, got %v (%v)", resp, err)
	}
}

type client struct {
	t  *testing.T
	c  *websocket.Conn
	id int
}

func (c *client) call(method string, params any) (json.RawMessage, string) {
	c.t.Helper()
	c.id++
	b, _ := json.Marshal(map[string]any{"id": c.id, "method": method, "params": params})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.c.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
	_, data, err := c.c.Read(ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	var resp struct {
		ID     int             `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &resp); err != nil || resp.ID != c.id {
		c.t.Fatalf("%s: answer %s (%v)", method, data, err)
	}
	if resp.Error != nil {
		return nil, resp.Error.Message
	}
	return resp.Result, ""
}

func TestProtocol(t *testing.T) {
	f, url := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	c := &client{t: t, c: conn}
	expect := func(method string, params any, want string) {
		t.Helper()
		got, msg := c.call(method, params)
		if msg != "" || string(got) != want {
			t.Errorf("%s: got %s %q, want %s", method, got, msg, want)
		}
	}
	fails := func(method string, params any, want string) {
		t.Helper()
		if got, msg := c.call(method, params); !strings.Contains(msg, want) {
			t.Errorf("%s: got %s %q, want an error with %q", method, got, msg, want)
		}
	}
	expect("Tool.getInfo", nil, `{"SDKVersion":"dev","platform":"sandframe"}`)
	expect("App.getPageStack", nil, `{"pageStack":[{"pageId":"p1","path":"pages/a/a","query":{}},{"pageId":"p2","path":"pages/b/b","query":{"x":"1"}}]}`)
	expect("App.getCurrentPage", nil, `{"pageId":"p2","path":"pages/b/b","query":{"x":"1"}}`)
	expect("Page.getData", map[string]any{"pageId": "p2", "path": "list[1].title"}, `{"data":"b"}`)
	expect("Page.getData", map[string]any{"pageId": "p2", "path": "list.0.title"}, `{"data":"a"}`)
	expect("Page.getData", map[string]any{"pageId": "p2", "path": "missing.x"}, `{"data":null}`)
	expect("App.callWxMethod", map[string]any{"method": "x", "args": []any{map[string]int{"a": 1}}}, `{"result":{"errMsg":"x:ok"}}`)
	expect("App.mockWxMethod", map[string]any{"method": "showModal", "result": map[string]bool{"confirm": true}}, `{}`)
	expect("App.mockWxMethod", map[string]any{"method": "showModal"}, `{}`)
	expect("Page.getElement", map[string]any{"pageId": "p2", "selector": ".a"}, `{"elementId":"e1","tagName":"view"}`)
	expect("Element.getAttributes", map[string]any{"pageId": "p2", "elementId": "e1", "names": []string{"class"}}, `{"attributes":{}}`)
	fails("Element.tap", map[string]any{"elementId": "e9"}, "element e9 is no longer in the page")
	fails("App.callWxMethod", map[string]any{}, "method is empty")
	fails("App.addBinding", map[string]any{"name": "x"}, "not supported by Sandframe")
	fails("Tool.native", map[string]any{"method": "shareConfirm"}, "not supported by Sandframe")
	expect("Tool.native", map[string]any{"method": "confirmModal"}, `{}`)
	fails("App.callWxMethod", map[string]any{"method": "x", "pluginId": "wx123"}, "plugins are not supported")
	fails("Nothing.here", nil, "unknown method Nothing.here")
	fails("App.captureScreenshot", nil, "no window")

	f.mu.Lock()
	ops := strings.Join(f.ops, "\n")
	f.mu.Unlock()
	for _, want := range []string{
		`callWx {"args":[{"a":1}],"method":"x"}`,
		`mockWx {"method":"showModal","result":{"confirm":true}}`,
		`mockWx {"method":"showModal"}`,
		`auto.query {"page":"p2","selector":".a","xpath":false}`,
		`auto.get {"id":"e1","kind":"attributes","names":["class"]}`,
		"tap ",
	} {
		if !strings.Contains(ops, want) {
			t.Errorf("the target was not asked %s; it was asked:\n%s", want, ops)
		}
	}

	// Tool.close answers, then closes the app.
	expect("Tool.close", nil, `{}`)
	select {
	case <-f.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Tool.close did not close the target")
	}
}

func TestPeerOfThisUser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer's owner is read from /proc/net/tcp")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := samePeerUser(s.RemoteAddr().(*net.TCPAddr), s.LocalAddr().(*net.TCPAddr)); err != nil {
		t.Fatalf("a connection of this user was refused: %v", err)
	}
	// A peer the table does not know (no such connection) is refused.
	bogus := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	if err := samePeerUser(bogus, s.LocalAddr().(*net.TCPAddr)); err == nil {
		t.Fatal("an unknown peer was allowed")
	}
}

func TestConsoleEvents(t *testing.T) {
	f := &fake{closed: make(chan struct{})}
	con := NewConsole(slog.NewTextHandler(io.Discard, nil))
	srv, err := Start(context.Background(), "0", f, nil, WithConsole(con))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+srv.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	c := &client{t: t, c: conn}
	if _, msg := c.call("App.enableLog", nil); msg != "" {
		t.Fatal(msg)
	}
	log := slog.New(con).With("app", "dev.example")
	log.Info("not the app's console", "source", "runtime")
	log.Debug("from console.debug", "source", "console")
	log.Warn("from console.warn", "source", "console")
	for _, want := range []string{
		`{"method":"App.logAdded","params":{"type":"debug","args":["from console.debug"]}}`,
		`{"method":"App.logAdded","params":{"type":"warn","args":["from console.warn"]}}`,
	} {
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != want {
			t.Fatalf("got %s, want %s", data, want)
		}
	}
}

// TestMethodsTable: every method the table says is served is handled, every other one
// says it is not supported, and docs/automator.md names each.
func TestMethodsTable(t *testing.T) {
	doc, err := os.ReadFile("../docs/automator.md")
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{closed: make(chan struct{})}
	s := &Server{target: f, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for m, served := range Methods {
		short := m[strings.IndexByte(m, '.')+1:]
		if !strings.Contains(string(doc), "`"+m+"`") && !strings.Contains(string(doc), "`"+short+"`") {
			t.Errorf("docs/automator.md does not name %s", m)
		}
		if m == "Tool.close" {
			continue // it closes the fake
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, _, err := s.call(ctx, m, json.RawMessage(`{"method":"confirmModal","selector":".a","type":"tap","functionDeclaration":"() => 1"}`))
		cancel()
		unsupported := err != nil && errors.Is(err, ErrUnsupported)
		if err != nil && strings.HasPrefix(err.Error(), "unknown method") {
			t.Errorf("%s is in the table but not handled", m)
		}
		if served == unsupported {
			t.Errorf("%s: served %v, but it answered %v", m, served, err)
		}
	}
}
