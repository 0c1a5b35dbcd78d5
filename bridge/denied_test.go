package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

type deniedCounter struct{ denied int }

func (c *deniedCounter) Denied(string)      { c.denied++ }
func (c *deniedCounter) RateLimited(string) {}

// A refused call of an API with a RegisterDenied answer gets that answer with ":ok";
// the handler does not run, and the refusal is not an anomaly. Without one, the same
// refusal fails and is counted.
func TestGatewayDeniedFallback(t *testing.T) {
	obs := &deniedCounter{}
	gw := NewGateway(GatewayConfig{Logger: quiet, Observer: obs, Class: func(string) string { return "prompt" },
		Check: func(Sender, string) (string, error) { return "user:readProfile", errors.New("auth deny") }})
	ran := false
	h := func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) {
		ran = true
		return map[string]any{"who": "Ada"}, nil, nil
	}
	gw.Register("getUserInfo", h)
	gw.Register("getLocation", h)
	gw.RegisterDenied("getUserInfo", func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) {
		return map[string]any{"who": "anonymous"}, nil, nil
	})
	res := gw.Call(context.Background(), Sender{App: "a"}, APICall{ID: 1, Name: "getUserInfo"})
	if !res.OK || string(res.Result) != `{"errMsg":"getUserInfo:ok","who":"anonymous"}` || ran || obs.denied != 0 {
		t.Errorf("with a fallback: ok %v, %s, handler ran %v, denials counted %d", res.OK, res.Result, ran, obs.denied)
	}
	res = gw.Call(context.Background(), Sender{App: "a"}, APICall{ID: 2, Name: "getLocation"})
	if res.OK || string(res.Result) != `{"errMsg":"getLocation:fail auth deny"}` || ran || obs.denied != 1 {
		t.Errorf("without: ok %v, %s, handler ran %v, denials counted %d", res.OK, res.Result, ran, obs.denied)
	}
}
