package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shellIn runs a shell command in home h and returns its output and exit status.
func shellIn(t *testing.T, h []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(shellBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(env(h), "DISPLAY=")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestSignedBundles: keygen, pack and sign, verify, trust, run, tamper and revoke, as a
// developer and a user would.
func TestSignedBundles(t *testing.T) {
	h := home(t)
	dir := t.TempDir()
	key, sfa := filepath.Join(dir, "acme.key"), filepath.Join(dir, "todo.sfa")

	out, code := shellIn(t, h, "keygen", "-o", key)
	pub := regexp.MustCompile(`public key:\s+(\S+)`).FindStringSubmatch(out)
	id := regexp.MustCompile(`key id:\s+(\S+)`).FindStringSubmatch(out)
	if code != 0 || pub == nil || id == nil {
		t.Fatalf("keygen (%d):\n%s", code, out)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key file mode: %v %v", st.Mode().Perm(), err)
	}
	if out, code = shellIn(t, h, "pack", "examples/todo", "-o", sfa, "--key", key); code != 0 || !strings.Contains(out, "signed by key "+id[1]) {
		t.Fatalf("pack (%d):\n%s", code, out)
	}

	// Not trusted yet: verify says so, and run refuses without --sideload.
	if out, code = shellIn(t, h, "verify", sfa); code == 0 || !strings.Contains(out, "trust:     untrusted") || !strings.Contains(out, "files:") {
		t.Fatalf("verify of an untrusted bundle (%d):\n%s", code, out)
	}
	if out, code = shellIn(t, h, "run", sfa); code != 2 || !strings.Contains(out, "--sideload") {
		t.Fatalf("run of an untrusted bundle (%d):\n%s", code, out)
	}

	// Trusted: verify passes and the app runs from the bundle.
	if out, code = shellIn(t, h, "trust", "add", "Acme", pub[1]); code != 0 {
		t.Fatalf("trust add (%d):\n%s", code, out)
	}
	if out, code = shellIn(t, h, "verify", sfa); code != 0 || !strings.Contains(out, "trusted (Acme, key "+id[1]) {
		t.Fatalf("verify of a trusted bundle (%d):\n%s", code, out)
	}
	if os.Getenv("DISPLAY") != "" {
		r := launchEnv(t, sfa, h)
		if err := r.client.WaitText(ctxT(t), "#count", "0 items left"); err != nil {
			t.Fatal(err)
		}
		r.stop(t)
	}

	// One byte changed anywhere: refused.
	raw, err := os.ReadFile(sfa)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "tampered.sfa")
	i := strings.Index(string(raw), "Nothing to do yet")
	if i < 0 {
		// Stored compressed: flip a byte in the middle instead.
		i = len(raw) / 2
	}
	raw[i] ^= 0x20
	os.WriteFile(bad, raw, 0o600)
	if out, code = shellIn(t, h, "verify", bad); code != 2 {
		t.Fatalf("verify of a tampered bundle (%d):\n%s", code, out)
	}

	// Revoked: blocked at the next launch, even with --sideload.
	if out, code = shellIn(t, h, "trust", "revoke", id[1], "--reason", "key leaked"); code != 0 {
		t.Fatalf("revoke (%d):\n%s", code, out)
	}
	if out, code = shellIn(t, h, "run", sfa, "--sideload"); code != 2 || !strings.Contains(out, "revoked") {
		t.Fatalf("run of a revoked publisher's bundle (%d):\n%s", code, out)
	}
}

func TestLintCLI(t *testing.T) {
	h := home(t)
	if out, code := shellIn(t, h, "lint", "examples/todo"); code != 0 {
		t.Fatalf("lint of the todo example (%d):\n%s", code, out)
	}
	out, code := shellIn(t, h, "lint", "--json", "host/testdata/hostile")
	if code == 0 {
		t.Fatalf("the hostile app passed lint:\n%s", out)
	}
	var report struct {
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &report); err != nil {
		t.Fatalf("lint --json: %v\n%s", err, out)
	}
	rules := map[string]bool{}
	for _, f := range report.Findings {
		rules[f.Rule] = true
	}
	for _, want := range []string{"js/eval", "js/function-constructor", "js/require", "js/prototype-write", "js/capability"} {
		if !rules[want] {
			t.Errorf("lint did not report %s; got %v", want, rules)
		}
	}
	// A launch runs the same checks.
	if out, code := shellIn(t, h, "run", "host/testdata/hostile"); code != 2 || !strings.Contains(out, "blocking lint findings") {
		t.Fatalf("run of the hostile app (%d):\n%s", code, out)
	}
}
