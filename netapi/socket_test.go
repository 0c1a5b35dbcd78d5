package netapi

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// wsServer is a loopback wss server: it echoes every message with its type; "close-me"
// makes it close with 4001 "bye", "big" makes it send 64 KiB; /cookie first sends the
// Cookie header it got. closes records the close codes it saw from clients.
type wsServer struct {
	*fixture
	mu     sync.Mutex
	closes []websocket.StatusCode
	seen   chan websocket.StatusCode
	got    chan string // every text message received, in order
}

func newWSServer(t *testing.T) *wsServer {
	t.Helper()
	ws := &wsServer{seen: make(chan websocket.StatusCode, 16), got: make(chan string, 64)}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/setcookie" {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s3cret", Path: "/"})
			return
		}
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"chat"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := r.Context()
		if r.URL.Path == "/cookie" {
			_ = c.Write(ctx, websocket.MessageText, []byte("cookie="+r.Header.Get("Cookie")+" ua="+r.Header.Get("User-Agent")+" x="+r.Header.Get("X-Token")))
		}
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				code := websocket.CloseStatus(err)
				ws.mu.Lock()
				ws.closes = append(ws.closes, code)
				ws.mu.Unlock()
				ws.seen <- code
				return
			}
			if typ == websocket.MessageText {
				ws.got <- string(data)
			}
			switch string(data) {
			case "close-me":
				_ = c.Close(4001, "bye")
				return
			case "big":
				_ = c.Write(ctx, websocket.MessageText, []byte(strings.Repeat("x", 64<<10)))
				continue
			}
			if err := c.Write(ctx, typ, data); err != nil {
				return
			}
		}
	}))
	cert, pool := testCert(t)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ws.fixture = &fixture{srv: srv, port: fmt.Sprint(srv.Listener.Addr().(*net.TCPAddr).Port), pool: pool}
	return ws
}

func (ws *wsServer) wss(host, path string) string { return "wss://" + host + ":" + ws.port + path }

// socketHost is the session as the network APIs see it.
type socketHost struct {
	c   *Client
	app App
	n   *AppNet
}

func (h socketHost) Network() (*Client, App)  { return h.c, h.app }
func (h socketHost) AppNet() (*AppNet, error) { return h.n, nil }

// session is one app session with its events, called through the registry's
// declarations on a real gateway (schema check, handler, errMsg), as the host does.
type session struct {
	t      *testing.T
	gw     *bridge.Gateway
	n      *AppNet
	cancel context.CancelFunc
	events chan bridge.APIEvent
}

func newSession(t *testing.T, c *Client, app App, lim SocketLimits) *session {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{t: t, cancel: cancel, events: make(chan bridge.APIEvent, 256)}
	s.n = NewAppNet(ctx, c, app, func(ev bridge.APIEvent) { s.events <- ev }, lim)
	host := socketHost{c: c, app: app, n: s.n}
	s.gw = bridge.NewGateway(bridge.GatewayConfig{
		Limits: bridge.RateLimits{Default: bridge.Limit{Rate: 1000, Burst: 1000}},
		Check:  func(bridge.Sender, string) (string, error) { return capRequest, nil },
	})
	for _, name := range []string{"connectSocket", "sendSocketMessage", "closeSocket", "getNetworkType", "onNetworkStatusChange"} {
		d, ok := hostapi.Lookup(name)
		if !ok || !d.Implemented() {
			t.Fatalf("%s is not declared with a handler", name)
		}
		s.gw.Register(name, func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
			if err := d.Check(args); err != nil {
				return nil, nil, err
			}
			return d.Handler(hostapi.Call{Ctx: ctx, Sender: snd, Args: args, Host: host})
		})
	}
	t.Cleanup(func() { cancel(); s.n.Wait() })
	return s
}

// call makes one call and returns its result object (errMsg included).
func (s *session) call(name string, a map[string]any) map[string]any {
	s.t.Helper()
	res := s.gw.Call(context.Background(), bridge.Sender{App: "a"}, bridge.APICall{Name: name, Args: args(s.t, a)})
	var out map[string]any
	if err := json.Unmarshal(res.Result, &out); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// next waits for the next event (a hang limit, not a correctness wait).
func (s *session) next() (bridge.APIEvent, map[string]any) {
	s.t.Helper()
	select {
	case ev := <-s.events:
		var d map[string]any
		_ = json.Unmarshal(ev.Data, &d)
		return ev, d
	case <-time.After(10 * time.Second):
		s.t.Fatal("no event within 10 s")
	}
	return bridge.APIEvent{}, nil
}

func (s *session) expect(task float64, event string) map[string]any {
	s.t.Helper()
	ev, d := s.next()
	if ev.API != "connectSocket" || float64(ev.Task) != task || ev.Event != event {
		s.t.Fatalf("event %s/%d/%s %v, want %s of task %v", ev.API, ev.Task, ev.Event, d, event, task)
	}
	return d
}

func (s *session) connect(url string, extra map[string]any) float64 {
	s.t.Helper()
	a := map[string]any{"url": url}
	for k, v := range extra {
		a[k] = v
	}
	res := s.call("connectSocket", a)
	if res["errMsg"] != "connectSocket:ok" {
		s.t.Fatalf("connect %s: %v", url, res)
	}
	return res["socketTaskId"].(float64)
}

func TestSocketEcho(t *testing.T) {
	ws := newWSServer(t)
	c := ws.client(t, Config{})
	app := ws.app("a", "api.example.test")
	// A cookie the app's jar got from wx.request goes with the handshake, as it would
	// with a request to the same host.
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": ws.url("api.example.test", "/setcookie")})); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, c, app, SocketLimits{})
	id := s.connect(ws.wss("api.example.test", "/cookie"), map[string]any{"header": map[string]any{"X-Token": "t1"}, "protocols": []any{"chat"}})
	open := s.expect(id, "open")
	if open["protocol"] != "chat" {
		t.Errorf("open %v: protocol is not chat", open)
	}
	if d := s.expect(id, "message"); d["data"] != "cookie=sid=s3cret ua=Sandframe x=t1" {
		t.Errorf("handshake as the server saw it: %v", d)
	}
	if r := s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": "hello"}); r["errMsg"] != "sendSocketMessage:ok" {
		t.Fatal(r)
	}
	if d := s.expect(id, "message"); d["data"] != "hello" || d["binary"] != nil {
		t.Errorf("text echo: %v", d)
	}
	bin := base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 255})
	s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": bin, "binary": true})
	if d := s.expect(id, "message"); d["data"] != bin || d["binary"] != true {
		t.Errorf("binary echo: %v", d)
	}
	// Messages queued before close are written before the close frame (their echo may
	// be dropped: as in browsers, nothing is delivered once the app asked to close).
	s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": "last"})
	if r := s.call("closeSocket", map[string]any{"socketTaskId": id, "code": 4000, "reason": "done"}); r["errMsg"] != "closeSocket:ok" {
		t.Fatal(r)
	}
	var d map[string]any
	for {
		var ev bridge.APIEvent
		if ev, d = s.next(); ev.Event != "message" {
			if ev.Event != "close" {
				t.Fatalf("%s after close, want close", ev.Event)
			}
			break
		}
	}
	if d["code"] != float64(4000) || d["reason"] != "done" {
		t.Errorf("close: %v", d)
	}
	if got := []string{<-ws.got, <-ws.got}; got[0] != "hello" || got[1] != "last" {
		t.Errorf("the server received %q", got)
	}
	if code := <-ws.seen; code != 4000 {
		t.Errorf("server saw close code %d", code)
	}
	s.n.Wait()
	if r := s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": "late"}); r["errMsg"] != "sendSocketMessage:fail WebSocket is not connected" {
		t.Errorf("send after close: %v", r)
	}
	if r := s.call("sendSocketMessage", map[string]any{"data": "no task"}); r["errMsg"] != "sendSocketMessage:fail WebSocket is not connected" {
		t.Errorf("send without a socket: %v", r)
	}
}

func TestSocketServerCloses(t *testing.T) {
	ws := newWSServer(t)
	s := newSession(t, ws.client(t, Config{}), ws.app("a", "api.example.test"), SocketLimits{})
	id := s.connect(ws.wss("api.example.test", "/"), nil)
	s.expect(id, "open")
	s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": "close-me"})
	if d := s.expect(id, "close"); d["code"] != float64(4001) || d["reason"] != "bye" {
		t.Errorf("close: %v", d)
	}
}

func TestSocketRefusals(t *testing.T) {
	ws := newWSServer(t)
	s := newSession(t, ws.client(t, Config{}), ws.app("a", "api.example.test", "internal.example.test"), SocketLimits{})
	for _, tt := range []struct {
		a    map[string]any
		want string
	}{
		{map[string]any{"url": ws.wss("evil.example.test", "/")},
			"connectSocket:fail url not in domain list: evil.example.test is not declared in app.json network.domains"},
		{map[string]any{"url": "ws://api.example.test:" + ws.port + "/"},
			`connectSocket:fail invalid url "ws://api.example.test:` + ws.port + `/": use wss (plain ws is allowed only to loopback in dev mode)`},
		{map[string]any{"url": ws.url("api.example.test", "/")},
			`connectSocket:fail invalid url "https://api.example.test:` + ws.port + `/": a WebSocket url starts with wss://`},
		{map[string]any{"url": "wss://127.0.0.1:" + ws.port + "/"},
			"connectSocket:fail IP address hosts are not allowed: 127.0.0.1 (declare a domain name in app.json network.domains)"},
		{map[string]any{"url": ws.wss("api.example.test", "/"), "header": map[string]any{"Cookie": "sid=forged"}},
			"connectSocket:fail header Cookie is not allowed: the shell keeps each app's cookies"},
		{map[string]any{"url": ws.wss("api.example.test", "/"), "header": map[string]any{"Sec-WebSocket-Protocol": "x"}},
			"connectSocket:fail header Sec-Websocket-Protocol is not allowed: Sec- headers are the shell's"},
		{map[string]any{"url": ws.wss("api.example.test", "/"), "protocols": []any{"a b"}},
			"connectSocket:fail protocols must be tokens (letters, digits and !#$%&'*+-.^_`|~)"},
		{map[string]any{}, "connectSocket:fail parameter error: parameter.url should be String instead of Undefined;"},
	} {
		if r := s.call("connectSocket", tt.a); r["errMsg"] != tt.want {
			t.Errorf("%v:\n got %v\nwant %s", tt.a, r["errMsg"], tt.want)
		}
	}
	if s.n.Open() != 0 {
		t.Errorf("%d sockets after refusals", s.n.Open())
	}
	// A declared name resolving to a private address: the call is accepted (the name
	// is declared), the connection is refused before any packet: error, then close 1006.
	id := s.connect("wss://internal.example.test:"+ws.port+"/", nil)
	if d := s.expect(id, "error"); !strings.Contains(d["errMsg"].(string), "internal.example.test resolves to an address that is not allowed: 10.0.0.7 is a private address") {
		t.Errorf("rebinding: %v", d)
	}
	if d := s.expect(id, "close"); d["code"] != float64(1006) {
		t.Errorf("close after a failed connect: %v", d)
	}
	// Close codes as in browsers.
	id = s.connect(ws.wss("api.example.test", "/"), nil)
	s.expect(id, "open")
	for code, want := range map[float64]string{1001: "closeSocket:fail code must be 1000 or between 3000 and 4999", 5000: "closeSocket:fail code must be 1000 or between 3000 and 4999"} {
		if r := s.call("closeSocket", map[string]any{"socketTaskId": id, "code": code}); r["errMsg"] != want {
			t.Errorf("close %v: %v", code, r)
		}
	}
	if r := s.call("closeSocket", map[string]any{"socketTaskId": id, "reason": strings.Repeat("r", 124)}); r["errMsg"] != "closeSocket:fail reason must be UTF-8 of at most 123 bytes" {
		t.Errorf("long reason: %v", r)
	}
}

func TestSocketPlainWSInDevMode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		_ = c.Write(r.Context(), websocket.MessageText, []byte("dev"))
		_, _, _ = c.Read(r.Context())
	}))
	defer srv.Close()
	c := New(Config{DevMode: true})
	defer c.Close()
	s := newSession(t, c, App{ID: "a"}, SocketLimits{})
	id := s.connect("ws://"+srv.Listener.Addr().String()+"/", nil)
	s.expect(id, "open")
	if d := s.expect(id, "message"); d["data"] != "dev" {
		t.Errorf("%v", d)
	}
}

func TestSocketLimits(t *testing.T) {
	ws := newWSServer(t)
	s := newSession(t, ws.client(t, Config{}), ws.app("a", "api.example.test"), SocketLimits{MaxMessageBytes: 32 << 10})
	var ids []float64
	for i := 0; i < DefaultMaxSockets; i++ {
		id := s.connect(ws.wss("api.example.test", "/"), nil)
		s.expect(id, "open")
		ids = append(ids, id)
	}
	if r := s.call("connectSocket", map[string]any{"url": ws.wss("api.example.test", "/")}); r["errMsg"] != "connectSocket:fail at most 5 WebSockets may be open at once" {
		t.Errorf("sixth socket: %v", r)
	}
	// Too big to send: refused, the socket stays.
	if r := s.call("sendSocketMessage", map[string]any{"socketTaskId": ids[0], "data": strings.Repeat("y", 32<<10+1)}); r["errMsg"] != "sendSocketMessage:fail message exceeds 32768 bytes" {
		t.Errorf("big send: %v", r)
	}
	// Too big to receive: an error, and the shell closes with 1009.
	s.call("sendSocketMessage", map[string]any{"socketTaskId": ids[0], "data": "big"})
	if d := s.expect(ids[0], "error"); d["errMsg"] != "message exceeds 32768 bytes" {
		t.Errorf("big message: %v", d)
	}
	if d := s.expect(ids[0], "close"); d["code"] != float64(1009) {
		t.Errorf("close after a big message: %v", d)
	}
	if code := <-ws.seen; code != websocket.StatusMessageTooBig {
		t.Errorf("server saw %d", code)
	}
	// Its place is free again once it has closed.
	id := s.connect(ws.wss("api.example.test", "/"), nil)
	s.expect(id, "open")
}

// The session's end closes every socket with 1001 and sends nothing more.
func TestSocketSessionEnd(t *testing.T) {
	ws := newWSServer(t)
	s := newSession(t, ws.client(t, Config{}), ws.app("a", "api.example.test"), SocketLimits{})
	for i := 0; i < 3; i++ {
		s.expect(s.connect(ws.wss("api.example.test", "/"), nil), "open")
	}
	s.cancel()
	s.n.Wait()
	for i := 0; i < 3; i++ {
		if code := <-ws.seen; code != websocket.StatusGoingAway {
			t.Errorf("server saw %d, want 1001", code)
		}
	}
	select {
	case ev := <-s.events:
		t.Errorf("event after the session ended: %+v", ev)
	default:
	}
	if r := s.call("connectSocket", map[string]any{"url": ws.wss("api.example.test", "/")}); r["errMsg"] != "connectSocket:fail abort" {
		t.Errorf("connect after the end: %v", r)
	}
}

// A server that floods is read no faster than the pace: nothing is dropped, and the
// rate seen by logic stays bounded.
func TestSocketPace(t *testing.T) {
	lim := SocketLimits{InPerSecond: 50}.withDefaults()
	p := newPacer(lim)
	start := time.Now()
	for i := 0; i < 100; i++ { // a burst of 50, then 50 more at 50 a second
		if err := p.wait(context.Background(), 10); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Errorf("100 messages in %s at 50/s with a burst of 50", el)
	}
}

func TestNetworkStatus(t *testing.T) {
	var mu sync.Mutex
	st := NetworkStatus{Type: "wifi", Connected: true}
	probeNetwork = func() NetworkStatus { mu.Lock(); defer mu.Unlock(); return st }
	netPoll = 10 * time.Millisecond
	defer func() { probeNetwork, netPoll = SystemNetwork, 3*time.Second }()
	c := New(Config{})
	defer c.Close()
	s := newSession(t, c, App{ID: "a"}, SocketLimits{})
	if r := s.call("getNetworkType", nil); r["networkType"] != "wifi" {
		t.Errorf("getNetworkType: %v", r)
	}
	s.call("onNetworkStatusChange", nil)
	mu.Lock()
	st = NetworkStatus{Type: "none"}
	mu.Unlock()
	ev, d := s.next()
	if ev.API != "onNetworkStatusChange" || ev.Event != "change" || d["isConnected"] != false || d["networkType"] != "none" {
		t.Errorf("change: %+v %v", ev, d)
	}
	s.cancel()
	s.n.Wait()
}

func TestDefaultRoute(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	v4 := write("v4", head+"wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n")
	none4 := write("none4", head+"eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")
	v6 := write("v6", "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     wwan0\n")
	none6 := write("none6", "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n")
	for _, tt := range []struct {
		v4, v6, want string
		ok           bool
	}{
		{v4, none6, "wlan0", true},
		{none4, v6, "wwan0", true},
		{none4, none6, "", true},
		{filepath.Join(dir, "absent"), filepath.Join(dir, "absent6"), "", false},
	} {
		if got, ok := defaultRoute(tt.v4, tt.v6); got != tt.want || ok != tt.ok {
			t.Errorf("defaultRoute(%s, %s) = %q, %v; want %q, %v", tt.v4, tt.v6, got, ok, tt.want, tt.ok)
		}
	}
}
