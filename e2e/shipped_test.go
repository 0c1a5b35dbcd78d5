package e2e

import (
	"os"
	"strings"
	"testing"
)

// TestShippedAppsInstallOnFirstRun: `shell` with no arguments installs the apps shipped
// in the binary (verified with the built-in publisher's key) and offers them.
func TestShippedAppsInstallOnFirstRun(t *testing.T) {
	h := home(t)
	out, code := shellIn(t, h)
	if code != 0 || !strings.Contains(out, "installed the shipped app dev.sandframe.todo") || !strings.Contains(out, "Sandframe (built-in)") {
		t.Fatalf("first run (%d):\n%s", code, out)
	}
	if out, _ = shellIn(t, h); strings.Contains(out, "installed the shipped app") {
		t.Fatalf("the second run installed again:\n%s", out)
	}
	if out, _ = shellIn(t, h, "trust", "list"); !strings.Contains(out, "built in") {
		t.Fatalf("trust list:\n%s", out)
	}
	if os.Getenv("DISPLAY") != "" {
		r := launchEnv(t, "dev.sandframe.todo", h)
		if err := r.client.WaitText(ctxT(t), "#count", "0 items left"); err != nil {
			t.Fatal(err)
		}
		r.stop(t)
	}
	// Revoking the built-in key blocks its apps at their next launch.
	shellIn(t, h, "trust", "revoke", builtinKeyID(t, h), "--reason", "test")
	if out, code := shellIn(t, h, "run", "dev.sandframe.todo"); code != 2 || !strings.Contains(out, "revoked") {
		t.Fatalf("run after revoking the built-in key (%d):\n%s", code, out)
	}
}

func builtinKeyID(t *testing.T, h []string) string {
	t.Helper()
	out, _ := shellIn(t, h, "trust", "list")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "built in") {
			return strings.Fields(line)[0]
		}
	}
	t.Fatalf("no built-in key in:\n%s", out)
	return ""
}
