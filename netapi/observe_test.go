package netapi

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
)

type exchanges struct {
	mu sync.Mutex
	xs []Exchange
}

func (e *exchanges) ObserveNet(x Exchange) { e.mu.Lock(); e.xs = append(e.xs, x); e.mu.Unlock() }

// An observer hears every request, download and upload with its outcome, and the
// refusals as refusals; without one, nothing is recorded.
func TestObserverHearsEveryCall(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test")
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/json")})); err != nil {
		t.Fatal(err)
	}
	obs := &exchanges{}
	c.SetObserver(obs)
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo"), "method": "POST",
		"header": map[string]any{"X-A": "1"}, "data": map[string]any{"q": 1}})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": "https://evil.example.org/x"})); err == nil {
		t.Fatal("an undeclared domain was reached")
	}
	var out bytes.Buffer
	if _, err := c.Download(context.Background(), app, Transfer{URL: f.url("api.example.test", "/big?n=1000")}, &out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Upload(context.Background(), app, Transfer{URL: f.url("api.example.test", "/echo"), Name: "file", FileName: "a.txt"},
		strings.NewReader("abc"), 3, nil); err != nil {
		t.Fatal(err)
	}
	c.SetObserver(nil)
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/json")})); err != nil {
		t.Fatal(err)
	}
	if len(obs.xs) != 4 {
		t.Fatalf("%d exchanges: %+v", len(obs.xs), obs.xs)
	}
	r := obs.xs[0]
	if r.API != "request" || r.Method != "POST" || r.Status != 200 || r.ReqHeader["X-A"] != "1" || r.ReqBytes != 7 ||
		r.RespHeader["X-Method"] != "POST" || !strings.Contains(r.Preview, `"Method":"POST"`) || r.RespBytes == 0 || r.Duration <= 0 || r.App != "a" {
		t.Errorf("request: %+v", r)
	}
	if x := obs.xs[1]; x.Refused == "" || !strings.Contains(x.Refused, "not declared") || x.Status != 0 {
		t.Errorf("refusal: %+v", x)
	}
	if x := obs.xs[2]; x.API != "downloadFile" || x.Status != 200 || x.RespBytes != 1000 {
		t.Errorf("download: %+v", x)
	}
	if x := obs.xs[3]; x.API != "uploadFile" || x.Method != "POST" || x.ReqBytes != 3 || x.Status != 200 {
		t.Errorf("upload: %+v", x)
	}
}

// A WebSocket is heard at its connect and at its close, with the messages each way.
func TestObserverHearsSockets(t *testing.T) {
	ws := newWSServer(t)
	c := ws.client(t, Config{})
	obs := &exchanges{}
	c.SetObserver(obs)
	s := newSession(t, c, ws.app("a", "api.example.test"), SocketLimits{})
	id := s.connect(ws.wss("api.example.test", "/echo"), nil)
	s.expect(id, "open")
	s.call("sendSocketMessage", map[string]any{"socketTaskId": id, "data": "hello"})
	s.expect(id, "message")
	s.call("closeSocket", map[string]any{"socketTaskId": id, "code": 4000, "reason": "done"})
	for {
		if ev, _ := s.next(); ev.Event == "close" {
			break
		}
	}
	s.n.Wait()
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.xs) != 2 || obs.xs[0].API != "connectSocket" || obs.xs[0].Status != 101 {
		t.Fatalf("exchanges: %+v", obs.xs)
	}
	x := obs.xs[1]
	if x.API != "socket" || x.Status != 4000 || x.ReqBytes != 5 || x.RespBytes != 5 || x.Preview != `closed 4000 "done": 1 messages sent, 1 received` {
		t.Errorf("close: %+v", x)
	}
}
