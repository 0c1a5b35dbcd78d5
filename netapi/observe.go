package netapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Exchange is one network call of an app as DevTools' Network panel shows it
// (docs/devtools.md): a request, a download, an upload or a WebSocket connect, with
// its outcome. Refused is set when the shell refused the call before it reached the
// network (an undeclared domain, plain http, bad arguments); Error when it failed on
// the way (timeout, DNS, TLS, a connection refused by the address policy).
type Exchange struct {
	App        string            `json:"app"`
	API        string            `json:"api"` // request, downloadFile, uploadFile, connectSocket, socket (its close)
	URL        string            `json:"url"`
	Method     string            `json:"method"`
	Status     int               `json:"status,omitempty"`
	ReqHeader  map[string]string `json:"reqHeader,omitempty"`
	RespHeader map[string]any    `json:"respHeader,omitempty"`
	Start      time.Time         `json:"start"`
	Duration   time.Duration     `json:"duration"`
	ReqBytes   int64             `json:"reqBytes"`
	RespBytes  int64             `json:"respBytes"`
	Preview    string            `json:"preview,omitempty"` // the start of the response body
	Refused    string            `json:"refused,omitempty"`
	Error      string            `json:"error,omitempty"`
}

// Observer hears every Exchange of every app the client serves. ObserveNet is called
// on the calling goroutine once the call ended; it must not block.
type Observer interface {
	ObserveNet(Exchange)
}

type observerBox struct{ o Observer }

// MaxPreview bounds Exchange.Preview.
const MaxPreview = 1024

// SetObserver installs o (nil removes it). With none, a call pays one atomic load.
func (c *Client) SetObserver(o Observer) {
	if o == nil {
		c.obs.Store(nil)
		return
	}
	c.obs.Store(&observerBox{o})
}

func (c *Client) observer() Observer {
	if b := c.obs.Load(); b != nil {
		return b.o
	}
	return nil
}

// Request performs one wx.request (see request); an observer hears it.
func (c *Client) Request(ctx context.Context, app App, args json.RawMessage) (map[string]any, error) {
	o := c.observer()
	if o == nil {
		return c.request(ctx, app, args)
	}
	x := Exchange{App: app.ID, API: "request", Start: time.Now(), Method: "GET"}
	var in struct {
		URL    string          `json:"url"`
		Method string          `json:"method"`
		Header json.RawMessage `json:"header"`
		Data   json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(args, &in)
	x.URL, x.ReqHeader, x.ReqBytes = in.URL, headerStrings(in.Header), int64(len(in.Data))
	if in.Method != "" {
		x.Method = in.Method
	}
	res, err := c.request(ctx, app, args)
	x.Duration = time.Since(x.Start)
	if err == nil {
		x.Status, _ = res["statusCode"].(int)
		x.RespHeader, _ = res["header"].(map[string]any)
		body := ""
		switch d := res["data"].(type) {
		case string:
			body = d
		default:
			b, _ := json.Marshal(d)
			body = string(b)
		}
		x.RespBytes = int64(len(body))
		x.Preview = preview(body)
	}
	outcome(&x, err)
	o.ObserveNet(x)
	return res, err
}

// Download fetches t.URL into w (see download); an observer hears it.
func (c *Client) Download(ctx context.Context, app App, t Transfer, w io.Writer, progress Progress) (TransferResult, error) {
	o := c.observer()
	if o == nil {
		return c.download(ctx, app, t, w, progress)
	}
	x := Exchange{App: app.ID, API: "downloadFile", URL: t.URL, Method: "GET", Start: time.Now(), ReqHeader: headerStrings(t.Header)}
	res, err := c.download(ctx, app, t, w, progress)
	x.Duration = time.Since(x.Start)
	x.Status, x.RespHeader, x.RespBytes = res.StatusCode, res.Header, res.Bytes
	outcome(&x, err)
	o.ObserveNet(x)
	return res, err
}

// Upload posts file as multipart/form-data (see upload); an observer hears it.
func (c *Client) Upload(ctx context.Context, app App, t Transfer, file io.Reader, size int64, progress Progress) (TransferResult, error) {
	o := c.observer()
	if o == nil {
		return c.upload(ctx, app, t, file, size, progress)
	}
	x := Exchange{App: app.ID, API: "uploadFile", URL: t.URL, Method: "POST", Start: time.Now(), ReqHeader: headerStrings(t.Header), ReqBytes: size}
	res, err := c.upload(ctx, app, t, file, size, progress)
	x.Duration = time.Since(x.Start)
	x.Status, x.RespHeader, x.RespBytes, x.Preview = res.StatusCode, res.Header, int64(len(res.Body)), preview(res.Body)
	outcome(&x, err)
	o.ObserveNet(x)
	return res, err
}

// Connect serves wx.connectSocket (see connect); an observer hears the connect (its
// outcome is the checks', the handshake runs on after it).
func (n *AppNet) Connect(raw json.RawMessage) (map[string]any, error) {
	o := n.c.observer()
	if o == nil {
		return n.connect(raw)
	}
	x := Exchange{App: n.app.ID, API: "connectSocket", Method: "GET", Start: time.Now()}
	var in struct {
		URL    string          `json:"url"`
		Header json.RawMessage `json:"header"`
	}
	_ = json.Unmarshal(raw, &in)
	x.URL, x.ReqHeader = in.URL, headerStrings(in.Header)
	res, err := n.connect(raw)
	x.Duration = time.Since(x.Start)
	if err == nil {
		x.Status = 101
	}
	outcome(&x, err)
	o.ObserveNet(x)
	return res, err
}

// socketTraffic counts one socket's messages for the observer.
type socketTraffic struct {
	start  time.Time
	url    string
	rx, tx struct{ n, bytes atomic.Int64 }
}

// count adds one message of size bytes, received (in) or sent; a nil *socketTraffic
// (no observer) counts nothing.
func (t *socketTraffic) count(in bool, size int) {
	if t == nil {
		return
	}
	c := &t.tx
	if in {
		c = &t.rx
	}
	c.n.Add(1)
	c.bytes.Add(int64(size))
}

// observeClose reports a socket's life when it closes: its close code, how long it
// was open, and the messages and bytes each way.
func (n *AppNet) observeClose(s *socket, data map[string]any) {
	o := n.c.observer()
	if o == nil {
		return
	}
	t := s.dev
	code, _ := data["code"].(int)
	reason, _ := data["reason"].(string)
	o.ObserveNet(Exchange{
		App: n.app.ID, API: "socket", URL: t.url, Method: "WS", Status: code, Start: t.start, Duration: time.Since(t.start),
		ReqBytes: t.tx.bytes.Load(), RespBytes: t.rx.bytes.Load(),
		Preview: fmt.Sprintf("closed %d %q: %d messages sent, %d received", code, reason, t.tx.n.Load(), t.rx.n.Load()),
	})
}

func outcome(x *Exchange, err error) {
	if err == nil {
		return
	}
	var r *refusal
	if errors.As(err, &r) {
		x.Refused = err.Error()
		return
	}
	x.Error = err.Error()
}

func headerStrings(raw json.RawMessage) map[string]string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out
}

func preview(s string) string {
	if len(s) > MaxPreview {
		return s[:MaxPreview] + "…"
	}
	return s
}
