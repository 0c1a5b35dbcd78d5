package isolate

import (
	"errors"
	"fmt"
	"strings"
)

// Confinement is what a child put around itself after it read its init frame and
// opened the app's directory, and before any mini-app code ran (docs/isolate.md). The
// child reports it in its loaded frame; a feature the kernel lacks is false (or 0) with a
// warning, never a failure to run.
type Confinement struct {
	NoNewPrivs bool `json:"noNewPrivs"` // prctl(PR_SET_NO_NEW_PRIVS) on every thread
	Seccomp    bool `json:"seccomp"`    // the syscall allow-list (seccompPolicy), on every thread
	// Landlock is the Landlock ABI version the ruleset was built for (0: none): read-only
	// access beneath the app's directory and nothing else, no TCP bind or connect, no
	// abstract unix sockets or signals outside the child.
	Landlock  int      `json:"landlock"`
	PDeathSig bool     `json:"pdeathsig"` // SIGKILL when the parent dies, checked after it was set
	Warnings  []string `json:"warnings,omitempty"`
}

// testUnavailable is set only by this package's tests (TestMain of the test child): kernel
// features to treat as absent, to exercise the degraded path.
var testUnavailable struct{ landlock, seccomp bool }

// Bounds on the confinement report the parent accepts.
const (
	maxConfineWarnings = 8
	maxConfineWarning  = 512
)

func (c *Confinement) check() error {
	if c == nil {
		return nil
	}
	if len(c.Warnings) > maxConfineWarnings {
		return errors.New("loaded: too many confinement warnings")
	}
	for _, w := range c.Warnings {
		if len(w) > maxConfineWarning {
			return errors.New("loaded: a confinement warning is too long")
		}
	}
	if c.Landlock < 0 || c.Landlock > 1000 {
		return fmt.Errorf("loaded: landlock ABI %d", c.Landlock)
	}
	return nil
}

// Full reports whether every feature is active.
func (c Confinement) Full() bool {
	return c.NoNewPrivs && c.Seccomp && c.Landlock > 0 && c.PDeathSig
}

// String lists the active features, e.g. "no_new_privs, seccomp, landlock v7, pdeathsig".
func (c Confinement) String() string {
	var on []string
	if c.NoNewPrivs {
		on = append(on, "no_new_privs")
	}
	if c.Seccomp {
		on = append(on, "seccomp")
	}
	if c.Landlock > 0 {
		on = append(on, fmt.Sprintf("landlock v%d", c.Landlock))
	}
	if c.PDeathSig {
		on = append(on, "pdeathsig")
	}
	if len(on) == 0 {
		return "none"
	}
	return strings.Join(on, ", ")
}
