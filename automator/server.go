// Package automator serves the WebSocket protocol that WeChat's `miniprogram-automator`
// npm package speaks to WeChat DevTools, so that test suites written for WeChat run
// against a Sandframe app unchanged (`automator.connect({wsEndpoint})`). It serves one
// running app on loopback only (`shell run DIR --auto-port PORT`); docs/automator.md
// lists the methods and what each does here.
//
// The wire format is WeChat's: the client sends {"id", "method", "params"} as a text
// message and gets {"id", "result"} or {"id", "error": {"message"}}; events (App.logAdded)
// come as {"method", "params"} without an id. The work is done by the same hooks as the
// --automation socket of the Go tests (package automation: pages, probes, screenshots)
// plus the logic runtime's automator requests (logic.Runtime.Automate).
//
// Who may connect: a listener bound to a loopback address (any other is refused), a
// peer on a loopback address, and no Origin header (a web page in a browser always
// sends one, so no site the user visits can drive the app); on Linux the peer must also
// belong to the shell's own user.
package automator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/sandframe/sandframe/automation"
)

// Target is the running app the server drives.
type Target interface {
	automation.Target
	// Automate runs a request in the app's logic (logic.Runtime.Automate).
	Automate(ctx context.Context, op string, params json.RawMessage) (json.RawMessage, error)
}

// Closer is a target the client may close (Tool.close).
type Closer interface{ Close() }

// Launcher is a target that says when its first page is open; requests wait for it.
type Launcher interface{ Launched() <-chan struct{} }

// ProbeEnabler is a target whose page answers probes only once told to (host.Session
// without an --automation socket): serving it tells it.
type ProbeEnabler interface{ EnableProbes() }

// maxMessage bounds one request.
const maxMessage = 16 << 20

// callTimeout bounds one request (a showModal nobody answers).
var callTimeout = 30 * time.Second

// Server serves the protocol on one listener.
type Server struct {
	ln     net.Listener
	srv    *http.Server
	target Target
	log    *slog.Logger
	done   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	// console, when set, carries the app's console lines to clients (App.enableLog).
	console *Console
}

// Option configures a server.
type Option func(*Server)

// WithConsole sends the app's console lines that c sees to the clients that call
// App.enableLog (miniProgram.on('console', ...)). c must be the handler of the
// session's logger (host.Options.Logger).
func WithConsole(c *Console) Option { return func(s *Server) { s.console = c } }

// LoopbackAddr resolves a --auto-port value: a bare port ("9420") is 127.0.0.1:9420;
// "localhost:9420" is 127.0.0.1:9420; any host that is not a loopback address is an
// error.
func LoopbackAddr(addr string) (string, error) {
	if _, err := strconv.Atoi(addr); err == nil {
		addr = "127.0.0.1:" + addr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("automator address %q: %w", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("automator address %q: bad port", addr)
	}
	switch host {
	case "", "localhost":
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("automator address %q: only a loopback address may be served (127.0.0.1, ::1): the protocol runs code in the app", addr)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

// Listen binds addr, which must be a loopback address (see LoopbackAddr); port 0
// picks a free port (Server.Addr, and the log line, say which).
func Listen(addr string) (net.Listener, error) {
	addr, err := LoopbackAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("automator: %w", err)
	}
	return ln, nil
}

// Start listens on addr (Listen) and serves t until ctx ends or Close.
func Start(ctx context.Context, addr string, t Target, log *slog.Logger, opts ...Option) (*Server, error) {
	ln, err := Listen(addr)
	if err != nil {
		return nil, err
	}
	return ServeListener(ctx, ln, t, log, opts...), nil
}

// ServeListener serves t on ln (from Listen) until ctx ends or Close.
func ServeListener(ctx context.Context, ln net.Listener, t Target, log *slog.Logger, opts ...Option) *Server {
	if log == nil {
		log = slog.Default()
	}
	if p, ok := t.(ProbeEnabler); ok {
		p.EnableProbes()
	}
	s := &Server{ln: ln, target: t, log: log, done: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("automator: server stopped", "err", err)
		}
	}()
	go func() {
		<-s.ctx.Done()
		s.srv.Close()
	}()
	log.Info("automator: serving WeChat's automator protocol", "wsEndpoint", "ws://"+ln.Addr().String())
	return s
}

// Serve is Start, then waits until ctx ends.
func Serve(ctx context.Context, addr string, t Target, opts ...Option) error {
	s, err := Start(ctx, addr, t, nil, opts...)
	if err != nil {
		return err
	}
	<-ctx.Done()
	return s.Close()
}

// Addr is where the server listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops serving and closes the connections.
func (s *Server) Close() error {
	s.cancel()
	<-s.done
	return nil
}

// allowed says why a connection is refused, or "".
func (s *Server) allowed(r *http.Request) string {
	if r.Header.Get("Origin") != "" {
		return "a request with an Origin (a web page) may not drive the app"
	}
	peer, err := net.ResolveTCPAddr("tcp", r.RemoteAddr)
	if err != nil || !peer.IP.IsLoopback() {
		return "only a loopback peer may connect"
	}
	local, _ := s.ln.Addr().(*net.TCPAddr)
	if local != nil {
		if err := samePeerUser(peer, local); err != nil {
			return err.Error()
		}
	}
	return ""
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if why := s.allowed(r); why != "" {
		s.log.Warn("automator: connection refused", "peer", r.RemoteAddr, "reason", why)
		http.Error(w, why, http.StatusForbidden)
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		s.log.Warn("automator: websocket handshake failed", "peer", r.RemoteAddr, "err", err)
		return
	}
	c.SetReadLimit(maxMessage)
	s.log.Info("automator: client connected", "peer", r.RemoteAddr)
	s.serveConn(c)
}

type request struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

type wireError struct {
	Message string `json:"message"`
}

type event struct {
	Method string `json:"method"`
	Params any    `json:"params"`
}

type response struct {
	ID     json.RawMessage `json:"id"`
	Result any             `json:"result,omitempty"`
	Error  *wireError      `json:"error,omitempty"`
}

func (s *Server) serveConn(c *websocket.Conn) {
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	var wmu sync.Mutex
	var wg sync.WaitGroup
	write := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			s.log.Warn("automator: answer not encodable", "err", err)
			return
		}
		wmu.Lock()
		defer wmu.Unlock()
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		_ = c.Write(wctx, websocket.MessageText, b)
	}
	defer func() {
		cancel()
		wg.Wait()
		c.Close(websocket.StatusNormalClosure, "")
	}()
	logging := false
	for {
		typ, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		var req request
		if err := json.Unmarshal(data, &req); err != nil || req.Method == "" {
			write(response{ID: req.ID, Error: &wireError{Message: "bad request: not {id, method, params}"}})
			continue
		}
		if req.Method == "App.enableLog" && s.console != nil && !logging {
			logging = true
			id, events := s.console.hub.subscribe()
			defer s.console.hub.unsubscribe(id)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case e := <-events:
						write(event{Method: "App.logAdded", Params: e})
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		// Each request runs on its own: a wx.showModal waiting for a person must not
		// hold up the calls that follow it.
		wg.Add(1)
		go func(req request) {
			defer wg.Done()
			cctx, ccancel := context.WithTimeout(ctx, callTimeout)
			defer ccancel()
			result, after, err := s.call(cctx, req.Method, req.Params)
			if err != nil {
				write(response{ID: req.ID, Error: &wireError{Message: err.Error()}})
			} else {
				if result == nil {
					result = struct{}{}
				}
				write(response{ID: req.ID, Result: result})
			}
			if after != nil {
				after()
			}
		}(req)
	}
}
