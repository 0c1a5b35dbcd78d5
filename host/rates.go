package host

import (
	"fmt"
	"sort"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/perms"
)

// unclassifiedLimit is the rate of an API nobody declared (the registry refuses a
// declaration without a class), kept strict so that nothing is unlimited by omission.
var unclassifiedLimit = bridge.Limit{Rate: 1, Burst: 10}

// RateLimits maps the config's gateway section onto the gateway's buckets, checking it
// against the API table: every rated class has a limit, no other class has one, and an
// override names a host API. Errors name the setting.
func RateLimits(c configs.Config) (bridge.RateLimits, error) {
	rl := bridge.RateLimits{Default: unclassifiedLimit, Classes: map[string]bridge.Limit{}, PerAPI: map[string]bridge.Limit{}}
	rated := perms.RatedClasses()
	for _, class := range rated {
		l, ok := c.Gateway.Classes[class]
		if !ok {
			return rl, fmt.Errorf("config: gateway.classes.%s: missing", class)
		}
		rl.Classes[class] = bridge.Limit{Rate: l.Rate, Burst: l.Burst}
	}
	names := make([]string, 0, len(c.Gateway.Classes))
	for name := range c.Gateway.Classes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := rl.Classes[name]; !ok {
			return rl, fmt.Errorf("config: gateway.classes.%s: not a rate class (the rated classes are %v)", name, rated)
		}
	}
	for i, a := range c.Gateway.APIs {
		if !perms.KnownAPI(a.Name) {
			return rl, fmt.Errorf("config: gateway.apis[%d].name: %q is not a host API", i, a.Name)
		}
		rl.PerAPI[a.Name] = bridge.Limit{Rate: a.Rate, Burst: a.Burst}
	}
	if err := rl.Validate(); err != nil {
		return rl, fmt.Errorf("config: gateway: %w", err)
	}
	return rl, nil
}

// rateClass is the gateway's view of the declarations' rate classes ("" for an API
// nobody declared: the gateway then applies RateLimits.Default).
func rateClass(api string) string {
	c, _ := perms.RateClass(api)
	return c
}
