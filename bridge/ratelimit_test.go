package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type countingObserver struct {
	mu                 sync.Mutex
	denied, rateLimits map[string]int
}

func (o *countingObserver) Denied(app string) {
	o.mu.Lock()
	o.denied[app]++
	o.mu.Unlock()
}

func (o *countingObserver) RateLimited(app string) {
	o.mu.Lock()
	o.rateLimits[app]++
	o.mu.Unlock()
}

// TestGatewayOrderAndBuckets walks one gateway through a sequence of calls: buckets are
// per (app, API), the check runs before the bucket (denied calls take no token), unknown
// APIs reach neither, and every call leaves one audit line.
func TestGatewayOrderAndBuckets(t *testing.T) {
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	audit, err := OpenAudit(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	var (
		allowSecret atomic.Bool
		checked     = map[string]int{}
		ran         = map[string]int{}
		mu          sync.Mutex
	)
	obs := &countingObserver{denied: map[string]int{}, rateLimits: map[string]int{}}
	gw := NewGateway(GatewayConfig{
		Audit: audit, Logger: quiet, Observer: obs,
		// A rate this low refills nothing while the test runs: no timing involved.
		Limits: RateLimits{Default: Limit{Rate: 1e-6, Burst: 2}, PerAPI: map[string]Limit{"request": {Rate: 1e-6, Burst: 1}}},
		Check: func(s Sender, name string) (string, error) {
			mu.Lock()
			checked[name]++
			mu.Unlock()
			if name == "secret" {
				if !allowSecret.Load() {
					return "user:readProfile", errors.New("auth deny")
				}
				return "user:readProfile", nil
			}
			return "", nil
		},
	})
	for _, name := range []string{"ping", "pong", "request", "secret"} {
		gw.Register(name, func(ctx context.Context, s Sender, args json.RawMessage) (map[string]any, *Nav, error) {
			mu.Lock()
			ran[name]++
			mu.Unlock()
			return nil, nil, nil
		})
	}

	steps := []struct {
		app, api     string
		before       func()
		wantErrMsg   string
		wantDecision string
	}{
		{"a", "ping", nil, "ping:ok", "ok"},
		{"a", "ping", nil, "ping:ok", "ok"},
		{"a", "ping", nil, "ping:fail rate limit exceeded", "rate-limited"},
		{"b", "ping", nil, "ping:ok", "ok"}, // another app's bucket
		{"a", "pong", nil, "pong:ok", "ok"}, // another API's bucket
		{"a", "request", nil, "request:ok", "ok"},
		{"a", "request", nil, "request:fail rate limit exceeded", "rate-limited"}, // PerAPI burst 1
		{"a", "secret", nil, "secret:fail auth deny", "denied"},
		{"a", "secret", nil, "secret:fail auth deny", "denied"},
		{"a", "secret", nil, "secret:fail auth deny", "denied"},
		// The three denials took no token: the bucket still holds its burst of 2.
		{"a", "secret", func() { allowSecret.Store(true) }, "secret:ok", "ok"},
		{"a", "secret", nil, "secret:ok", "ok"},
		{"a", "secret", nil, "secret:fail rate limit exceeded", "rate-limited"},
		{"a", "nope", nil, "nope:fail api not found", "error"},
		{"a", "ping", func() { gw.ForgetApp("a") }, "ping:ok", "ok"}, // fresh buckets
	}
	for i, st := range steps {
		if st.before != nil {
			st.before()
		}
		res := gw.Call(context.Background(), Sender{App: st.app}, APICall{ID: uint64(i), Name: st.api})
		var got struct{ ErrMsg string }
		json.Unmarshal(res.Result, &got)
		if got.ErrMsg != st.wantErrMsg || res.OK != (st.wantDecision == "ok") {
			t.Errorf("step %d (%s %s): %s ok=%v, want %s", i, st.app, st.api, res.Result, res.OK, st.wantErrMsg)
		}
	}
	audit.Close()

	if want := map[string]int{"ping": 5, "pong": 1, "request": 2, "secret": 6}; !mapsEqual(checked, want) {
		t.Errorf("check calls %v, want %v (unknown APIs never reach the check)", checked, want)
	}
	if want := map[string]int{"ping": 4, "pong": 1, "request": 1, "secret": 2}; !mapsEqual(ran, want) {
		t.Errorf("handler runs %v, want %v", ran, want)
	}
	if !mapsEqual(obs.denied, map[string]int{"a": 3}) || !mapsEqual(obs.rateLimits, map[string]int{"a": 3}) {
		t.Errorf("observer denied %v rate-limited %v", obs.denied, obs.rateLimits)
	}
	lines := readAudit(t, auditPath)
	if len(lines) != len(steps) {
		t.Fatalf("%d audit lines, want %d", len(lines), len(steps))
	}
	for i, st := range steps {
		e := lines[i]
		if e["decision"] != st.wantDecision || e["api"] != st.api || e["app"] != st.app {
			t.Errorf("audit line %d = %v, want %s", i, e, st.wantDecision)
		}
		if st.wantDecision == "rate-limited" && e["reason"] != "rate limit exceeded" {
			t.Errorf("audit line %d reason %v", i, e["reason"])
		}
		if st.api == "secret" && e["capability"] != "user:readProfile" {
			t.Errorf("audit line %d capability %v", i, e["capability"])
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestGatewayCheckPanicDenies(t *testing.T) {
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	audit, err := OpenAudit(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	obs := &countingObserver{denied: map[string]int{}, rateLimits: map[string]int{}}
	gw := NewGateway(GatewayConfig{Audit: audit, Logger: quiet, Observer: obs,
		Check: func(Sender, string) (string, error) { panic("perms bug") }})
	gw.Register("ping", func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) {
		t.Error("handler ran although the check panicked")
		return nil, nil, nil
	})
	res := gw.Call(context.Background(), Sender{App: "a"}, APICall{Name: "ping"})
	if res.OK || string(res.Result) != `{"errMsg":"ping:fail internal error"}` {
		t.Errorf("result %s", res.Result)
	}
	audit.Close()
	e := readAudit(t, auditPath)[0]
	if e["decision"] != "denied" || e["reason"] != "check panic: perms bug" || obs.denied["a"] != 1 {
		t.Errorf("audit %v, observer %v", e, obs.denied)
	}
}

func TestRateLimitsValidate(t *testing.T) {
	tests := []struct {
		name    string
		limits  RateLimits
		wantErr string
	}{
		{"defaults", DefaultRateLimits(), ""},
		{"zero default rate", RateLimits{Default: Limit{Burst: 1}}, "limits.default.rate: 0 is not"},
		{"negative burst", RateLimits{Default: Limit{Rate: 1, Burst: -1}}, "limits.default.burst: -1 is less than 1"},
		{"per api names the api", RateLimits{Default: Limit{Rate: 1, Burst: 1}, PerAPI: map[string]Limit{"request": {Rate: 1}}},
			"limits.perAPI.request.burst: 0"},
		{"NaN rate", RateLimits{Default: Limit{Rate: nan(), Burst: 1}}, "limits.default.rate: NaN"},
		{"infinite rate", RateLimits{Default: Limit{Rate: inf(), Burst: 1}}, "limits.default.rate: +Inf"},
		{"classes", RateLimits{Default: Limit{Rate: 1, Burst: 1}, Classes: map[string]Limit{"network": {Rate: 5, Burst: 10}}}, ""},
		{"class names the class", RateLimits{Default: Limit{Rate: 1, Burst: 1}, Classes: map[string]Limit{"network": {Rate: 5, Burst: 10}, "feedback": {Rate: 0, Burst: 10}}},
			"limits.classes.feedback.rate: 0 is not"},
		{"no rate for local", RateLimits{Default: Limit{Rate: 1, Burst: 1}, Classes: map[string]Limit{LocalClass: {Rate: 5, Burst: 10}}},
			"limits.classes.local: the local class has no call rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limits.Validate()
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestGatewayDefaultLimits: the zero RateLimits and an invalid one both mean the
// defaults, whose "request" burst is 10.
func TestGatewayDefaultLimits(t *testing.T) {
	for _, limits := range []RateLimits{{}, {Default: Limit{Rate: -1, Burst: 5}}} {
		gw := NewGateway(GatewayConfig{Logger: quiet, Limits: limits})
		gw.Register("request", func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) { return nil, nil, nil })
		ok := 0
		for range 50 {
			if gw.Call(context.Background(), Sender{App: "a"}, APICall{Name: "request"}).OK {
				ok++
			}
		}
		// 10 from the burst, plus whatever refilled at 5/s while the loop ran (well under 1 s).
		if ok < 10 || ok > 15 {
			t.Errorf("limits %+v: %d of 50 request calls allowed, want the burst of 10 (+ refill)", limits, ok)
		}
	}
}

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

// TestGatewayRateClasses: local APIs take no token and their refusals are never
// observed; a rated class shares one bucket per app among its APIs; a per-API override
// has a bucket of its own; an API without a class, or of a class with no limit, falls
// back to Default (fail closed).
func TestGatewayRateClasses(t *testing.T) {
	classes := map[string]string{
		"setStorage": LocalClass, "navigateTo": LocalClass, "pinned": LocalClass, "policyDenied": LocalClass,
		"showToast": "feedback", "showModal": "feedback", "askedTooOften": "feedback",
		"request": "network", "odd": "weird", "odd2": "weird",
	}
	obs := &countingObserver{denied: map[string]int{}, rateLimits: map[string]int{}}
	gw := NewGateway(GatewayConfig{
		Logger: quiet, Observer: obs,
		// A rate this low refills nothing while the test runs: no timing involved.
		Limits: RateLimits{
			Default: Limit{Rate: 1e-6, Burst: 2},
			Classes: map[string]Limit{"feedback": {Rate: 1e-6, Burst: 3}, "network": {Rate: 1e-6, Burst: 1}},
			PerAPI:  map[string]Limit{"pinned": {Rate: 1e-6, Burst: 1}},
		},
		Class: func(api string) string { return classes[api] },
		Check: func(s Sender, name string) (string, error) {
			if name == "policyDenied" || name == "askedTooOften" {
				return "", errors.New("auth deny")
			}
			return "", nil
		},
	})
	for _, name := range []string{"setStorage", "navigateTo", "pinned", "policyDenied", "showToast", "showModal",
		"askedTooOften", "request", "odd", "odd2", "other", "other2"} {
		gw.Register(name, func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) { return nil, nil, nil })
	}
	call := func(app, api string) string {
		res := gw.Call(context.Background(), Sender{App: app}, APICall{Name: api})
		var got struct{ ErrMsg string }
		json.Unmarshal(res.Result, &got)
		return got.ErrMsg
	}
	for i := range 1000 {
		for _, api := range []string{"setStorage", "navigateTo"} {
			if got := call("a", api); got != api+":ok" {
				t.Fatalf("local call %d: %s", i, got)
			}
		}
	}
	for i := range 50 {
		call("a", "policyDenied")
		if got := call("a", "pinned"); (i == 0) != (got == "pinned:ok") {
			t.Fatalf("pinned call %d: %s (the override's burst is 1)", i, got)
		}
	}
	if len(obs.denied)+len(obs.rateLimits) != 0 {
		t.Fatalf("local refusals were reported: denied %v rate-limited %v", obs.denied, obs.rateLimits)
	}

	steps := []struct{ app, api, want string }{
		{"a", "showToast", "showToast:ok"},
		{"a", "showModal", "showModal:ok"},
		{"a", "showToast", "showToast:ok"},
		{"a", "showModal", "showModal:fail rate limit exceeded"}, // one feedback bucket of 3
		{"a", "showToast", "showToast:fail rate limit exceeded"},
		{"b", "showToast", "showToast:ok"}, // another app's bucket
		{"a", "askedTooOften", "askedTooOften:fail auth deny"},
		{"a", "request", "request:ok"},
		{"a", "request", "request:fail rate limit exceeded"},
		{"a", "other", "other:ok"}, // no class: Default, a bucket per API
		{"a", "other", "other:ok"},
		{"a", "other", "other:fail rate limit exceeded"},
		{"a", "other2", "other2:ok"},
		{"a", "odd", "odd:ok"}, // a class without a limit: Default, a bucket per class
		{"a", "odd2", "odd2:ok"},
		{"a", "odd", "odd:fail rate limit exceeded"},
	}
	for i, st := range steps {
		if got := call(st.app, st.api); got != st.want {
			t.Errorf("step %d (%s %s): %s, want %s", i, st.app, st.api, got, st.want)
		}
	}
	if !mapsEqual(obs.denied, map[string]int{"a": 1}) || !mapsEqual(obs.rateLimits, map[string]int{"a": 5}) {
		t.Errorf("observer denied %v rate-limited %v, want the rated refusals only", obs.denied, obs.rateLimits)
	}
}

// TestGoQueuesLocalCalls: Go runs an app's local calls one at a time in call order, on
// a goroutine that ends when the queue is empty; a blocked rated call or another app's
// blocked local call holds nothing up.
func TestGoQueuesLocalCalls(t *testing.T) {
	classes := map[string]string{"setStorage": LocalClass, "hang": LocalClass, "showModal": "feedback"}
	gw := NewGateway(GatewayConfig{Logger: quiet, Class: func(api string) string { return classes[api] },
		Limits: RateLimits{Default: Limit{Rate: 1, Burst: 1}, Classes: map[string]Limit{"feedback": {Rate: 1, Burst: 5}}}})
	var (
		mu      sync.Mutex
		order   []uint64
		running atomic.Int32
	)
	gw.Register("setStorage", func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) {
		if running.Add(1) > 1 {
			t.Error("two local calls of one app ran at once")
		}
		defer running.Add(-1)
		return nil, nil, nil
	})
	release := make(chan struct{})
	block := func(context.Context, Sender, json.RawMessage) (map[string]any, *Nav, error) {
		<-release
		return nil, nil, nil
	}
	gw.Register("showModal", block)
	gw.Register("hang", block)
	ctx := context.Background()
	blocked := make(chan APIResult, 2)
	gw.Go(ctx, Sender{App: "a"}, APICall{Name: "showModal"}, func(r APIResult) { blocked <- r })
	gw.Go(ctx, Sender{App: "b"}, APICall{Name: "hang"}, func(r APIResult) { blocked <- r })

	const n = 500
	done := make(chan struct{})
	for i := range uint64(n) {
		gw.Go(ctx, Sender{App: "a"}, APICall{ID: i, Name: "setStorage"}, func(r APIResult) {
			mu.Lock()
			order = append(order, r.ID)
			if !r.OK {
				t.Errorf("call %d: %s", r.ID, r.Result)
			}
			last := len(order) == n
			mu.Unlock()
			if last {
				close(done)
			}
		})
	}
	<-done
	for i, id := range order {
		if id != uint64(i) {
			t.Fatalf("local calls ran out of order: %v…", order[:i+1])
		}
	}
	close(release)
	for range 2 {
		if r := <-blocked; !r.OK {
			t.Errorf("blocked call: %s", r.Result)
		}
	}
	// The queues are gone once drained: no goroutine waits for more.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		gw.localMu.Lock()
		left := len(gw.local)
		gw.localMu.Unlock()
		if left == 0 {
			return
		}
	}
	t.Error("a drained local queue was kept")
}
