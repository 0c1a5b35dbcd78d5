package perms

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Claim is one capability an app declares in app.json, with the reason its prompt shows:
// "capabilities": {"user:readProfile": {"reason": "Show your name on your cards"}}.
type Claim struct {
	Reason string `json:"reason"`
}

// MaxReasonRunes bounds a claim's reason: the prompt shows it whole.
const MaxReasonRunes = 200

// ClaimError is a bad capability declaration. Field is the app.json path.
type ClaimError struct {
	Field string // capabilities["x:y"]
	Msg   string
}

func (e *ClaimError) Error() string { return e.Field + ": " + e.Msg }

// CheckClaims checks an app's declarations at load time: every name is in the catalog and
// every reason is non-empty, at most MaxReasonRunes, one line with no control characters
// (the prompt is trusted UI, so the app must not be able to lay out text inside it).
// All problems are returned, in name order; errors.As finds the first *ClaimError.
func CheckClaims(claims map[string]Claim) error {
	names := make([]string, 0, len(claims))
	for n := range claims {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		if msg := claimProblem(n, claims[n]); msg != "" {
			errs = append(errs, &ClaimError{Field: fmt.Sprintf("capabilities[%q]", n), Msg: msg})
		}
	}
	return errors.Join(errs...)
}

func claimProblem(name string, c Claim) string {
	if _, ok := byName[name]; !ok {
		return fmt.Sprintf("unknown capability %q (known: %s)", name, strings.Join(capNames(), ", "))
	}
	r := strings.TrimSpace(c.Reason)
	switch {
	case r == "":
		return "reason is empty: say why the app needs it"
	case !utf8.ValidString(c.Reason):
		return "reason is not valid UTF-8"
	case utf8.RuneCountInString(c.Reason) > MaxReasonRunes:
		return fmt.Sprintf("reason is longer than %d characters", MaxReasonRunes)
	case strings.IndexFunc(c.Reason, unicode.IsControl) >= 0:
		return "reason contains a control character (line breaks included)"
	case strings.IndexFunc(c.Reason, isBidiControl) >= 0:
		return "reason contains a bidirectional text control"
	}
	return ""
}

// isBidiControl reports the format characters that can reorder what a prompt shows.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

func capNames() []string {
	out := make([]string, len(catalog))
	for i, c := range catalog {
		out[i] = c.Name
	}
	sort.Strings(out)
	return out
}
