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

// RateLimits are the gateway's buckets: one per (app, API), sized by PerAPI[api] when
// present and by Default otherwise.
type RateLimits struct {
	Default Limit
	PerAPI  map[string]Limit
}

// DefaultRateLimits are the limits used when GatewayConfig.Limits is the zero value:
// 50 calls/s with a burst of 100, and 5/s with a burst of 10 for "request" (network).
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Default: Limit{Rate: 50, Burst: 100},
		PerAPI:  map[string]Limit{"request": {Rate: 5, Burst: 10}},
	}
}

// Validate reports the first limit that is not a positive, finite rate with a burst of at
// least 1, naming it ("limits.perAPI.request.rate: ...").
func (r RateLimits) Validate() error {
	if err := r.Default.validate("limits.default"); err != nil {
		return err
	}
	names := make([]string, 0, len(r.PerAPI))
	for name := range r.PerAPI {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := r.PerAPI[name].validate("limits.perAPI." + name); err != nil {
			return err
		}
	}
	return nil
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

// buckets holds the token buckets of every (app, API) that has made a call. Only
// registered APIs get here, so their number is bounded by apps × APIs.
type buckets struct {
	limits RateLimits
	mu     sync.Mutex
	m      map[bucketKey]*rate.Limiter
}

type bucketKey struct{ app, api string }

func newBuckets(l RateLimits) *buckets {
	return &buckets{limits: l, m: make(map[bucketKey]*rate.Limiter)}
}

// allow takes a token from app's bucket for api, reporting false when it is empty.
func (b *buckets) allow(app, api string) bool {
	k := bucketKey{app, api}
	b.mu.Lock()
	lim, ok := b.m[k]
	if !ok {
		l, ok := b.limits.PerAPI[api]
		if !ok {
			l = b.limits.Default
		}
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
