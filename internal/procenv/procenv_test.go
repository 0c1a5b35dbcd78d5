package procenv

import (
	"os"
	"slices"
	"testing"
)

func TestSetDefaultAndOutside(t *testing.T) {
	t.Setenv("SF_PROCENV_USER", "mine")
	t.Setenv("SF_PROCENV_EMPTY", "")
	t.Setenv("SF_PROCENV_UNSET", "")
	os.Unsetenv("SF_PROCENV_UNSET")
	for _, c := range []struct {
		key  string
		set  bool
		want string
	}{
		{"SF_PROCENV_USER", false, "mine"}, // the user's value wins
		{"SF_PROCENV_EMPTY", true, "shell"},
		{"SF_PROCENV_UNSET", true, "shell"},
	} {
		if got := SetDefault(c.key, "shell"); got != c.set {
			t.Errorf("SetDefault(%s) = %v, want %v", c.key, got, c.set)
		}
		if got := os.Getenv(c.key); got != c.want {
			t.Errorf("%s = %q, want %q", c.key, got, c.want)
		}
	}
	out := Outside()
	if !slices.Contains(out, "SF_PROCENV_USER=mine") {
		t.Error("Outside dropped the user's own variable")
	}
	for _, kv := range out {
		if kv == "SF_PROCENV_EMPTY=shell" || kv == "SF_PROCENV_UNSET=shell" {
			t.Errorf("Outside kept %s, which the shell set", kv)
		}
	}
	if len(out) != len(os.Environ())-2 {
		t.Errorf("Outside has %d variables, want the environment's %d less the shell's 2", len(out), len(os.Environ()))
	}
}
