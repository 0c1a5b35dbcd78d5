package netapi

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/sandframe/sandframe/bridge"
)

// SocketLimits bound one app session's WebSockets; a zero field takes its default.
type SocketLimits struct {
	MaxSockets      int           // open or connecting at once (WeChat's 5)
	MaxMessageBytes int64         // one message either way (1 MiB)
	SendQueue       int           // messages waiting to be written, per socket (64)
	InPerSecond     float64       // messages a second handed to logic, per socket (200)
	InBytesPerSec   float64       // bytes a second handed to logic, per socket (4 MiB)
	CloseWait       time.Duration // how long a closing handshake may take (5 s)
}

// Default socket limits.
const (
	DefaultMaxSockets      = 5
	DefaultMaxSocketBytes  = 1 << 20
	defaultSendQueue       = 64
	defaultInPerSecond     = 200
	defaultInBytesPerSec   = 4 << 20
	defaultCloseWait       = 5 * time.Second
	defaultHandshakeWait   = 60 * time.Second
	maxProtocols           = 16
	maxCloseReasonBytes    = 123 // what fits in a close frame
	socketWriteTimeout     = 30 * time.Second
	socketEventAPI         = "connectSocket"
	errSocketNotConnected  = "WebSocket is not connected"
	socketStatusAbnormal   = 1006
	socketStatusGoingAway  = 1001
	socketStatusTooBig     = 1009
	socketStatusNormal     = 1000
	socketStatusAppMinimum = 3000
	socketStatusAppMaximum = 4999
)

func (l SocketLimits) withDefaults() SocketLimits {
	if l.MaxSockets <= 0 {
		l.MaxSockets = DefaultMaxSockets
	}
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = DefaultMaxSocketBytes
	}
	if l.SendQueue <= 0 {
		l.SendQueue = defaultSendQueue
	}
	if l.InPerSecond <= 0 {
		l.InPerSecond = defaultInPerSecond
	}
	if l.InBytesPerSec <= 0 {
		l.InBytesPerSec = defaultInBytesPerSec
	}
	if l.CloseWait <= 0 {
		l.CloseWait = defaultCloseWait
	}
	return l
}

// AppNet is one app session's live network: its WebSockets and its subscription to
// network status changes. The host makes one per session, with the session's context:
// when it ends every socket closes (1001 "going away") and no event follows. Events
// reach the app's logic through emit as bridge.APIEvent messages.
type AppNet struct {
	c    *Client
	app  App
	ctx  context.Context
	emit func(bridge.APIEvent)
	lim  SocketLimits
	hc   *http.Client

	mu      sync.Mutex
	next    uint64
	sockets map[uint64]*socket
	netSub  bool
	wg      sync.WaitGroup
}

// NewAppNet makes the live network of one app session.
func NewAppNet(ctx context.Context, c *Client, app App, emit func(bridge.APIEvent), lim SocketLimits) *AppNet {
	n := &AppNet{c: c, app: app, ctx: ctx, emit: emit, lim: lim.withDefaults(), sockets: map[uint64]*socket{}}
	// The handshake is HTTP/1.1 through the client's own dialer (resolver, address
	// policy, dial-time check); no proxy, no connection reuse, no redirects (a WebSocket
	// handshake does not follow them), and the app's cookie jar, as for wx.request.
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            c.dial,
		TLSClientConfig:        &tls.Config{RootCAs: c.cfg.RootCAs, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}},
		TLSHandshakeTimeout:    10 * time.Second,
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	n.hc = &http.Client{
		Transport: tr,
		Jar:       c.jar(app.ID),
		CheckRedirect: func(next *http.Request, _ []*http.Request) error {
			return refusef("the server redirected the handshake to %s: a WebSocket does not follow redirects", next.URL.Redacted())
		},
	}
	return n
}

// Wait blocks until every socket's goroutines have ended (after the context ended, or
// every socket closed).
func (n *AppNet) Wait() { n.wg.Wait() }

// Open is how many sockets are open or connecting.
func (n *AppNet) Open() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.sockets)
}

func (n *AppNet) send(api string, task uint64, event string, data map[string]any) {
	if n.ctx.Err() != nil {
		return // the session ended: the app hears nothing more
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return
	}
	n.emit(bridge.APIEvent{API: api, Task: task, Event: event, Data: raw})
}

// socket is one WebSocket of an app.
type socket struct {
	id  uint64
	out chan outFrame

	mu          sync.Mutex
	open        bool          // the handshake succeeded and no close was asked for
	closeAsked  chan struct{} // closed when the app (or the session's end) asks to close
	closing     bool
	closeCode   int
	closeReason string

	dev *socketTraffic // counted only while an observer listens (observe.go)
}

type outFrame struct {
	typ  websocket.MessageType
	data []byte
}

// askClose records the first close request; false if one was made before.
func (s *socket) askClose(code int, reason string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.closing, s.open = true, false
	s.closeCode, s.closeReason = code, reason
	close(s.closeAsked)
	return true
}

func (s *socket) closeWanted() (int, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeCode, s.closeReason, s.closing
}

// socketArgs is a parsed wx.connectSocket option object. tcpNoDelay and
// perMessageDeflate are ignored (messages are never compressed: no deflate bomb).
type socketArgs struct {
	url       *url.URL
	header    [][2]string
	protocols []string
	timeout   time.Duration
}

func parseSocketArgs(raw json.RawMessage) (socketArgs, error) {
	var in struct {
		URL       json.RawMessage `json:"url"`
		Header    json.RawMessage `json:"header"`
		Protocols []any           `json:"protocols"`
		Timeout   json.RawMessage `json:"timeout"`
	}
	var a socketArgs
	if err := json.Unmarshal(raw, &in); err != nil {
		return a, refusef("options must be an object: %v", err)
	}
	s, err := optString(in.URL, "url")
	if err != nil {
		return a, err
	}
	if s == "" {
		return a, refusef("url is required")
	}
	if a.url, err = url.Parse(s); err != nil || !a.url.IsAbs() {
		return a, refusef("invalid url %q", s)
	}
	a.url.Fragment, a.url.RawFragment = "", ""
	if a.header, err = parseHeader(in.Header); err != nil {
		return a, err
	}
	if len(in.Protocols) > maxProtocols {
		return a, refusef("at most %d protocols", maxProtocols)
	}
	for _, p := range in.Protocols {
		ps, ok := p.(string)
		if !ok || !validHeaderName(ps) {
			return a, refusef("protocols must be tokens (letters, digits and !#$%%&'*+-.^_`|~)")
		}
		a.protocols = append(a.protocols, ps)
	}
	if len(in.Timeout) > 0 && string(in.Timeout) != "null" {
		var ms float64
		if err := json.Unmarshal(in.Timeout, &ms); err != nil || math.IsNaN(ms) {
			return a, refusef("timeout must be a number of milliseconds")
		}
		if ms > 0 {
			a.timeout = time.Duration(math.Min(ms, float64(math.MaxInt64/int64(time.Millisecond)))) * time.Millisecond
		}
	}
	return a, nil
}

// checkSocketURL applies wx.request's rules to a WebSocket url: wss to a declared host
// and port; plain ws only to loopback in dev mode.
func checkSocketURL(u *url.URL, rules []domainRule, dev bool) error {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch strings.ToLower(u.Scheme) {
	case "wss":
	case "ws":
		if !dev || !isLoopbackHost(host) {
			return refusef("invalid url %q: use wss (plain ws is allowed only to loopback in dev mode)", u.Redacted())
		}
	default:
		return refusef("invalid url %q: a WebSocket url starts with wss://", u.Redacted())
	}
	h := *u
	h.Scheme = map[string]string{"wss": "https", "ws": "http"}[strings.ToLower(u.Scheme)]
	return checkURL(&h, rules, dev)
}

// Connect serves wx.connectSocket: it checks the url, the header and the number of
// sockets, and starts connecting; the answer is the new socket's id. What happens next
// arrives as events: open, message, error, close.
func (n *AppNet) connect(raw json.RawMessage) (map[string]any, error) {
	if n.app.ID == "" {
		return nil, errors.New("no app id")
	}
	rules, err := parseDomains(n.app.Domains)
	if err != nil {
		return nil, fmt.Errorf("app.json %w", err)
	}
	a, err := parseSocketArgs(raw)
	if err != nil {
		return nil, err
	}
	if err := checkSocketURL(a.url, rules, n.c.cfg.DevMode); err != nil {
		return nil, err
	}
	n.mu.Lock()
	if n.ctx.Err() != nil {
		n.mu.Unlock()
		return nil, errors.New("abort")
	}
	if len(n.sockets) >= n.lim.MaxSockets {
		n.mu.Unlock()
		return nil, refusef("at most %d WebSockets may be open at once", n.lim.MaxSockets)
	}
	n.next++
	s := &socket{id: n.next, out: make(chan outFrame, n.lim.SendQueue), closeAsked: make(chan struct{})}
	if n.c.observer() != nil {
		s.dev = &socketTraffic{start: time.Now(), url: a.url.String()}
	}
	n.sockets[s.id] = s
	n.wg.Add(1)
	n.mu.Unlock()
	go n.run(s, a)
	return map[string]any{"socketTaskId": s.id}, nil
}

func (n *AppNet) remove(id uint64) {
	n.mu.Lock()
	delete(n.sockets, id)
	n.mu.Unlock()
}

func (n *AppNet) lookup(raw json.RawMessage) (*socket, error) {
	var in struct {
		ID *uint64 `json:"socketTaskId"`
	}
	if err := json.Unmarshal(raw, &in); err != nil || in.ID == nil {
		return nil, errors.New(errSocketNotConnected)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	s := n.sockets[*in.ID]
	if s == nil {
		return nil, errors.New(errSocketNotConnected)
	}
	return s, nil
}

// Send serves SocketTask.send and wx.sendSocketMessage: data is a string, or base64
// with binary true (an ArrayBuffer). It queues the message and answers at once; a
// full queue fails the call rather than wait.
func (n *AppNet) Send(raw json.RawMessage) error {
	s, err := n.lookup(raw)
	if err != nil {
		return err
	}
	var in struct {
		Data   *string `json:"data"`
		Binary bool    `json:"binary"`
	}
	if err := json.Unmarshal(raw, &in); err != nil || in.Data == nil {
		return refusef("data must be a string or an ArrayBuffer")
	}
	f := outFrame{typ: websocket.MessageText, data: []byte(*in.Data)}
	if in.Binary {
		b, err := base64.StdEncoding.DecodeString(*in.Data)
		if err != nil {
			return refusef("data: invalid base64")
		}
		f = outFrame{typ: websocket.MessageBinary, data: b}
	}
	if int64(len(f.data)) > n.lim.MaxMessageBytes {
		return refusef("message exceeds %d bytes", n.lim.MaxMessageBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return errors.New(errSocketNotConnected)
	}
	select {
	case s.out <- f:
		return nil
	default:
		return refusef("send queue full: %d messages are waiting to be written", cap(s.out))
	}
}

// Close serves SocketTask.close and wx.closeSocket: code 1000 (the default) or
// 3000–4999, a reason of at most 123 bytes. Messages queued before are written first.
func (n *AppNet) Close(raw json.RawMessage) error {
	s, err := n.lookup(raw)
	if err != nil {
		return err
	}
	var in struct {
		Code   *float64 `json:"code"`
		Reason *string  `json:"reason"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return refusef("code must be a number and reason a string")
	}
	code, reason := socketStatusNormal, ""
	if in.Code != nil {
		c := *in.Code
		if c != math.Trunc(c) || (c != socketStatusNormal && (c < socketStatusAppMinimum || c > socketStatusAppMaximum)) {
			return refusef("code must be 1000 or between 3000 and 4999")
		}
		code = int(c)
	}
	if in.Reason != nil {
		reason = *in.Reason
		if len(reason) > maxCloseReasonBytes || !utf8.ValidString(reason) {
			return refusef("reason must be UTF-8 of at most %d bytes", maxCloseReasonBytes)
		}
	}
	s.askClose(code, reason)
	return nil
}

// run is one socket's life: dial, then read until it closes. Every event of the socket
// is sent from here, in order.
func (n *AppNet) run(s *socket, a socketArgs) {
	defer n.wg.Done()
	defer n.remove(s.id)
	// The session's end asks every socket to close, as the app could.
	stop := context.AfterFunc(n.ctx, func() { s.askClose(socketStatusGoingAway, "") })
	defer stop()

	timeout := defaultHandshakeWait
	if a.timeout > 0 && a.timeout < timeout {
		timeout = a.timeout
	}
	dctx, dcancel := context.WithTimeoutCause(n.ctx, timeout, errTimeout)
	go func() { // a close asked during the handshake abandons it
		select {
		case <-s.closeAsked:
			dcancel()
		case <-dctx.Done():
		}
	}()
	h := http.Header{}
	for _, kv := range a.header {
		h.Add(kv[0], kv[1])
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", "Sandframe")
	}
	conn, resp, err := websocket.Dial(dctx, a.url.String(), &websocket.DialOptions{
		HTTPClient: n.hc, HTTPHeader: h, Subprotocols: a.protocols, CompressionMode: websocket.CompressionDisabled,
	})
	dcancel()
	if err != nil {
		if code, reason, asked := s.closeWanted(); asked {
			n.closed(s, map[string]any{"code": code, "reason": reason})
			return
		}
		n.send(socketEventAPI, s.id, "error", map[string]any{"errMsg": n.c.reason(n.ctx, dctx, err).Error()})
		n.closed(s, map[string]any{"code": socketStatusAbnormal, "reason": ""})
		return
	}
	conn.SetReadLimit(n.lim.MaxMessageBytes)

	s.mu.Lock()
	s.open = !s.closing
	s.mu.Unlock()
	header := map[string]any{}
	if resp != nil {
		for k, vs := range resp.Header {
			header[k] = strings.Join(vs, ", ")
		}
	}
	n.send(socketEventAPI, s.id, "open", map[string]any{"header": header, "protocol": conn.Subprotocol()})

	rctx, rcancel := context.WithCancel(context.Background())
	defer rcancel()
	wdone := make(chan struct{})
	go n.write(rctx, conn, s, wdone)
	defer func() { <-wdone }()

	p := newPacer(n.lim)
	for {
		typ, data, err := conn.Read(rctx)
		if err != nil {
			rcancel()
			n.ended(s, err)
			return
		}
		s.dev.count(true, len(data))
		if err := p.wait(rctx, len(data)); err != nil {
			continue // closing: the next Read ends the loop
		}
		if _, _, asked := s.closeWanted(); asked {
			continue // as in browsers: nothing is delivered once the app asked to close
		}
		ev := map[string]any{"data": string(data)}
		if typ == websocket.MessageBinary {
			ev = map[string]any{"data": base64.StdEncoding.EncodeToString(data), "binary": true}
		}
		n.send(socketEventAPI, s.id, "message", ev)
	}
}

// closed reports the socket's close, once its place among the app's sockets is free:
// an app that reconnects from onClose is not refused for the socket that just closed.
func (n *AppNet) closed(s *socket, data map[string]any) {
	n.remove(s.id)
	if s.dev != nil {
		n.observeClose(s, data)
	}
	n.send(socketEventAPI, s.id, "close", data)
}

// ended reports how a socket ended: the close frame's code and reason, or an error and
// 1006 (1009 for a message over the limit) when the connection just broke.
func (n *AppNet) ended(s *socket, err error) {
	if code := websocket.CloseStatus(err); code != -1 {
		var ce websocket.CloseError
		reason := ""
		if errors.As(err, &ce) {
			reason = ce.Reason
		}
		n.closed(s, map[string]any{"code": int(code), "reason": reason})
		return
	}
	if code, reason, asked := s.closeWanted(); asked {
		// We closed and the peer did not answer with a close frame in time.
		n.closed(s, map[string]any{"code": code, "reason": reason})
		return
	}
	code, msg := socketStatusAbnormal, err.Error()
	if strings.Contains(msg, "read limited at") {
		code, msg = socketStatusTooBig, fmt.Sprintf("message exceeds %d bytes", n.lim.MaxMessageBytes)
	}
	n.send(socketEventAPI, s.id, "error", map[string]any{"errMsg": msg})
	n.closed(s, map[string]any{"code": code, "reason": ""})
}

// write writes the queued messages in order; a close request writes what was queued
// before it, then closes (the handshake waits at most CloseWait for the peer).
func (n *AppNet) write(ctx context.Context, conn *websocket.Conn, s *socket, done chan<- struct{}) {
	defer close(done)
	put := func(f outFrame) bool {
		wctx, cancel := context.WithTimeout(ctx, socketWriteTimeout)
		defer cancel()
		if conn.Write(wctx, f.typ, f.data) != nil {
			return false
		}
		s.dev.count(false, len(f.data))
		return true
	}
	for {
		select {
		case f := <-s.out:
			if !put(f) {
				return
			}
		case <-s.closeAsked:
			for drained := false; !drained; {
				select {
				case f := <-s.out:
					if !put(f) {
						drained = true
					}
				default:
					drained = true
				}
			}
			code, reason, _ := s.closeWanted()
			closed := make(chan struct{})
			go func() {
				_ = conn.Close(websocket.StatusCode(code), reason)
				close(closed)
			}()
			select {
			case <-closed:
			case <-time.After(n.lim.CloseWait):
				_ = conn.CloseNow()
				<-closed
			}
			return
		case <-ctx.Done():
			return
		}
	}
}

// pacer bounds how fast one socket hands messages to logic: past the rate the shell
// stops reading, and TCP slows the server down. Nothing is dropped.
type pacer struct {
	lim           SocketLimits
	msgs, bytes   float64
	last          time.Time
	burst, bBurst float64
}

func newPacer(l SocketLimits) *pacer {
	bb := math.Max(l.InBytesPerSec, float64(l.MaxMessageBytes))
	return &pacer{lim: l, msgs: l.InPerSecond, bytes: bb, last: time.Now(), burst: l.InPerSecond, bBurst: bb}
}

func (p *pacer) wait(ctx context.Context, size int) error {
	for {
		now := time.Now()
		el := now.Sub(p.last).Seconds()
		p.last = now
		p.msgs = math.Min(p.burst, p.msgs+el*p.lim.InPerSecond)
		p.bytes = math.Min(p.bBurst, p.bytes+el*p.lim.InBytesPerSec)
		if p.msgs >= 1 && p.bytes >= float64(size) {
			p.msgs--
			p.bytes -= float64(size)
			return nil
		}
		need := math.Max((1-p.msgs)/p.lim.InPerSecond, (float64(size)-p.bytes)/p.lim.InBytesPerSec)
		t := time.NewTimer(time.Duration(need*float64(time.Second)) + time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
