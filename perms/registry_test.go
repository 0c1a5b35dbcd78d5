package perms_test

import (
	"testing"

	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/hostapi/all"
	"github.com/sandframe/sandframe/perms"
)

// Importing all links every declaring package into this test binary, so the internal
// tests of perms see the whole registry, as the shell does.

// Every declared API has a known rate class, every rated class is used, and every
// capability a declaration names is in the catalog with at least one API: a new API
// cannot slip in without a rate or with a capability nobody can grant.
func TestRegistryAgainstTheCatalog(t *testing.T) {
	rated := map[string]bool{}
	for _, c := range perms.RatedClasses() {
		if c == perms.ClassLocal || rated[c] {
			t.Errorf("RatedClasses lists %q wrongly", c)
		}
		rated[c] = true
	}
	used := map[string]bool{}
	for _, d := range all.Decls() {
		used[d.Class] = true
		if c, ok := perms.RateClass(d.Name); !ok || c != d.Class {
			t.Errorf("RateClass(%s) = %q, %v; declared %q", d.Name, c, ok, d.Class)
		}
		if !perms.KnownAPI(d.Name) {
			t.Errorf("KnownAPI(%s) = false", d.Name)
		}
		got, ok := perms.CapabilityForAPI(d.Name)
		if got != d.Capability || ok != (d.Capability != "") {
			t.Errorf("CapabilityForAPI(%s) = %q, %v; declared %q", d.Name, got, ok, d.Capability)
		}
		if d.Capability != "" {
			if _, known := perms.Lookup(d.Capability); !known {
				t.Errorf("%s needs capability %s, which the catalog lacks", d.Name, d.Capability)
			}
		}
	}
	for c := range used {
		if c != perms.ClassLocal && !rated[c] {
			t.Errorf("class %q is neither local nor rated", c)
		}
	}
	for c := range rated {
		if !used[c] {
			t.Errorf("rated class %q has no API", c)
		}
	}
	for _, c := range perms.Catalog() {
		if len(c.APIs) == 0 {
			t.Errorf("capability %s unlocks no declared API", c.Name)
		}
		for _, api := range c.APIs {
			if d, _ := hostapi.Lookup(api); d.Capability != c.Name {
				t.Errorf("%s lists %s, declared under %q", c.Name, api, d.Capability)
			}
		}
	}
}
