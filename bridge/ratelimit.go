package bridge

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"golang.org/x/time/rate"
)

// Limit is one token bucket: Rate tokens per second refill a bucket of Burst tokens, and
// each call takes one.
type Limit struct {
	Rate  float64
	Burst int
}

// LocalClass is the rate class without a call rate: APIs that work on the app's own
// state (its storage, its page stack, system info) and are bounded by their quotas.
// Their calls take no token, and a refusal of one (a per-API override, a policy denial)
// is never reported to the Observer, so a burst of local calls cannot stop an app.
const LocalClass = "local"

// RateLimits are the gateway's call rates. GatewayConfig.Class names each API's rate
// class; the API's bucket, one per app, is then:
//   - PerAPI[api] when listed: a bucket of the API's own (an override, whatever its class);
//   - none for LocalClass;
//   - Classes[class]: one bucket shared by every API of the class;
//   - Default: for an API without a class (a bucket per API), or of a class that
//     Classes lacks (a bucket per class). It fails closed: nothing is unlimited by omission.
type RateLimits struct {
	Default Limit
	Classes map[string]Limit
	PerAPI  map[string]Limit
}

// DefaultRateLimits are the limits used when GatewayConfig.Limits is the zero value:
// 50 calls/s with a burst of 100 for every API, and 5/s with a burst of 10 for
// "request" (network). The shell's configuration gives classes instead (configs/shell.yaml).
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Default: Limit{Rate: 50, Burst: 100},
		PerAPI:  map[string]Limit{"request": {Rate: 5, Burst: 10}},
	}
}

// Validate reports the first limit that is not a positive, finite rate with a burst of at
// least 1, naming it ("limits.perAPI.request.rate: ..."). LocalClass may not have one.
func (r RateLimits) Validate() error {
	if err := r.Default.validate("limits.default"); err != nil {
		return err
	}
	if _, ok := r.Classes[LocalClass]; ok {
		return fmt.Errorf("limits.classes.%s: the local class has no call rate", LocalClass)
	}
	for _, name := range sortedKeys(r.Classes) {
		if err := r.Classes[name].validate("limits.classes." + name); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(r.PerAPI) {
		if err := r.PerAPI[name].validate("limits.perAPI." + name); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]Limit) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (l Limit) validate(field string) error {
	if !(l.Rate > 0) || math.IsInf(l.Rate, 0) {
		return fmt.Errorf("%s.rate: %v is not a positive number of calls per second", field, l.Rate)
	}
	if l.Burst < 1 {
		return fmt.Errorf("%s.burst: %d is less than 1", field, l.Burst)
	}
	return nil
}

// buckets holds the token buckets of every (app, bucket) that has made a call. Only
// registered APIs get here, so their number is bounded by apps × APIs.
type buckets struct {
	limits RateLimits
	class  func(api string) string
	mu     sync.Mutex
	m      map[bucketKey]*rate.Limiter
}

// bucketKey names one app's bucket: of an API (api set) or of a class (class set).
type bucketKey struct{ app, api, class string }

func newBuckets(l RateLimits, class func(string) string) *buckets {
	if class == nil {
		class = func(string) string { return "" }
	}
	return &buckets{limits: l, class: class, m: make(map[bucketKey]*rate.Limiter)}
}

// rated reports whether api has a call rate by its class: false for a local API, whose
// refusals must not count as abuse (a per-API override still limits it).
func (b *buckets) rated(api string) bool { return b.class(api) != LocalClass }

// allow takes a token from the bucket of app's call of api, reporting false when it is
// empty.
func (b *buckets) allow(app, api string) bool {
	class := b.class(api)
	k, l := bucketKey{app: app, api: api}, b.limits.Default
	if pl, ok := b.limits.PerAPI[api]; ok {
		l = pl
	} else if class == LocalClass {
		return true
	} else if cl, ok := b.limits.Classes[class]; ok {
		k, l = bucketKey{app: app, class: class}, cl
	} else if class != "" {
		k = bucketKey{app: app, class: class}
	}
	b.mu.Lock()
	lim, found := b.m[k]
	if !found {
		lim = rate.NewLimiter(rate.Limit(l.Rate), l.Burst)
		b.m[k] = lim
	}
	b.mu.Unlock()
	return lim.Allow()
}

// forget drops app's buckets (its next call starts with full buckets).
func (b *buckets) forget(app string) {
	b.mu.Lock()
	for k := range b.m {
		if k.app == app {
			delete(b.m, k)
		}
	}
	b.mu.Unlock()
}
