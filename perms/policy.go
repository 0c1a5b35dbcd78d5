package perms

import (
	"errors"
	"fmt"
	"strings"
)

// Policy is the administrator's word, from config. Entries name a capability
// ("clipboard:read") or an API ("api:getClipboardData"). Any matching deny (global or the
// app's) wins over every allow and every user decision; an allow grants without a prompt
// but never lets an app use a capability it did not declare.
type Policy struct {
	Allow []string             `json:"allow,omitempty"`
	Deny  []string             `json:"deny,omitempty"`
	Apps  map[string]AppPolicy `json:"apps,omitempty"` // by app id
	// Prompts is how prompts are answered without a person (PolicyPrompter):
	// "deny" (the default, also for ""), "allow-once" or "allow".
	Prompts string `json:"prompts,omitempty"`
}

// AppPolicy is the policy for one app id, applied on top of the global lists.
type AppPolicy struct {
	Allow   []string `json:"allow,omitempty"`
	Deny    []string `json:"deny,omitempty"`
	Prompts string   `json:"prompts,omitempty"` // "" = the global setting
}

// Prompts settings.
const (
	PromptsDeny      = "deny"
	PromptsAllowOnce = "allow-once"
	PromptsAllow     = "allow"
)

// apiPrefix marks a policy entry that names an API rather than a capability.
const apiPrefix = "api:"

// PolicyError is a bad policy setting. Field is its path inside Policy, e.g.
// `apps["dev.todo"].deny[1]`; the config loader prefixes its own key.
type PolicyError struct {
	Field string
	Msg   string
}

func (e *PolicyError) Error() string { return e.Field + ": " + e.Msg }

// Validate checks every name against the catalog and the known APIs and every prompts
// setting; all problems are returned, errors.As finds the first *PolicyError.
func (p Policy) Validate() error {
	var errs []error
	add := func(field, format string, a ...any) {
		errs = append(errs, &PolicyError{Field: field, Msg: fmt.Sprintf(format, a...)})
	}
	list := func(prefix string, names []string) {
		for i, n := range names {
			if msg := entryProblem(n); msg != "" {
				add(fmt.Sprintf("%s[%d]", prefix, i), "%s", msg)
			}
		}
	}
	prompts := func(field, v string) {
		switch v {
		case "", PromptsDeny, PromptsAllowOnce, PromptsAllow:
		default:
			add(field, "%q is not one of deny, allow-once, allow", v)
		}
	}
	list("allow", p.Allow)
	list("deny", p.Deny)
	prompts("prompts", p.Prompts)
	for _, id := range sortedKeys(p.Apps) {
		ap := p.Apps[id]
		base := fmt.Sprintf("apps[%q]", id)
		if strings.TrimSpace(id) == "" {
			add(base, "app id is empty")
		}
		list(base+".allow", ap.Allow)
		list(base+".deny", ap.Deny)
		prompts(base+".prompts", ap.Prompts)
	}
	return errors.Join(errs...)
}

func entryProblem(n string) string {
	if api, ok := strings.CutPrefix(n, apiPrefix); ok {
		if !KnownAPI(api) {
			return fmt.Sprintf("unknown API %q", api)
		}
		return ""
	}
	if _, ok := byName[n]; !ok {
		return fmt.Sprintf("unknown capability %q (a capability like \"clipboard:read\", or \"api:NAME\")", n)
	}
	return ""
}

// rules is a Policy compiled into sets, so a decision costs a few map lookups.
type rules struct {
	allow, deny set
	apps        map[string]appRules
}

type appRules struct{ allow, deny set }

// set maps an entry to the field that holds it, to explain decisions.
type set map[string]string

func newSet(field string, names []string) set {
	s := make(set, len(names))
	for i, n := range names {
		if _, dup := s[n]; !dup {
			s[n] = fmt.Sprintf("%s[%d]", field, i)
		}
	}
	return s
}

func compile(p Policy) rules {
	r := rules{allow: newSet("allow", p.Allow), deny: newSet("deny", p.Deny),
		apps: make(map[string]appRules, len(p.Apps))}
	for id, ap := range p.Apps {
		base := fmt.Sprintf("apps[%q]", id)
		r.apps[id] = appRules{allow: newSet(base+".allow", ap.Allow), deny: newSet(base+".deny", ap.Deny)}
	}
	return r
}

// match finds the entry for the API (when api != "") or the capability (when cp != "")
// in the global set or the app's; it returns the field and entry that matched.
func (r rules) match(pick func(appRules) set, global set, app App, api, cp string) (string, bool) {
	sets := []set{global}
	if ar, ok := r.apps[policyKey(r.apps, app)]; ok {
		sets = append(sets, pick(ar))
	}
	for _, s := range sets {
		if api != "" {
			if f, ok := s[apiPrefix+api]; ok {
				return fmt.Sprintf("%s %q", f, apiPrefix+api), true
			}
		}
		if cp != "" {
			if f, ok := s[cp]; ok {
				return fmt.Sprintf("%s %q", f, cp), true
			}
		}
	}
	return "", false
}

func (r rules) denied(app App, api, cp string) (string, bool) {
	return r.match(func(a appRules) set { return a.deny }, r.deny, app, api, cp)
}

func (r rules) allowed(app App, api, cp string) (string, bool) {
	return r.match(func(a appRules) set { return a.allow }, r.allow, app, api, cp)
}

// policyKey is the Apps entry that speaks for app: the one named by its identity key
// ("ID@KEYID", "ID@unverified"), else one named by its bare id. The shell names every
// entry by identity (it resolves a configured id to the installed app's identity), so
// an unsigned twin of a configured signed app gets none of its rules; a bare id left in
// a Policy applies to every identity of the id.
func policyKey[V any](apps map[string]V, app App) string {
	if k := app.Identity().Key(); hasKey(apps, k) {
		return k
	}
	return app.ID
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// promptsFor is the headless answer setting for app.
func (p Policy) promptsFor(app App) string {
	if ap, ok := p.Apps[policyKey(p.Apps, app)]; ok && ap.Prompts != "" {
		return ap.Prompts
	}
	return p.Prompts
}
