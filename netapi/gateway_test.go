package netapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
)

// TestThroughGateway wires Request as the gateway's "request" handler, the way the host
// does, and checks the errMsg a mini-app sees.
func TestThroughGateway(t *testing.T) {
	c := netapi.New(netapi.Config{})
	defer c.Close()
	domains := map[string][]string{"dev.example.news": {"api.example.com"}}
	gw := bridge.NewGateway(bridge.GatewayConfig{
		Limits: bridge.RateLimits{Default: bridge.Limit{Rate: 1e-6, Burst: 100}, PerAPI: map[string]bridge.Limit{"request": {Rate: 1e-6, Burst: 3}}},
		Check:  func(bridge.Sender, string) (string, error) { return "network:request", nil },
	})
	gw.Register("request", func(ctx context.Context, s bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		res, err := c.Request(ctx, netapi.App{ID: s.App, Domains: domains[s.App]}, args)
		return res, nil, err
	})
	// No outside network in tests: every call here is refused before it would connect,
	// and the bucket's 3 tokens run out on the fourth.
	for _, tt := range []struct{ args, want string }{
		{`{"url":"https://evil.example.org/steal"}`, "request:fail url not in domain list: evil.example.org is not declared in app.json network.domains"},
		{`{"url":"http://127.0.0.1:9/"}`, "request:fail plain http is allowed only to loopback in dev mode: 127.0.0.1"},
		{`{"url":"https://api.example.com/x","header":{"Cookie":"sid=forged"}}`, "request:fail header Cookie is not allowed: the shell keeps each app's cookies"},
		{`{"url":"https://api.example.com/x"}`, "request:fail rate limit exceeded"},
	} {
		res := gw.Call(context.Background(), bridge.Sender{App: "dev.example.news"}, bridge.APICall{Name: "request", Args: json.RawMessage(tt.args)})
		var out struct{ ErrMsg string }
		if err := json.Unmarshal(res.Result, &out); err != nil || out.ErrMsg != tt.want {
			t.Errorf("%s: %s, want %q", tt.args, res.Result, tt.want)
		}
	}
}
